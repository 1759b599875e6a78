"""Snapshots, diffs and the moderation rules for listings and organisations.

A snapshot is plain JSON: every field a provider can change, with places and times. Providers'
changes are stored as pending snapshots; applying one writes it to the live tables (and so to
the search index, after the commit). History is the list of applied snapshots.

These functions add and flush; the view or command that calls them commits, once.
"""
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit, validation
from app.core.db import utcnow
from app.directory.listings import neighbourhood_for_postcode
from app.directory.models import (
    Category,
    Location,
    Organisation,
    Revision,
    Schedule,
    Service,
    ServiceAtLocation,
    statuses,
)
from app.directory.models.statuses import ChangeStatus
from app.directory.postcodes import position_for
from app.extensions import db

SERVICE_FIELDS = ("name", "description", "access_method", "access_text", "eligibility", "min_age", "max_age",
                  "audience", "cost_type", "cost_text", "formats", "languages", "accessibility", "capacity_status",
                  "capacity_note", "contact_name", "contact_role", "contact_phone", "contact_email", "status")
ORGANISATION_FIELDS = ("name", "description", "website", "email", "phone", "charity_number", "company_number",
                       "logo_url")
FIELD_LABELS = {
    "name": _l("Name"), "description": _l("Description"), "access_method": _l("How to start"),
    "access_text": _l("How to get in"), "eligibility": _l("Who it is for"), "min_age": _l("Youngest age"),
    "max_age": _l("Oldest age"), "audience": _l("Groups it is for"), "cost_type": _l("Cost"),
    "cost_text": _l("Cost details"), "formats": _l("How it runs"), "languages": _l("Languages"),
    "accessibility": _l("Accessibility"), "capacity_status": _l("Availability"),
    "capacity_note": _l("Availability note"), "contact_name": _l("Contact name"), "contact_role": _l("Contact role"),
    "contact_phone": _l("Contact phone"), "contact_email": _l("Contact email"), "status": _l("Status"),
    "categories": _l("Categories"), "locations": _l("Places"), "schedules": _l("Opening times"),
    "website": _l("Website"), "email": _l("Email"), "phone": _l("Phone"), "charity_number": _l("Charity number"),
    "company_number": _l("Company number"), "logo_url": _l("Logo address"),
}


class ModerationError(ValueError):
    pass


def _t(value):
    return value.strftime("%H:%M") if isinstance(value, time) else value


def snapshot_service(service):
    data = {name: getattr(service, name) for name in SERVICE_FIELDS}
    data["categories"] = sorted(c.code for c in service.categories)
    data["locations"] = sorted(link.location_id for link in service.service_locations)
    data["schedules"] = sorted(
        ({"kind": s.kind, "weekday": s.weekday, "event_date": s.event_date.isoformat() if s.event_date else None,
          "opens_at": _t(s.opens_at), "closes_at": _t(s.closes_at), "title": s.title or "", "note": s.note or "",
          "location_id": s.location_id} for s in service.schedules),
        key=lambda s: (s["kind"], s["weekday"] if s["weekday"] is not None else -1, s["event_date"] or "",
                       s["opens_at"]))
    return data


def snapshot_organisation(org):
    data = {name: getattr(org, name) for name in ORGANISATION_FIELDS}
    data["locations"] = [{"id": loc.id, "name": loc.name, "address_1": loc.address_1, "address_2": loc.address_2,
                          "town": loc.town, "postcode": loc.postcode, "nearest_station": loc.nearest_station or ""}
                         for loc in org.locations]
    return data


def _parse_time(value):
    hours, minutes = (int(p) for p in str(value).split(":")[:2])
    return time(hours, minutes)


NULLABLE_FIELDS = {"min_age", "max_age"}


LIST_FIELDS = {"audience", "formats", "languages", "accessibility"}


def apply_service_snapshot(service, data):
    for name in SERVICE_FIELDS:
        if name in data:
            setattr(service, name, _stored_value(name, data[name]))
    if "categories" in data:
        service.categories = db.session.execute(
            select(Category).where(Category.code.in_(data["categories"]))).scalars().all()
    if "locations" in data:
        _apply_places(service, data["locations"])
    if "schedules" in data:
        service.schedules = [_schedule(s) for s in data["schedules"]]


def _stored_value(name, value):
    # The columns are NOT NULL (ages aside): an empty value is stored as an empty list or text.
    if value is None and name not in NULLABLE_FIELDS:
        return [] if name in LIST_FIELDS else ""
    return value


def _apply_places(service, location_ids):
    """Link the listing to these places, only ever the organisation's own."""
    own = {loc.id for loc in service.organisation.locations}
    existing = {link.location_id: link for link in service.service_locations}
    service.service_locations = [existing.get(lid) or ServiceAtLocation(location_id=lid)
                                 for lid in location_ids if lid in own]


def _schedule(s):
    return Schedule(kind=s["kind"], weekday=s.get("weekday"),
                    event_date=date.fromisoformat(s["event_date"]) if s.get("event_date") else None,
                    opens_at=_parse_time(s["opens_at"]), closes_at=_parse_time(s["closes_at"]),
                    title=s.get("title", ""), note=s.get("note", ""), location_id=s.get("location_id"))


def apply_organisation_snapshot(org, data):
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(org, name, data[name] or "")
    if "locations" in data:
        by_id = {loc.id: loc for loc in org.locations}
        # A new place joins the organisation through org.locations, not before the lookups autoflush.
        org.locations = [_place(by_id.get(item.get("id")) or Location(), item) for item in data["locations"]]


def _place(loc, item):
    postcode = validation.postcode(item.get("postcode")) or ""
    if postcode != loc.postcode:
        loc.latitude, loc.longitude = position_for(postcode) if postcode else (None, None)
        loc.neighbourhood = neighbourhood_for_postcode(postcode)
    loc.name, loc.address_1, loc.address_2 = item.get("name", ""), item.get("address_1", ""), item.get("address_2", "")
    loc.town, loc.postcode = item.get("town") or "London", postcode
    if "nearest_station" in item:  # changes proposed before places had a station leave it as it is
        loc.nearest_station = item["nearest_station"] or None
    return loc


def diff(old, new):
    """[(field, label, old value, new value)] for every field that differs."""
    changes = []
    for key in sorted(set(old) | set(new), key=lambda k: list(FIELD_LABELS).index(k) if k in FIELD_LABELS else 99):
        if old.get(key) != new.get(key):
            changes.append((key, FIELD_LABELS.get(key, key), old.get(key), new.get(key)))
    return changes


def record(entity_type, entity, organisation_id, snapshot, kind, user, status="applied"):
    revision = Revision(entity_type=entity_type, entity_id=entity.id, organisation_id=organisation_id, kind=kind,
                        status=status, submitted_by_id=getattr(user, "id", None))
    revision.snapshot = snapshot
    if status == "applied":
        revision.decided_by_id, revision.decided_at = getattr(user, "id", None), utcnow()
    db.session.add(revision)
    return revision


def pending_for(entity_type, entity_id):
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id, Revision.status == "pending")
        .order_by(Revision.submitted_at.desc())).scalars().first()


def propose(entity_type, entity, snapshot, user, kind="edit"):
    """A provider's change: replaces any earlier pending change to the same thing."""
    org_id = entity.organisation_id if entity_type == "service" else entity.id
    for older in db.session.execute(select(Revision).where(
            Revision.entity_type == entity_type, Revision.entity_id == entity.id,
            Revision.status == "pending")).scalars():
        older.status = "superseded"
    revision = record(entity_type, entity, org_id, snapshot, kind, user, status="pending")
    db.session.flush()
    return revision


def live_snapshot(revision):
    if revision.entity_type == "service":
        entity = db.session.get(Service, revision.entity_id)
        return entity, snapshot_service(entity) if entity else None
    entity = db.session.get(Organisation, revision.entity_id)
    return entity, snapshot_organisation(entity) if entity else None


def approve(revision, manager):
    statuses.check("change", revision.status, ChangeStatus.APPLIED)  # before touching the listing
    entity, _current = live_snapshot(revision)
    if entity is None:
        raise ModerationError(_l("The listing no longer exists"))
    data = revision.snapshot
    if revision.entity_type == "service":
        if revision.kind == "create" and data.get("status") in (None, "draft"):
            data["status"] = "published"
        apply_service_snapshot(entity, data)
        entity.last_verified_at, entity.last_verified_by_id = utcnow(), revision.submitted_by_id
    else:
        apply_organisation_snapshot(entity, data)
    revision.status, revision.decided_by_id, revision.decided_at = "applied", manager.id, utcnow()
    audit.log("change_approve", manager, detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")
    return entity


def reject(revision, manager, reason):
    statuses.check("change", revision.status, ChangeStatus.REJECTED)
    if not (reason or "").strip():
        raise ModerationError(_l("Give a reason, so the provider knows what to change"))
    revision.status, revision.reason = "rejected", reason.strip()[:2000]
    revision.decided_by_id, revision.decided_at = manager.id, utcnow()
    audit.log("change_send_back", manager, detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")


def history(entity_type, entity_id):
    return db.session.execute(select(Revision).where(
        Revision.entity_type == entity_type, Revision.entity_id == entity_id)
        .order_by(Revision.submitted_at.desc(), Revision.id.desc())).scalars().all()


def restore(revision, manager):
    if revision.status != "applied":
        raise ModerationError(_l("Only a version that was published can be restored"))
    entity, _current = live_snapshot(revision)
    if entity is None:
        raise ModerationError(_l("The listing no longer exists"))
    if revision.entity_type == "service":
        apply_service_snapshot(entity, revision.snapshot)
        org_id = entity.organisation_id
    else:
        apply_organisation_snapshot(entity, revision.snapshot)
        org_id = entity.id
    record(revision.entity_type, entity, org_id, revision.snapshot, "restore", manager)
    audit.log("change_restore", manager, detail=f"revision={revision.id} {revision.entity_type}={revision.entity_id}")
    return entity


def apply_directly(entity_type, entity, snapshot, user, kind="manager_edit"):
    """A manager's edit, or a provider's capacity change: live at once, and kept in the history."""
    if entity_type == "service":
        apply_service_snapshot(entity, snapshot)
        org_id = entity.organisation_id
    else:
        apply_organisation_snapshot(entity, snapshot)
        org_id = entity.id
    db.session.flush()
    record(entity_type, entity, org_id, snapshot_service(entity) if entity_type == "service"
           else snapshot_organisation(entity), kind, user)
