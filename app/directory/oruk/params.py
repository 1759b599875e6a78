"""Reading an API request's query string. Anything we cannot use is an ApiError (a 400 with a JSON body),
never a guess and never a 500."""
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from flask import current_app

from app.directory import postcodes
from app.directory.oruk import ids, taxonomies
from app.directory.oruk.schedules import BYDAY

DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_PAGE = 1_000_000
MAX_PROXIMITY_MILES = 100.0
DEFAULT_PROXIMITY_MILES = 5.0


class ApiError(Exception):
    def __init__(self, status, message, parameter=None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter

    def body(self):
        data = {"error": {400: "bad_request", 404: "not_found"}.get(self.status, "error"), "status": self.status,
                "message": self.message}
        if self.parameter:
            data["parameter"] = self.parameter
        return data


@dataclass
class Paging:
    page: int = 1
    per_page: int = 50
    capped: bool = False


@dataclass
class ServiceQuery:
    paging: Paging = field(default_factory=Paging)
    search: str = ""
    term: object = None
    taxonomy: object = None
    organization_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: int | None = None
    start_time: time | None = None
    end_time: time | None = None
    modified_after: datetime | None = None
    near: object = None
    proximity: float | None = None
    full_service: bool = False


def _one(args, name):
    values = args.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"Give {name} once.", name)
    return values[0].strip() if values else None


def _whole(args, name, low, default):
    raw = _one(args, name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12 or int(raw) < low:
        raise ApiError(400, f"{name} must be a whole number of at least {low}.", name)
    return int(raw)


def paging(args):
    page = _whole(args, "page", 1, 1)
    if page > MAX_PAGE:
        raise ApiError(400, f"page must be at most {MAX_PAGE}.", "page")
    limit = current_app.config["API_MAX_PER_PAGE"]
    per_page = _whole(args, "per_page", 1, min(50, limit))
    return Paging(page, min(per_page, limit), per_page > limit)


def boolean(args, name):
    raw = _one(args, name)
    if raw is None or raw == "":
        return False
    if raw.lower() not in ("true", "false", "1", "0"):
        raise ApiError(400, f"{name} must be true or false.", name)
    return raw.lower() in ("true", "1")


def uuid_arg(args, name):
    raw = _one(args, name)
    if raw is None or raw == "":
        return None
    found = ids.parse(raw)
    if found is None:
        raise ApiError(400, f"{name} must be a UUID.", name)
    return found


def _number(args, name):
    raw = _one(args, name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a number.", name) from None
    if not 0 <= value <= 150:
        raise ApiError(400, f"{name} must be from 0 to 150.", name)
    return value


def _day(args):
    raw = _one(args, "day")
    if raw is None or raw == "":
        return None
    text = raw.strip().lower()
    for index, (code, name) in enumerate(zip(BYDAY, DAY_NAMES, strict=True)):
        if text in (code.lower(), name):
            return index
    raise ApiError(400, "day must be a day of the week: MO, TU, WE, TH, FR, SA, SU (or monday ... sunday).", "day")


def _time(args, name):
    raw = _one(args, name)
    if raw is None or raw == "":
        return None
    try:
        return time.fromisoformat(raw).replace(tzinfo=None) if len(raw) <= 15 else None
    except ValueError:
        raise ApiError(400, f"{name} must be a time of day, like 09:30 or 09:30:00.", name) from None


def _datetime(args, name):
    raw = _one(args, name)
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+")) if len(raw) <= 40 else None
    except ValueError:
        value = None
    if value is None:
        raise ApiError(400, f"{name} must be a date or date and time (ISO 8601), like 2026-01-31T09:00:00Z.", name)
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _term(args):
    found_id = uuid_arg(args, "taxonomy_term_id")
    if found_id is None:
        return None
    found = taxonomies.term_by_id(found_id)
    if found is None:
        raise ApiError(400, "taxonomy_term_id is not one of our taxonomy terms (see /api/v1/taxonomy_terms).",
                       "taxonomy_term_id")
    return found


def taxonomy_arg(args):
    found_id = uuid_arg(args, "taxonomy_id")
    if found_id is None:
        return None
    found = taxonomies.taxonomy_by_id(found_id)
    if found is None:
        raise ApiError(400, "taxonomy_id is not one of our taxonomies (see /api/v1/taxonomies).", "taxonomy_id")
    return found


def _near(args, query):
    raw = _one(args, "postcode")
    proximity = _one(args, "proximity")
    if proximity:
        try:
            query.proximity = float(proximity)
        except ValueError:
            query.proximity = -1.0
        if not 0 < query.proximity <= MAX_PROXIMITY_MILES:
            raise ApiError(400, f"proximity must be a distance in miles, more than 0 and at most "
                                f"{MAX_PROXIMITY_MILES:g}.", "proximity")
        if not raw:
            raise ApiError(400, "proximity needs a postcode.", "proximity")
    if not raw:
        return
    try:
        query.near = postcodes.lookup(raw)
    except postcodes.PostcodeError as exc:
        reason = "is not a UK postcode" if exc.kind == "malformed" else "is a postcode we cannot place"
        raise ApiError(400, f"postcode {reason} (we place London postcodes, full like NW5 2AB or the first part "
                            "like NW5).", "postcode") from None
    query.proximity = query.proximity or DEFAULT_PROXIMITY_MILES


def service_query(args):
    query = ServiceQuery(paging=paging(args), search=(_one(args, "search") or "")[:200],
                         term=_term(args), taxonomy=taxonomy_arg(args),
                         organization_id=uuid_arg(args, "organization_id"),
                         minimum_age=_number(args, "minimum_age"), maximum_age=_number(args, "maximum_age"),
                         day=_day(args), start_time=_time(args, "start_time"), end_time=_time(args, "end_time"),
                         modified_after=_datetime(args, "modified_after"),
                         full_service=boolean(args, "full_service"))
    _near(args, query)
    return query
