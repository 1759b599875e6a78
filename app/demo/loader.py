"""Demo data: realistic fictional listings, demo accounts and synthetic listings for benchmarks."""
import hashlib
import random
import re
import secrets
import unicodedata
from datetime import time, timedelta

from sqlalchemy import insert, select

from app.accounts import services as accounts
from app.directory import listings as directory
from app.directory.models import (Category, Location, Neighbourhood, Organisation, Schedule, Service,
                                  ServiceAtLocation, service_categories)
from app.directory.taxonomy import ACCESSIBILITY_FEATURES, AUDIENCES, DELIVERY_LANGUAGES
from app.extensions import db
from app.core.db import utcnow

# One account per role. These passwords exist only in demo data and are listed in the README.
DEMO_ACCOUNTS = [
    ("provider@demo.hidden-gems.example", "Priya Provider", ["provider"], "demo-provider-pass"),
    ("manager@demo.hidden-gems.example", "Morgan Manager", ["manager"], "demo-manager-pass"),
    ("spa@demo.hidden-gems.example", "Sam SPA", ["spa"], "demo-spa-pass"),
    ("partner@demo.hidden-gems.example", "Pat Partner", ["partner"], "demo-partner-pass"),
    ("translator@demo.hidden-gems.example", "Tariq Translator", ["translator"], "demo-translator-pass"),
    ("admin@demo.hidden-gems.example", "Ada Admin", ["admin"], "demo-admin-pass"),
]

# Rough centres of the outward codes used by the demo data, for map distances.
OUTWARD_CENTRES = {
    "NW1": (51.5340, -0.1390), "NW3": (51.5530, -0.1700), "NW5": (51.5530, -0.1420),
    "NW6": (51.5440, -0.1960), "WC1": (51.5230, -0.1210), "N19": (51.5650, -0.1320),
}


def slugify(text, max_length=80):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "listing"


def approximate_position(postcode):
    """Demo postcodes are invented: place each near its district's centre (data/london_outcodes.csv)."""
    from app.directory.postcodes import outward_centres
    outward = postcode.split()[0]
    centre = outward_centres().get(outward)
    if centre:
        lat, lon = centre[0], centre[1]
    else:
        key = outward if outward in OUTWARD_CENTRES else outward[:3]
        lat, lon = OUTWARD_CENTRES.get(key, (51.545, -0.150))
    # Deterministic jitter (about 500 m) so places in one district do not sit on one point.
    digest = hashlib.sha256(postcode.encode()).digest()
    return round(lat + (digest[0] - 128) / 128 * 0.004, 5), round(lon + (digest[1] - 128) / 128 * 0.006, 5)


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
        accounts.create_user(email, password, roles, name=name, organisations=orgs)
        created.append(email)
    db.session.commit()
    return created


def load_demo(today=None):
    """Load the fictional directory. Organisations already present (by slug) are left alone."""
    from app.demo.content import ORGANISATIONS

    directory.seed_reference_data()
    today = today or utcnow().date()
    now = utcnow()
    categories = {c.code: c for c in db.session.execute(select(Category)).scalars()}
    existing = set(db.session.execute(select(Organisation.slug)).scalars())
    used_slugs = set(db.session.execute(select(Service.slug)).scalars())
    added = 0
    for org_data in ORGANISATIONS:
        org_slug = slugify(org_data["name"])
        if org_slug in existing:
            continue
        org = Organisation(
            slug=org_slug, name=org_data["name"], description=org_data.get("description", ""),
            website=org_data.get("website", ""), email=org_data.get("email", ""), phone=org_data.get("phone", ""),
            charity_number=org_data.get("charity_number") or "", company_number=org_data.get("company_number") or "",
        )
        locations = {}
        for loc in org_data.get("locations", []):
            postcode = directory.normalise_postcode(loc["postcode"])
            lat, lon = approximate_position(postcode)
            location = Location(name=loc.get("name", ""), address_1=loc.get("address_1", ""),
                                address_2=loc.get("address_2", ""), postcode=postcode, latitude=lat, longitude=lon,
                                neighbourhood=directory.neighbourhood_for_postcode(postcode))
            org.locations.append(location)
            locations[loc["key"]] = location
        for data in org_data["services"]:
            slug = slugify(data["name"])
            if slug in used_slugs:
                slug = slugify(f"{data['name']} {org_slug}")
            used_slugs.add(slug)
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
                capacity_updated_on=today - timedelta(days=7 * (months + 1)),
                contact_name=contact.get("name", ""), contact_role=contact.get("role", ""),
                contact_phone=contact.get("phone", ""), contact_email=contact.get("email", ""),
                status=data.get("status", "published"),
                last_verified_at=now - timedelta(days=int(30.44 * months) + (len(slug) % 9)),
                categories=[categories[code] for code in data["categories"]],
            )
            for key in data.get("locations", []):
                service.service_locations.append(ServiceAtLocation(location=locations[key]))
            first_location = locations[data["locations"][0]] if data.get("locations") else None
            for weekday, opens, closes, note in data.get("weekly", []):
                service.schedules.append(Schedule(kind="weekly", weekday=weekday, opens_at=_parse_time(opens),
                                                  closes_at=_parse_time(closes), note=note, location=first_location))
            for days_ahead, opens, closes, title in data.get("events", []):
                service.schedules.append(Schedule(kind="event", event_date=today + timedelta(days=days_ahead),
                                                  opens_at=_parse_time(opens), closes_at=_parse_time(closes),
                                                  title=title, location=first_location))
            org.services.append(service)
            added += 1
        db.session.add(org)
    db.session.commit()
    created = ensure_demo_accounts()
    return added, created


def _demo_sentences():
    """Sentences and names from the hand-written demo listings, so synthetic text reads (and searches) like real text."""
    from app.demo.content import ORGANISATIONS
    sentences, names = [], []
    for org in ORGANISATIONS:
        for data in org["services"]:
            names.append(data["name"])
            sentences += [part.strip() + "." for part in re.split(r"(?<=[.!?])\s+", data.get("description", ""))
                          if len(part.strip()) > 20]
    return sentences, names


WORDS = ("community friendly weekly group support local welcome relaxed advice walking art music food garden "
         "learning digital skills peer listening confidence wellbeing tea coffee company games singing cooking "
         "exercise stretch gentle confidential volunteers trained friendly neighbours together share").split()


def generate_listings(count, seed=7, batch=2000):
    """Insert `count` synthetic published listings fast, in bulk, for benchmarks."""
    directory.seed_reference_data()
    rng = random.Random(seed)
    sentences, names = _demo_sentences()
    sub_categories = db.session.execute(select(Category).where(Category.parent_id.is_not(None))).scalars().all()
    hoods = db.session.execute(select(Neighbourhood)).scalars().all()
    outwards = ["NW1", "NW3", "NW5", "NW6", "WC1H", "N19"]
    now = utcnow()
    run = secrets.token_hex(3)
    made = 0
    while made < count:
        n = min(batch, count - made)
        orgs, locs, svcs, cats, scheds = [], [], [], [], []
        for i in range(n):
            k = made + i
            category = rng.choice(sub_categories)
            words = rng.sample(WORDS, 12)
            name = f"{rng.choice(names)} {k}"
            postcode = f"{rng.choice(outwards)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
                       f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            lat, lon = approximate_position(postcode)
            orgs.append({"slug": f"gen-{run}-org-{k}", "name": f"Generated organisation {k}",
                         "description": "", "website": "", "email": "", "phone": "", "charity_number": "",
                         "company_number": "", "logo_url": "", "created_at": now, "updated_at": now})
            locs.append({"name": f"{words[1].title()} hall",
                         "address_1": f"{k % 200 + 1} {words[2].title()} Road", "address_2": "", "town": "London",
                         "postcode": postcode, "latitude": lat, "longitude": lon,
                         "neighbourhood_id": rng.choice(hoods).id})
            min_age, max_age = rng.choice([None, 16, 18, 50]), rng.choice([None, 25, 99])
            svcs.append({
                "slug": f"gen-{run}-{k}", "name": name,
                "description": " ".join(rng.sample(sentences, 3)),
                "access_method": rng.choice(["self_refer", "drop_in", "referral"]), "access_text": "",
                "eligibility": "", "min_age": min_age, "max_age": max_age if max_age is None or min_age is None
                or max_age >= min_age else None,
                "audience": rng.sample(list(AUDIENCES), rng.randint(0, 1)),
                "cost_type": rng.choice(["free", "free", "low_cost", "paid"]), "cost_text": "",
                "formats": rng.sample(["in_person", "online", "phone"], rng.randint(1, 2)),
                "languages": ["en"] + rng.sample(list(DELIVERY_LANGUAGES), rng.randint(0, 2)),
                "accessibility": rng.sample(list(ACCESSIBILITY_FEATURES), rng.randint(0, 3)),
                "capacity_status": rng.choice(["taking", "taking", "taking", "waiting_list", "full", "paused"]),
                "capacity_note": "", "capacity_updated_on": now.date(), "contact_name": "", "contact_role": "",
                "contact_phone": "", "contact_email": "", "status": "published",
                "last_verified_at": now - timedelta(days=rng.randint(0, 420)), "last_verified_by_id": None,
                "created_at": now, "updated_at": now,
            })
            cats.append(category.id)
            day = rng.randint(0, 6)
            opens = rng.choice([9, 10, 13, 18])
            scheds.append({"kind": "weekly", "weekday": day, "opens_at": time(opens, 0),
                           "closes_at": time(opens + 2, 0), "title": "", "note": ""})
        # Bulk inserts returning their new ids, in order, on SQLite and PostgreSQL alike.
        org_ids = _insert_returning(Organisation, orgs)
        for loc, org_id in zip(locs, org_ids):
            loc["organisation_id"] = org_id
        loc_ids = _insert_returning(Location, locs)
        for svc, org_id in zip(svcs, org_ids):
            svc["organisation_id"] = org_id
        service_ids = _insert_returning(Service, svcs)
        db.session.execute(insert(service_categories),
                           [{"service_id": s, "category_id": c} for s, c in zip(service_ids, cats)])
        db.session.execute(insert(ServiceAtLocation),
                           [{"service_id": s, "location_id": loc} for s, loc in zip(service_ids, loc_ids)])
        for sched, service_id, loc_id in zip(scheds, service_ids, loc_ids):
            sched.update(service_id=service_id, location_id=loc_id)
        db.session.execute(insert(Schedule), scheds)
        db.session.commit()
        made += n
    return made


def _insert_returning(model, rows):
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]
