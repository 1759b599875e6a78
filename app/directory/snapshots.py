"""Snapshots of listings and organisations, and writing one back to the live tables.

A snapshot is plain JSON: every field a provider can change, with places and times. These functions
change the session's objects; the view or command that calls them commits, once.
"""
import json
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import validation
from app.directory.listings import neighbourhood_for_postcode
from app.directory.models import Category, Location, Schedule, ServiceAtLocation, ServiceClosure
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
    "closures": _l("Holiday closures"),
    "website": _l("Website"), "email": _l("Email"), "phone": _l("Phone"), "charity_number": _l("Charity number"),
    "company_number": _l("Company number"), "logo_url": _l("Logo address"),
}


def _t(value):
    return value.strftime("%H:%M") if isinstance(value, time) else value


def snapshot_service(service):
    data = {name: getattr(service, name) for name in SERVICE_FIELDS}
    data["categories"] = sorted(c.code for c in service.categories)
    data["locations"] = sorted(link.location_id for link in service.service_locations)
    data["schedules"] = sorted((schedule_dict(s) for s in service.schedules), key=_schedule_order)
    data["closures"] = [{"starts_on": c.starts_on.isoformat(), "ends_on": c.ends_on.isoformat()}
                        for c in sorted(service.closures, key=lambda c: (c.starts_on, c.ends_on))]
    return data


# What a session is in a snapshot. Snapshots written before monthly and fortnightly sessions lack the later keys,
# and mean these values.
SCHEDULE_DEFAULTS = {"freq": None, "interval": 1, "week_of_month": None, "starts_on": None, "term_time_only": False}


def schedule_dict(s):
    return {"kind": s.kind, "weekday": s.weekday, "event_date": s.event_date.isoformat() if s.event_date else None,
            "opens_at": _t(s.opens_at), "closes_at": _t(s.closes_at), "title": s.title or "", "note": s.note or "",
            "location_id": s.location_id, "freq": s.freq if s.kind == "weekly" else None,
            "interval": s.interval or 1, "week_of_month": s.week_of_month,
            "starts_on": s.starts_on.isoformat() if s.starts_on else None, "term_time_only": bool(s.term_time_only)}


def normal_schedule(s):
    out = {**SCHEDULE_DEFAULTS, **s}
    if out["kind"] == "weekly" and not out["freq"]:
        out["freq"] = "WEEKLY"
    return out


def _schedule_order(s):
    return (s["kind"], s["weekday"] if s["weekday"] is not None else -1, s["event_date"] or "", s["opens_at"],
            s.get("freq") or "", s.get("week_of_month") or 0, s.get("starts_on") or "")


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
    if "closures" in data:
        service.closures = [ServiceClosure(starts_on=date.fromisoformat(c["starts_on"]),
                                           ends_on=date.fromisoformat(c["ends_on"])) for c in data["closures"]]


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
    s = normal_schedule(s)
    return Schedule(kind=s["kind"], weekday=s.get("weekday"),
                    event_date=date.fromisoformat(s["event_date"]) if s.get("event_date") else None,
                    opens_at=_parse_time(s["opens_at"]), closes_at=_parse_time(s["closes_at"]),
                    title=s.get("title", ""), note=s.get("note", ""), location_id=s.get("location_id"),
                    freq=s["freq"], interval=s["interval"] or 1, week_of_month=s["week_of_month"],
                    starts_on=date.fromisoformat(s["starts_on"]) if s["starts_on"] else None,
                    term_time_only=bool(s["term_time_only"]))


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
        if not same(key, old.get(key), new.get(key)):
            changes.append((key, FIELD_LABELS.get(key, key), old.get(key), new.get(key)))
    return changes


def snapshot_of(entity_type, entity):
    return snapshot_service(entity) if entity_type == "service" else snapshot_organisation(entity)


def apply_snapshot(entity_type, entity, data):
    """Write these fields (only these) to the live listing or organisation."""
    if entity_type == "service":
        apply_service_snapshot(entity, data)
    else:
        apply_organisation_snapshot(entity, data)


def _comparable(key, value):
    if value is None or value == "":
        return None if key in NULLABLE_FIELDS else ""
    if key == "schedules":  # the form lists sessions then events; a snapshot sorts them
        return sorted((normal_schedule(s) for s in value),
                      key=lambda s: json.dumps(s, sort_keys=True, default=str)) or ""
    if isinstance(value, list) and key != "schedules" and all(not isinstance(v, dict) for v in value):
        return sorted(value) if value else ""
    return value


def same(key, a, b):
    """Whether two snapshot values say the same thing (order of codes and empty values aside)."""
    return _comparable(key, a) == _comparable(key, b)
