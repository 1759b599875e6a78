"""Moderation (/manage/): the directory manager's queue, history, reports from the public and requests."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from app.accounts.permissions import role_required
from app.core import clock, mail
from app.core.db import utcnow
from app.core.templating import format_date
from app.directory import freshness, moderation, moderation_edits, translation_review
from app.directory import history as listing_history
from app.directory.models import JoinRequest, Organisation, ProblemReport, Revision, Service, StatusChangeError
from app.extensions import db
from app.i18n.catalogues import language_name

manage_bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")
MANAGERS = ("manager", "admin")


@manage_bp.route("/")
@role_required(*MANAGERS)
def dashboard():
    by_status = dict(db.session.execute(select(Service.status, func.count()).group_by(Service.status)).all())
    # Counted in the database: the same rule as listings.freshness (never checked, or checked too long ago).
    stale = db.session.execute(select(func.count()).select_from(Service).where(
        Service.status == "published",
        or_(Service.last_verified_at.is_(None), Service.last_verified_at < freshness.stale_cutoff(utcnow())),
    )).scalar_one()
    pending = db.session.execute(select(func.count()).select_from(Revision).where(Revision.status == "pending")
                                 ).scalar_one() + len(translation_review.pending())
    problems = db.session.execute(select(func.count()).select_from(ProblemReport)
                                  .where(ProblemReport.status == "open")).scalar_one()
    requests_ = db.session.execute(select(func.count()).select_from(JoinRequest)
                                   .where(JoinRequest.status == "pending")).scalar_one()
    return render_template("directory/manage_dashboard.html", by_status=by_status, stale=stale,
                           pending=pending, problems=problems, requests=requests_)


@manage_bp.route("/changes")
@role_required(*MANAGERS)
def changes():
    queue = db.session.execute(select(Revision).where(Revision.status == "pending")
                               .order_by(Revision.submitted_at)).scalars().all()
    # Providers' translations wait in the same queue, oldest first, named by their language.
    queue = sorted(queue + translation_review.pending(), key=lambda change: change.submitted_at)
    return render_template("directory/manage_changes.html", queue=queue, entity_name=_entity_name,
                           language_name=language_name)


def _entity_name(revision):
    entity, _snapshot = moderation.live_snapshot(revision)
    return entity.name if entity else "?"


def _revision_or_404(revision_id):
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        abort(404)
    return revision


@manage_bp.route("/changes/<int:revision_id>")
@role_required(*MANAGERS)
def change(revision_id):
    revision = _revision_or_404(revision_id)
    if moderation.live_snapshot(revision)[0] is None:
        abort(404)
    return _change_page(revision)


def _change_page(revision, error=None, missing=(), choices=None, status=200):
    entity, live = moderation.live_snapshot(revision)
    live = live or {}
    proposed = moderation.proposed_values(revision, live) if revision.status == "pending" else revision.snapshot
    conflicts = moderation.conflicts(revision, live) if revision.status == "pending" and live else []
    after = {**live, **proposed}
    # A new listing is reviewed whole, as it will go live: its diff from the draft says only "Status".
    whole = [(key, moderation.FIELD_LABELS.get(key, key), after[key]) for key in after
             if key in moderation.FIELD_LABELS] if revision.kind == "create" else None
    return render_template("directory/manage_change.html", revision=revision, entity=entity, whole=whole,
                           editable=revision.status == "pending" and bool(moderation_edits.editable(revision)),
                           changes=moderation.diff(live, after), conflicts=conflicts,
                           conflict_keys={c.key for c in conflicts}, missing={c.key for c in missing},
                           choices=choices or {}, error=error), status


def _choices():
    return {key.removeprefix("choice-"): value for key, value in request.form.items() if key.startswith("choice-")}


@manage_bp.route("/changes/<int:revision_id>/approve", methods=["POST"])
@role_required(*MANAGERS)
def approve(revision_id):
    revision = _revision_or_404(revision_id)
    choices = _choices()
    try:
        entity = moderation.approve(revision, current_user, choices)
    except moderation.ConflictsToResolve as exc:
        db.session.rollback()
        return _change_page(revision, error=exc, missing=exc.missing, choices=choices, status=400)
    except (moderation.ModerationError, StatusChangeError) as exc:
        return _change_error(revision, exc)
    db.session.commit()
    flash(_("Approved. ‘%(name)s’ is live and searchable.", name=entity.name))
    return redirect(url_for("manage.changes"))


@manage_bp.route("/changes/<int:revision_id>/reject", methods=["POST"])
@role_required(*MANAGERS)
def reject(revision_id):
    revision = _revision_or_404(revision_id)
    reason = request.form.get("reason", "")
    try:
        moderation.send_back(revision, current_user, reason)
    except (moderation.ModerationError, StatusChangeError) as exc:
        return _change_error(revision, exc)
    entity, _live = moderation.live_snapshot(revision)
    if revision.submitted_by is not None:
        mail.queue_email(revision.submitted_by.email, _l("Your change to %(name)s was sent back", name=entity.name),
                         "directory/email/sent_back.txt", language="en", revision=revision, entity=entity)
    db.session.commit()  # the decision and the e-mail that tells the provider, together
    flash(_("Sent back to the provider with your reason."))
    return redirect(url_for("manage.changes"))


def _change_error(revision, error):
    """The change page again, saying why it could not be done (a ModerationError or a forbidden status change)."""
    message = str(getattr(error, "message", error))
    db.session.rollback()
    return _change_page(revision, error=message, status=400)


def _service_or_404(slug):
    service = db.session.execute(select(Service).where(Service.slug == slug[:160])).scalar_one_or_none()
    if service is None:
        abort(404)
    return service


@manage_bp.route("/services/<slug>/history")
@role_required(*MANAGERS)
def history(slug):
    service = _service_or_404(slug)
    return render_template("directory/manage_history.html", service=service,
                           entries=listing_history.entries("service", service.id), labels=moderation.FIELD_LABELS,
                           waiting=listing_history.waiting("service", service.id))


@manage_bp.route("/revisions/<int:revision_id>/restore", methods=["GET", "POST"])
@role_required(*MANAGERS)
def restore(revision_id):
    revision = _revision_or_404(revision_id)
    try:
        entity, rows = listing_history.restore_preview(revision)
        if request.method == "POST":
            entity = listing_history.restore(revision, current_user)
    except (moderation.ModerationError, StatusChangeError) as exc:
        db.session.rollback()
        entity, rows = moderation.live_snapshot(revision)[0], []
        return render_template("directory/manage_restore.html", revision=revision, entity=entity, rows=rows,
                               error=str(getattr(exc, "message", exc))), 400
    if request.method == "GET":
        return render_template("directory/manage_restore.html", revision=revision, entity=entity, rows=rows,
                               error=None)
    db.session.commit()
    flash(_("Restored the version from %(date)s.", date=format_date(revision.decided_at)))
    if revision.entity_type == "service":
        return redirect(url_for("manage.history", slug=entity.slug))
    return redirect(url_for("manage.dashboard"))


@manage_bp.route("/organisations")
@role_required(*MANAGERS)
def organisations():
    orgs = db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()
    return render_template("directory/manage_organisations.html", organisations=orgs)


@manage_bp.route("/stale")
@role_required(*MANAGERS)
def stale_report():
    report = freshness.stale_report(clock.now_utc())
    return render_template("directory/stale_report.html", groups=report.groups, total=report.total,
                           count_stale=report.count_stale, count_out=report.count_out, shown=report.shown,
                           truncated=report.truncated)
