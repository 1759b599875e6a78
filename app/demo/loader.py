"""`flask demo load`: the fictional directory from app/demo/data/ and one demo account per role.

Services here add and flush; the command commits once.
"""
from datetime import time, timedelta

from sqlalchemy import select

from app.accounts import services as accounts
from app.core import validation
from app.core.clock import now_utc
from app.core.text import slugify
from app.demo import content
from app.demo.places import approximate_position
from app.directory import listings as directory
from app.directory import school_holidays
from app.directory.models import (
    Category,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceClosure,
)
from app.extensions import db
from app.selfreferral.models import PartnerAccess

# One account per role: (email, name, roles, password). These passwords exist only in demo data and are
# listed in the README.
DEMO_ACCOUNTS = [(a["email"], a["name"], a["roles"], a["password"]) for a in content.accounts()]


def _parse_time(value):
    hours, minutes = (int(part) for part in value.split(":"))
    return time(hours % 24, minutes)


def ensure_demo_accounts():
    created = []
    first_org = db.session.execute(select(Organisation).order_by(Organisation.id)).scalars().first()
    for email, name, roles, password in DEMO_ACCOUNTS:
        if accounts.find_user_by_email(email):
            continue
        orgs = [first_org] if ("provider" in roles or "partner" in roles) and first_org else []
        user = accounts.create_user(email, password, roles, name=name, organisations=orgs)
        if "partner" in roles and first_org:  # reading its shared referrals is a grant of its own
            db.session.add(PartnerAccess(user=user, organisation=first_org))
        created.append(email)
    db.session.flush()
    return created


def load_demo(today=None):
    """Add the fictional directory and the demo accounts. Organisations already present (by slug) are left alone.

    Returns (listings added, account emails created); the caller commits.
    """
    directory.seed_reference_data()
    school_holidays.seed_defaults()
    now = now_utc()
    context = {
        "today": today or now.date(), "now": now,
        "categories": {c.code: c for c in db.session.execute(select(Category)).scalars()},
        "used_slugs": set(db.session.execute(select(Service.slug)).scalars()),
    }
    existing = set(db.session.execute(select(Organisation.slug)).scalars())
    added = 0
    for org_data in content.organisations():
        if slugify(org_data["name"]) in existing:
            continue
        org = _organisation(org_data, context)
        db.session.add(org)
        added += len(org.services)
    db.session.flush()
    return added, ensure_demo_accounts()


def _organisation(data, context):
    org = Organisation(
        slug=slugify(data["name"]), name=data["name"], description=data.get("description", ""),
        website=data.get("website", ""), email=data.get("email", ""), phone=data.get("phone", ""),
        charity_number=data.get("charity_number") or "", company_number=data.get("company_number") or "",
    )
    locations = {}
    for loc in data.get("locations", []):
        location = _location(loc)
        org.locations.append(location)
        locations[loc["key"]] = location
    for service_data in data["services"]:
        org.services.append(_service(service_data, org.slug, locations, context))
    return org


def _location(data):
    postcode = validation.postcode(data["postcode"])
    lat, lon = approximate_position(postcode)
    return Location(name=data.get("name", ""), address_1=data.get("address_1", ""),
                    address_2=data.get("address_2", ""), postcode=postcode, latitude=lat, longitude=lon,
                    neighbourhood=directory.neighbourhood_for_postcode(postcode),
                    nearest_station=data.get("nearest_station"))


def _service(data, org_slug, locations, context):
    slug = slugify(data["name"])
    if slug in context["used_slugs"]:
        slug = slugify(f"{data['name']} {org_slug}")
    context["used_slugs"].add(slug)
    months = data.get("verified_months_ago", 1)
    contact = data.get("contact", {})
    service = Service(
        slug=slug, name=data["name"], description=data.get("description", ""),
        access_method=data.get("access_method", "self_refer"), access_text=data.get("access_text", ""),
        eligibility=data.get("eligibility", ""), min_age=data.get("min_age"), max_age=data.get("max_age"),
        audience=data.get("audience", []), cost_type=data.get("cost_type", "free"),
        cost_text=data.get("cost_text", ""), formats=data.get("formats", ["in_person"]),
        languages=data.get("languages", ["en"]), accessibility=data.get("accessibility", []),
        capacity_status=data.get("capacity_status", "taking"), capacity_note=data.get("capacity_note", ""),
        capacity_updated_on=context["today"] - timedelta(days=7 * (months + 1)),
        contact_name=contact.get("name", ""), contact_role=contact.get("role", ""),
        contact_phone=contact.get("phone", ""), contact_email=contact.get("email", ""),
        status=data.get("status", "published"),
        last_verified_at=context["now"] - timedelta(days=int(30.44 * months) + (len(slug) % 9)),
        categories=[context["categories"][code] for code in data["categories"]],
    )
    for key in data.get("locations", []):
        service.service_locations.append(ServiceAtLocation(location=locations[key]))
    first_location = locations[data["locations"][0]] if data.get("locations") else None
    service.schedules.extend(_schedules(data, first_location, context["today"]))
    # Closures are [days from today, days from today]: the first and last day the regular sessions are off.
    service.closures.extend(ServiceClosure(starts_on=context["today"] + timedelta(days=first),
                                           ends_on=context["today"] + timedelta(days=last))
                            for first, last in data.get("closures", []))
    return service


def _next_weekday(today, weekday):
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _schedules(data, location, today):
    """Weekly rows are [weekday, opens, closes, note] with optional rules as a fifth item ({"week_of_month": 1}
    for the first one in the month, -1 the last; {"every_other_week": true}; {"term_time": true});
    events are [days from today, opens, closes, title]."""
    for weekday, opens, closes, note, *rules in data.get("weekly", []):
        rule = rules[0] if rules else {}
        monthly = "week_of_month" in rule
        fortnightly = bool(rule.get("every_other_week"))
        yield Schedule(kind="weekly", weekday=weekday, opens_at=_parse_time(opens), closes_at=_parse_time(closes),
                       note=note, location=location, freq="MONTHLY" if monthly else "WEEKLY",
                       interval=2 if fortnightly else 1, week_of_month=rule.get("week_of_month"),
                       starts_on=_next_weekday(today, weekday) if fortnightly else None,
                       term_time_only=bool(rule.get("term_time")))
    for days_ahead, opens, closes, title in data.get("events", []):
        yield Schedule(kind="event", event_date=today + timedelta(days=days_ahead), opens_at=_parse_time(opens),
                       closes_at=_parse_time(closes), title=title, location=location)
