"""Routes of the manage blueprint for checking words: a change's text edited before approving it, a provider's
translation approved or sent back, and trusting an organisation's translations. The rules are in
app.directory.moderation_edits and app.directory.translation_review."""
from babel import Locale
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import role_required
from app.directory import moderation, moderation_edits, translation_review, translations
from app.directory.manage.views import MANAGERS, manage_bp
from app.directory.models import Organisation, Revision, StatusChangeError, TranslationChange
from app.extensions import db
from app.i18n.catalogues import language_name


def _revision_or_404(revision_id):
    revision = db.session.get(Revision, revision_id)
    if revision is None or moderation.live_snapshot(revision)[0] is None:
        abort(404)
    return revision


@manage_bp.route("/changes/<int:revision_id>/edit", methods=["GET", "POST"])
@role_required(*MANAGERS)
def edit_change(revision_id):
    revision = _revision_or_404(revision_id)
    if revision.status != "pending" or not moderation_edits.editable(revision):
        return redirect(url_for("manage.change", revision_id=revision.id))
    form = moderation_edits.edit_form(revision, request.form if request.method == "POST" else None)
    choices = {k.removeprefix("choice-"): v for k, v in request.form.items() if k.startswith("choice-")}
    if request.method == "GET":
        return _edit_page(revision, form)
    try:
        entity, edits = moderation_edits.approve_with_edits(revision, current_user, form, choices)
    except moderation_edits.EditsInvalid:
        db.session.rollback()
        return _edit_page(revision, form, choices=choices, status=400)
    except moderation.ConflictsToResolve as exc:
        db.session.rollback()
        return _edit_page(revision, form, choices=choices, missing={c.key for c in exc.missing}, status=400)
    except (moderation.ModerationError, StatusChangeError) as exc:
        db.session.rollback()
        return _edit_page(revision, form, choices=choices, error=str(getattr(exc, "message", exc)), status=400)
    db.session.commit()
    flash(_("Approved with your changes. ‘%(name)s’ is live and searchable, and the provider has been told.",
            name=entity.name) if edits else _("Approved. ‘%(name)s’ is live and searchable.", name=entity.name))
    return redirect(url_for("manage.changes"))


def _edit_page(revision, form, choices=None, missing=(), error=None, status=200):
    entity, live = moderation.live_snapshot(revision)
    conflicts = moderation.conflicts(revision, live)
    return render_template("directory/manage_change_edit.html", revision=revision, entity=entity, form=form,
                           published=live or {},
                           conflicts=conflicts, choices=choices or {}, missing=set(missing), error=error,
                           rows=moderation_edits.rows, max_length=moderation_edits.max_length), status


def _translation_change_or_404(change_id):
    change = db.session.get(TranslationChange, change_id)
    if change is None or change.service is None:
        abort(404)
    return change


@manage_bp.route("/translations/<int:change_id>")
@role_required(*MANAGERS)
def translation_change(change_id):
    return _translation_page(_translation_change_or_404(change_id))


def _translation_page(change, error=None, status=200):
    live = translations.translation_for(change.service, change.language)
    return render_template("directory/manage_translation.html", change=change, service=change.service, live=live,
                           language_name=language_name(change.language), fields=translations.FIELDS, error=error,
                           direction=Locale.parse(change.language).text_direction,
                           english_changed=bool(change.service.text_changed_at and change.submitted_at
                                                and change.submitted_at < change.service.text_changed_at)), status


@manage_bp.route("/translations/<int:change_id>/approve", methods=["POST"])
@role_required(*MANAGERS)
def approve_translation(change_id):
    change = _translation_change_or_404(change_id)
    try:
        translation_review.approve(change, current_user)
    except StatusChangeError as exc:
        db.session.rollback()
        return _translation_page(change, error=str(exc.message), status=400)
    db.session.commit()
    flash(_("Approved. People reading the site in %(language)s now see this translation of ‘%(name)s’.",
            language=language_name(change.language), name=change.service.name))
    return redirect(url_for("manage.changes"))


@manage_bp.route("/translations/<int:change_id>/reject", methods=["POST"])
@role_required(*MANAGERS)
def reject_translation(change_id):
    change = _translation_change_or_404(change_id)
    try:
        translation_review.send_back(change, current_user, request.form.get("reason", ""))
    except (moderation.ModerationError, StatusChangeError) as exc:
        db.session.rollback()
        return _translation_page(change, error=str(getattr(exc, "message", exc)), status=400)
    db.session.commit()
    flash(_("Sent back to the provider with your reason."))
    return redirect(url_for("manage.changes"))


@manage_bp.route("/organisations/<slug>/trust", methods=["GET", "POST"])
@role_required(*MANAGERS)
def trust_organisation(slug):
    organisation = db.session.execute(select(Organisation).where(Organisation.slug == str(slug)[:120])
                                      ).scalar_one_or_none()
    if organisation is None:
        abort(404)
    if request.method == "GET":
        return render_template("directory/manage_trust.html", organisation=organisation)
    trusted = request.form.get("trusted") == "yes"
    if translation_review.set_trusted(organisation, current_user, trusted):
        db.session.commit()
    flash(_("%(org)s is trusted: its providers’ translations go live straight away.", org=organisation.name)
          if trusted else
          _("%(org)s is no longer trusted: its providers’ translations wait for a check.", org=organisation.name))
    return redirect(url_for("manage.organisations"))
