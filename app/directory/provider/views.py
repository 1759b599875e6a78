"""The provider portal (/provider/): groups keep their own listings current."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import role_required
from app.core.security import safe_next
from app.directory import listings, moderation, taxonomy, translation_review
from app.directory import translations as translations_of
from app.directory.models import StatusChangeError
from app.directory.provider import editing, timetable_forms
from app.directory.provider.forms import BasicsForm, CapacityForm, OrganisationForm
from app.extensions import db

provider_bp = Blueprint("provider", __name__, url_prefix="/provider", template_folder="templates")
EDITORS = ("provider", "manager", "admin")


@provider_bp.app_errorhandler(StatusChangeError)
def forbidden_status_change(error):
    # Wherever it happens (the portal, a CSV import), a move the transitions table forbids is the
    # person's mistake to hear about, not a server error. The manager's change pages say it in place.
    db.session.rollback()
    return render_template("directory/portal_error.html", service=None, message=error.message), 400


@provider_bp.route("/")
@role_required("provider")
def dashboard():
    organisations = sorted(current_user.organisations, key=lambda o: o.name)
    return render_template("directory/provider_dashboard.html", organisations=organisations,
                           freshness=listings.freshness, attention=editing.attention, capacity_form=CapacityForm(),
                           organisation_sent_back=editing.organisation_sent_back)


@provider_bp.route("/services/<slug>/capacity", methods=["POST"])
@role_required(*EDITORS)
def capacity(slug):
    service = editing.service_for(current_user, slug)
    form = CapacityForm()
    if not form.validate_on_submit():
        # Its own page with the error and what was typed: the dashboard holds a form for every listing.
        return render_template("directory/portal_capacity.html", service=service, form=form,
                               next_url=_back()), 400
    editing.set_capacity(service, current_user, form.capacity_status.data, form.capacity_note.data)
    db.session.commit()
    flash(_("‘%(name)s’ now shows: %(status)s.", name=service.name,
            status=taxonomy.CAPACITY_STATUSES[form.capacity_status.data]))
    return redirect(_back())


@provider_bp.route("/services/<slug>/verify", methods=["POST"])
@role_required(*EDITORS)
def verify(slug):
    service = editing.service_for(current_user, slug)
    if service.status != "published":  # only a live listing is checked: a draft's check is its approval
        flash(_("‘%(name)s’ is not published, so there is nothing to mark as checked.", name=service.name),
              "important")
        return redirect(_back())
    editing.confirm_still_correct(service, current_user)
    db.session.commit()
    flash(_("Thank you. ‘%(name)s’ is marked as checked today.", name=service.name))
    return redirect(_back())


def _back():
    return safe_next(request.form.get("next"), url_for("provider.dashboard"))


@provider_bp.route("/services/<slug>/edit")
@role_required(*EDITORS)
def edit(slug):
    service = editing.service_for(current_user, slug)
    snapshot = editing.working_snapshot(service, current_user)
    return render_template("directory/portal_service.html", service=service, snapshot=snapshot,
                           change=moderation.draft_for("service", service.id),
                           draft=not editing.ever_published(service), sections=editing.SECTION_ORDER,
                           locations={loc.id: loc for loc in service.organisation.locations})


@provider_bp.route("/services/<slug>/edit/<section>", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_section(slug, section):
    service = editing.service_for(current_user, slug)
    if section not in editing.SECTIONS:
        abort(404)
    guided = request.args.get("flow") == "new"
    form = editing.make_form(section, service, formdata=request.form if request.method == "POST" else None,
                             user=current_user)
    # "Add another session" and "Remove" buttons re-show the page with what was typed, without saving.
    rows_changed = request.method == "POST" and section == "where" and timetable_forms.change_rows(form, request.form)
    valid = request.method == "POST" and not rows_changed and form.validate()
    if valid:
        outcome = editing.save_section(service, current_user, section, form)
        db.session.commit()
        if outcome == "pending":
            flash(_("Thank you. Your change has been sent to the directory team to check. It usually goes live "
                    "within two working days."))
        elif outcome == "applied":
            flash(_("Saved. The change is live."))
        order = editing.SECTION_ORDER
        if guided and order.index(section) + 1 < len(order):
            return redirect(url_for("provider.edit_section", slug=service.slug, section=order[order.index(section) + 1],
                                    flow="new"))
        return redirect(url_for("provider.edit", slug=service.slug))
    # Nested rows (times, events) carry their own errors, so the status follows the validation result.
    return render_template("directory/portal_section.html", service=service, form=form, section=section,
                           change=moderation.draft_for("service", service.id), guided=guided,
                           step=editing.SECTION_ORDER.index(section) + 1,
                           steps=len(editing.SECTION_ORDER)), (400 if request.method == "POST" and not rows_changed
                                                                else 200)


@provider_bp.route("/services/<slug>/submit", methods=["POST"])
@role_required(*EDITORS)
def submit(slug):
    service = editing.service_for(current_user, slug)
    waiting = moderation.draft_for("service", service.id)
    if waiting is not None and waiting.status == "pending" and waiting.kind == "create":
        # Pressed twice (or from an old page): it is already with the directory team, once.
        flash(_("This listing is already waiting for the directory team to check it."), "important")
        return redirect(url_for("provider.edit", slug=service.slug))
    outcome = editing.submit_for_approval(service, current_user)
    db.session.commit()
    flash(_("Published.") if outcome == "applied" else
          _("Thank you. The directory team will check the new listing and publish it."))
    return redirect(url_for("provider.edit", slug=service.slug))


@provider_bp.route("/organisations/<slug>/services/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new_service(slug):
    organisation = editing.organisation_for(current_user, slug)
    form = BasicsForm()
    if form.validate_on_submit():
        service = editing.create_draft(organisation, current_user, form)
        db.session.commit()
        twin = editing.same_name(service)
        if twin is not None:
            flash(_("%(org)s already has a listing called ‘%(name)s’. If this is the same service, delete this draft "
                    "and update that listing instead.", org=organisation.name, name=twin.name), "important")
        return redirect(url_for("provider.edit_section", slug=service.slug, section="where", flow="new"))
    return render_template("directory/portal_section.html", service=None, organisation=organisation, form=form,
                           section="basics", guided=True, step=1, steps=len(editing.SECTION_ORDER)), \
        (400 if form.errors else 200)


@provider_bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_organisation(slug):
    organisation = editing.organisation_for(current_user, slug)
    change = moderation.draft_for("organisation", organisation.id)
    if request.method != "POST":
        snapshot = editing.organisation_working_snapshot(organisation, current_user)
        form = OrganisationForm(formdata=None, data=editing.organisation_form_data(snapshot))
    else:
        form = OrganisationForm()
        if form.validate_on_submit():
            outcome = editing.save_organisation(organisation, current_user, form)
            db.session.commit()
            flash(_("Saved. The change is live.") if outcome == "applied" else
                  _("Thank you. Your change has been sent to the directory team to check."))
            return redirect(url_for("provider.dashboard") if current_user.has_role("provider")
                            else url_for("manage.dashboard"))
    return render_template("directory/portal_organisation.html", organisation=organisation, form=form,
                           change=change), (400 if form.errors else 200)


@provider_bp.route("/services/<slug>/translations")
@role_required("provider", "manager", "admin", "translator")
def translations(slug):
    service = _translatable_service(slug)
    from app.i18n.catalogues import known_languages
    from app.i18n.locale import language_options
    existing = {t.language: t for t in service.translations}
    options = [o for o in language_options(known_languages()) if o["code"] != "en"]
    return render_template("directory/portal_translations.html", service=service, options=options, existing=existing,
                           drafts=translation_review.drafts_by_language(service), is_stale=translations_of.is_stale,
                           live_at_once=translation_review.goes_live_at_once(current_user, service))


@provider_bp.route("/services/<slug>/translations/<language>", methods=["GET", "POST"])
@role_required("provider", "manager", "admin", "translator")
def translate_listing(slug, language):
    service = _translatable_service(slug)
    option = _translation_language(language)
    posted = request.method == "POST"
    values = ({field: request.form.get(field) or "" for field in translations_of.FIELDS} if posted
              else translation_review.working_values(service, language, current_user))
    errors = _translation_errors(values) if posted else {}
    if posted and not errors:
        outcome = translation_review.submit(service, language, values, current_user)
        db.session.commit()
        flash(_("Saved. People reading the site in %(language)s now see this.", language=option["name"])
              if outcome == "applied" else
              _("Thank you. Your translation has been sent to the directory team to check. Until then, people "
                "reading the site in %(language)s see what was there before.", language=option["name"]))
        return redirect(url_for("provider.translations", slug=service.slug))
    draft = translation_review.draft_for(service, language) if current_user.has_role("provider") else None
    return render_template("directory/portal_translate_listing.html", service=service, option=option,
                           values=values, errors=errors, draft=draft,
                           live_at_once=translation_review.goes_live_at_once(current_user, service)), \
        (400 if errors else 200)


def _translation_language(language):
    """The offered language a listing may be translated into (never English), or 404."""
    from app.i18n.catalogues import known_languages
    from app.i18n.locale import language_options
    option = next((o for o in language_options(known_languages()) if o["code"] == language and language != "en"),
                  None)
    if option is None:
        abort(404)
    return option


TRANSLATION_LIMITS = {"name": 200, "description": 5000, "access_text": 1000, "eligibility": 1000}


def _translation_errors(values):
    errors = {field: _("This must be %(num)s characters or fewer", num=limit)
              for field, limit in TRANSLATION_LIMITS.items() if len(values[field]) > limit}
    if not values["name"].strip():
        errors["name"] = _("Enter the name in this language")
    return errors


def _translatable_service(slug):
    from sqlalchemy import select

    from app.directory.models import Service
    if current_user.has_role("translator"):
        service = db.session.execute(select(Service).where(Service.slug == str(slug)[:160])).scalar_one_or_none()
        if service is None:
            abort(404)
        return service
    return editing.service_for(current_user, slug)
