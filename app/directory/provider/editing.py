"""The provider portal's rules: who may touch what, and how a section of a listing is changed.

These functions add and flush; the portal's views commit, once per request."""
import secrets

from flask import abort
from sqlalchemy import select

from app.core.db import utcnow
from app.core.requests import MAX_ID, whole_number
from app.core.text import slugify
from app.directory import freshness, moderation, moderation_edits, translation_review
from app.directory.models import Organisation, Service
from app.directory.provider import timetables
from app.directory.provider.forms import BasicsForm, ContactForm, WhereWhenForm, WhoForm
from app.extensions import db
from app.i18n.catalogues import language_name

SECTIONS = {
    "basics": (BasicsForm, ("name", "description", "categories")),
    "where": (WhereWhenForm, ("locations", "formats", "schedules")),
    "who": (WhoForm, ("eligibility", "min_age", "max_age", "audience", "languages", "accessibility")),
    "contact": (ContactForm, ("access_method", "access_text", "cost_type", "cost_text", "contact_name",
                              "contact_role", "contact_phone", "contact_email")),
}
SECTION_ORDER = list(SECTIONS)


def may_manage(user, organisation):
    return user.has_role("manager", "admin") or any(org.id == organisation.id for org in user.organisations)


def organisation_for(user, slug):
    org = db.session.execute(select(Organisation).where(Organisation.slug == str(slug)[:120])).scalar_one_or_none()
    if org is None or not may_manage(user, org):
        abort(404)  # the same answer for "not yours" and "not there"
    return org


def service_for(user, slug):
    service = db.session.execute(select(Service).where(Service.slug == str(slug)[:160])).scalar_one_or_none()
    if service is None or not may_manage(user, service.organisation):
        abort(404)
    return service


def ever_published(service):
    # Nothing goes back to draft (statuses.LISTING_TRANSITIONS), so a draft was never live, whatever its history
    # holds ("still correct" or availability pressed on a draft must not make it look published).
    return service.status != "draft"


def is_manager(user):
    return user.has_role("manager", "admin")


def working_snapshot(service, user=None):
    """What the edit pages show: a manager edits what is live; a provider their own change on top of it
    (waiting, or sent back to them), so nothing they typed is lost."""
    if user is not None and is_manager(user):
        return moderation.snapshot_service(service)
    return moderation.provider_view("service", service)


def form_data(section, snapshot):
    _form, fields = SECTIONS[section]
    data = {name: snapshot.get(name) for name in fields if name != "schedules"}
    if section == "where":
        data.update(_where_data(snapshot))
    return data


def _where_data(snapshot):
    return {"locations": [str(i) for i in snapshot.get("locations", [])], **timetables.form_data(snapshot)}


def make_form(section, service, formdata=None, snapshot=None, user=None):
    form_class, _fields = SECTIONS[section]
    if formdata is not None:
        form = form_class(formdata=formdata)
    else:
        form = form_class(formdata=None, data=form_data(section, snapshot or working_snapshot(service, user)))
    if section == "where":
        form.locations.choices = [(str(loc.id), ", ".join(filter(None, [loc.name, loc.address_1, loc.postcode])))
                                  for loc in service.organisation.locations]
        from wtforms.fields.choices import SelectChoice
        form.locations.choices = [SelectChoice(value, label) for value, label in form.locations.choices]
    return form


def section_values(section, form):
    _form, fields = SECTIONS[section]
    values = {}
    for name in fields:
        if name == "schedules":
            continue
        value = form[name].data
        values[name] = value.strip() if isinstance(value, str) else value
    if section == "where":
        values.update(_where_values(form))
    return values


def _where_values(form):
    return {"locations": sorted(n for n in (whole_number(str(v), 1, MAX_ID) for v in form.locations.data or []) if n),
            **timetables.form_values(form)}


def save_section(service, user, section, form):
    """Managers' changes and changes to an unpublished draft go live at once; a provider's change
    to a published listing waits for a directory manager. A manager's edit applies only this section's
    fields, and leaves anyone else's waiting change waiting."""
    values = section_values(section, form)
    if section == "where":  # events that are over are not on the form; they stay in the listing's history
        values["schedules"] += timetables.past_events(working_snapshot(service, user))
    if is_manager(user):
        moderation.apply_directly("service", service, values, user)
        return "applied"
    if not ever_published(service):
        moderation.apply_service_snapshot(service, values)
        return "draft"
    moderation.propose("service", service, {**working_snapshot(service, user), **values}, user)
    return "pending"


def same_name(service):
    """Another listing of the organisation with this one's name (ignoring case and spacing), or None."""
    key = " ".join(service.name.split()).casefold()
    return next((other for other in service.organisation.services
                 if other.id != service.id and " ".join(other.name.split()).casefold() == key), None)


def create_draft(organisation, user, form):
    base = slugify(form.name.data, fallback=slugify(organisation.name))
    slug = base
    while db.session.execute(select(Service.id).where(Service.slug == slug)).first():
        slug = f"{base}-{secrets.token_hex(2)}"
    service = Service(organisation=organisation, slug=slug, status="draft", name=form.name.data.strip(),
                      description="", formats=["in_person"], languages=["en"])
    db.session.add(service)
    db.session.flush()
    moderation.apply_service_snapshot(service, section_values("basics", form))
    return service


def submit_for_approval(service, user):
    snapshot = moderation.snapshot_service(service)
    snapshot["status"] = "published"
    if is_manager(user):
        moderation.apply_directly("service", service, {"status": "published"}, user, kind="create")
        service.last_verified_at, service.last_verified_by_id = utcnow(), user.id
        return "applied"
    moderation.propose("service", service, snapshot, user, kind="create")
    return "pending"


def set_capacity(service, user, status, note):
    """Capacity is time-critical ("we're full until March"): it goes live at once, and is kept in the history."""
    service.capacity_updated_on = utcnow().date()
    values = {"capacity_status": status, "capacity_note": (note or "").strip()[:300]}
    moderation.apply_directly("service", service, values, user, kind="capacity")


def confirm_still_correct(service, user):
    # The same rule as the e-mailed "still correct" link, timed by the wall clock.
    freshness.confirm_still_correct(service, user, now=utcnow())


ORGANISATION_PLACE_FIELDS = ("name", "address_1", "address_2", "town", "postcode", "nearest_station")


def organisation_form_data(snapshot):
    """The organisation form's starting values from a snapshot (the pending one, if any)."""
    data = {k: v for k, v in snapshot.items() if k != "locations"}
    data["locations"] = [{"location_id": str(loc["id"]), **{k: loc.get(k) or "" for k in ORGANISATION_PLACE_FIELDS}}
                         for loc in snapshot["locations"]]
    return data


def _place_values(row):
    location_id = whole_number(row.location_id.data, 1, MAX_ID)
    return {"id": location_id, "name": row.name.data or "", "address_1": row.address_1.data or "",
            "address_2": row.address_2.data or "", "town": row.town.data or "London",
            "postcode": row.postcode.data or "", "nearest_station": (row.nearest_station.data or "").strip()}


def organisation_snapshot(organisation, form):
    snapshot = {name: (form[name].data or "").strip() for name in moderation.ORGANISATION_FIELDS if name in form}
    snapshot["logo_url"] = organisation.logo_url
    # Rows left blank are the form's spare slots, not places.
    snapshot["locations"] = [_place_values(entry.form) for entry in form.locations
                             if entry.form.address_1.data or entry.form.postcode.data or entry.form.name.data]
    return snapshot


def save_organisation(organisation, user, form):
    """A manager's change goes live at once; a provider's waits for a directory manager."""
    snapshot = organisation_snapshot(organisation, form)
    if is_manager(user):
        moderation.apply_directly("organisation", organisation, snapshot, user)
        return "applied"
    moderation.propose("organisation", organisation, snapshot, user)
    return "pending"


def attention(service, freshness):
    """What a provider should look at for this listing."""
    notes = []
    state = freshness(service)
    if state != "fresh" and service.status == "published":  # a draft's freshness starts when it is published
        notes.append(("stale", state))
    change = moderation.draft_for("service", service.id)
    if change is not None and change.status == "pending":
        notes.append(("pending", None))
    elif change is not None:
        notes.append(("sent_back", change.reason))
    edited = moderation_edits.approved_with_changes("service", service.id)
    if edited is not None:
        labels = ", ".join(str(label) for label in moderation_edits.edited_labels(edited))
        notes.append(("approved_with_changes", labels))
    for language, draft in translation_review.drafts_by_language(service).items():
        if draft.status == "sent_back":
            notes.append(("translation_sent_back", (language, language_name(language), draft.reason)))
        else:
            notes.append(("translation_pending", (language, language_name(language), None)))
    return notes


def organisation_sent_back(organisation):
    """The organisation change sent back to its provider, if any: its reason shows on their dashboard."""
    return moderation.sent_back_for("organisation", organisation.id)


def organisation_working_snapshot(organisation, user):
    if is_manager(user):
        return moderation.snapshot_organisation(organisation)
    return moderation.provider_view("organisation", organisation)
