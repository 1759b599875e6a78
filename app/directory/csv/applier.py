"""Applying a checked file's plans to the directory. Adds and flushes; the caller commits."""
from datetime import date, datetime
from datetime import time as dtime

from sqlalchemy import select

from app.core.validation import parse_clock_time
from app.directory.csv.plan import (
    KEEP,
    categories_changed,
    closures_changed,
    location_key,
    place_key,
    same,
    verified_changed,
    weekly_changed,
)
from app.directory.listings import neighbourhood_for_postcode
from app.directory.models import (
    Category,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceClosure,
)
from app.directory.moderation import ensure_first_version, record, snapshot_service
from app.directory.postcodes import position_for
from app.extensions import db


def apply_plans(checker, user, today):
    """Create or update every planned listing, recording an "import" revision for each one touched."""
    new_org_names = {slug: name for slug, (name, _row) in checker.new_orgs.items()}
    for plan in checker.plans:
        if plan.service is not None and plan.outcome != "unchanged":
            ensure_first_version("service", plan.service)  # so the import itself can be undone
    # Nothing is flushed half-built while the plans are applied.
    with db.session.no_autoflush:
        touched = _Applier(checker.plans, checker.organisations, user, today).apply(new_org_names)
    db.session.flush()
    for service in touched:
        record("service", service, service.organisation_id, snapshot_service(service), "import", user)


class _Applier:
    def __init__(self, plans, organisations, user, today):
        self.plans = plans
        self.organisations = dict(organisations)
        self.user = user
        self.today = today
        self.categories = {c.code: c for c in db.session.execute(select(Category)).scalars()}
        self.hoods = {}

    def apply(self, new_org_names):
        return [self.apply_plan(plan, new_org_names.get(plan.org_slug, "")) for plan in self.plans
                if plan.outcome != "unchanged"]

    def apply_plan(self, plan, org_name):
        org = self.organisation(plan, org_name)
        service = plan.service
        if service is None:
            service = Service(organisation=org, slug=plan.slug, name=plan.name, capacity_updated_on=self.today)
            db.session.add(service)
        self.set_fields(service, plan.fields)
        if categories_changed(plan, service):
            service.categories = [self.categories[code] for code in plan.categories]
        place_location, moved = self.set_place(service, org, plan.place)
        self.set_weekly(service, plan, place_location, moved)
        if closures_changed(plan, service):
            service.closures = [ServiceClosure(starts_on=date.fromisoformat(start), ends_on=date.fromisoformat(end))
                                for start, end in plan.closures]
        if verified_changed(plan, service):
            service.last_verified_at = datetime.combine(plan.verified, dtime(12, 0))
            service.last_verified_by_id = getattr(self.user, "id", None)
        return service

    def organisation(self, plan, name):
        org = self.organisations.get(plan.org_slug)
        if org is None:
            org = Organisation(slug=plan.org_slug, name=name)
            db.session.add(org)
            self.organisations[plan.org_slug] = org
        return org

    def set_fields(self, service, fields):
        for name, value in fields.items():
            if not same(getattr(service, name), value):
                setattr(service, name, value)
                if name in ("capacity_status", "capacity_note"):
                    service.capacity_updated_on = self.today

    def set_place(self, service, org, place):
        """(the listing's place after the import, KEEP when the file says nothing; whether it moved)."""
        if place is KEEP:
            return KEEP, False
        if place is None:
            moved = bool(service.service_locations)
            if moved:
                service.service_locations = []
            return None, moved
        key = place_key(place)
        current = [loc for loc in service.locations if location_key(loc) == key]
        if current:
            _set_station(current[0], place)
            return current[0], False
        location = self.location(org, place)
        service.service_locations = [ServiceAtLocation(location=location)]
        return location, True

    def location(self, org, place):
        """The organisation's location at this place, or a new one."""
        key = place_key(place)
        for loc in org.locations:
            if location_key(loc) == key:
                _set_station(loc, place)
                return loc
        postcode = place["postcode"]
        if postcode not in self.hoods:
            self.hoods[postcode] = neighbourhood_for_postcode(postcode)
        latitude, longitude = position_for(postcode)  # a real address: no demo jitter
        loc = Location(organisation=org, name=place["location_name"], address_1=place["address_1"],
                       address_2=place["address_2"], town=place["town"], postcode=postcode, latitude=latitude,
                       longitude=longitude, neighbourhood=self.hoods[postcode],
                       nearest_station=place.get("nearest_station") or None)
        db.session.add(loc)
        return loc

    def set_weekly(self, service, plan, place_location, moved):
        if weekly_changed(plan, service):
            at = place_location if place_location is not KEEP else (service.locations or [None])[0]
            service.schedules = [s for s in service.schedules if s.kind != "weekly"] + _weekly_sessions(plan, at)
        elif moved:
            # Weekly sessions follow the listing to its new place (or to no place).
            for session in service.schedules:
                if session.kind == "weekly" and session.location_id is not None:
                    session.location = place_location


def _set_station(location, place):
    # A blank cell keeps the station, as blank cells keep other values.
    if place.get("nearest_station"):
        location.nearest_station = place["nearest_station"]


def _weekly_sessions(plan, location):
    return [Schedule(kind="weekly", weekday=day, opens_at=parse_clock_time(opens), closes_at=parse_clock_time(closes),
                     location=location, freq=freq, interval=interval, week_of_month=week_of_month or None,
                     starts_on=date.fromisoformat(starts) if starts else None, term_time_only=term)
            for day, opens, closes, freq, interval, week_of_month, starts, term in plan.weekly]
