"""What the checker plans for each row, and how a plan compares with the listing it updates."""
from dataclasses import dataclass, field
from datetime import date

from app.core.validation import postcode as valid_postcode
from app.directory.csv.sessions import closures_of, weekly_of
from app.directory.models import Organisation, Service

KEEP = object()  # a column the file does not have: leave that part of the listing as it is


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Plan:
    row: int
    org_slug: str = ""
    org: Organisation | None = None
    service: Service | None = None
    slug: str = ""
    name: str = ""
    fields: dict = field(default_factory=dict)  # column -> value, for the columns the file has
    categories: object = KEEP  # list of codes
    place: object = KEEP  # None (no place) or a dict
    weekly: object = KEEP  # list of sessions.parse_session tuples
    closures: object = KEEP  # list of (first day, last day) as ISO dates
    verified: date | None = None
    outcome: str = "new"
    matched_by_name: bool = False  # no service_slug: found as the organisation's listing of the same name


def _norm_text(value):
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def same(current, wanted):
    if isinstance(wanted, list):
        return sorted(set(current or [])) == sorted(set(wanted))
    if isinstance(wanted, str):
        return _norm_text(current) == wanted
    return current == wanted


def place_key(values):
    return tuple((values.get(name) or "").strip().lower() for name in ("location_name", "address_1", "address_2")) + (
        (values.get("town") or "London").strip().lower(), valid_postcode(values.get("postcode")) or "")


def location_key(location):
    return place_key({"location_name": location.name, "address_1": location.address_1,
                      "address_2": location.address_2, "town": location.town, "postcode": location.postcode})


def fields_changed(plan, service):
    return any(not same(getattr(service, name), value) for name, value in plan.fields.items())


def categories_changed(plan, service):
    return plan.categories is not KEEP and sorted(c.code for c in service.categories) != plan.categories


def place_changed(plan, service):
    if plan.place is KEEP:
        return False
    if plan.place is None:
        return bool(service.service_locations)
    key, station = place_key(plan.place), plan.place.get("nearest_station")
    return not any(location_key(loc) == key and (not station or loc.nearest_station == station)
                   for loc in service.locations)


def weekly_changed(plan, service):
    return plan.weekly is not KEEP and weekly_of(service) != plan.weekly


def closures_changed(plan, service):
    return plan.closures is not KEEP and closures_of(service) != plan.closures


def verified_changed(plan, service):
    return bool(plan.verified) and (service.last_verified_at is None
                                    or service.last_verified_at.date() != plan.verified)


_CHANGES = (fields_changed, categories_changed, place_changed, weekly_changed, closures_changed, verified_changed)


def outcome(plan):
    """'new', 'updated' or 'unchanged': what applying the plan would do to the directory."""
    if plan.service is None:
        return "new"
    return "updated" if any(changed(plan, plan.service) for changed in _CHANGES) else "unchanged"
