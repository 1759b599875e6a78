"""`flask demo generate`: synthetic published listings, inserted in bulk, for benchmarks."""
import random
import re
import secrets
from datetime import time, timedelta

from sqlalchemy import insert, select

from app.core import dataversion
from app.core.clock import now_utc
from app.demo import content
from app.demo.places import approximate_position
from app.directory import listings as directory
from app.directory import rendered
from app.directory.models import (
    Category,
    Location,
    Neighbourhood,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    service_categories,
)
from app.directory.taxonomy import ACCESSIBILITY_FEATURES, AUDIENCES, DELIVERY_LANGUAGES
from app.extensions import db

POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def demo_sentences():
    """Sentences and names from the hand-written listings, so synthetic text reads (and searches) like real text."""
    sentences, names = [], []
    for org in content.organisations():
        for data in org["services"]:
            names.append(data["name"])
            sentences += [part.strip() + "." for part in re.split(r"(?<=[.!?])\s+", data.get("description", ""))
                          if len(part.strip()) > 20]
    return sentences, names


def generate_listings(count, seed=7, batch=2000):
    """Insert `count` synthetic published listings fast, in bulk. Returns how many were made."""
    directory.seed_reference_data()
    rng = random.Random(seed)
    sentences, names = demo_sentences()
    pools = {
        "sentences": sentences, "names": names, "words": content.synthetic_words()["words"],
        "outwards": content.synthetic_words()["outward_codes"],
        "categories": db.session.execute(select(Category).where(Category.parent_id.is_not(None))).scalars().all(),
        "hoods": db.session.execute(select(Neighbourhood)).scalars().all(),
    }
    now = now_utc()
    run = secrets.token_hex(3)  # so a second run's slugs do not collide with the first's
    made = 0
    while made < count:
        n = min(batch, count - made)
        _insert_batch([_synthetic_listing(rng, made + i, pools, run, now) for i in range(n)])
        # One commit a batch, a real reason: up to a million rows must not sit in one transaction.
        db.session.commit()
        made += n
    return made


def _synthetic_listing(rng, k, pools, run, now):
    """One listing's rows: (organisation, location, service, category id, schedule). The order of the random
    draws is what makes a seed reproducible."""
    category = rng.choice(pools["categories"])
    words = rng.sample(pools["words"], 12)
    name = f"{rng.choice(pools['names'])} {k}"
    postcode = f"{rng.choice(pools['outwards'])} {rng.randint(1, 9)}{rng.choice(POSTCODE_LETTERS)}" \
               f"{rng.choice(POSTCODE_LETTERS)}"
    lat, lon = approximate_position(postcode)
    org = {"slug": f"gen-{run}-org-{k}", "name": f"Generated organisation {k}",
           "description": "", "website": "", "email": "", "phone": "", "charity_number": "",
           "company_number": "", "logo_url": "", "created_at": now, "updated_at": now}
    loc = {"name": f"{words[1].title()} hall",
           "address_1": f"{k % 200 + 1} {words[2].title()} Road", "address_2": "", "town": "London",
           "postcode": postcode, "latitude": lat, "longitude": lon,
           "neighbourhood_id": rng.choice(pools["hoods"]).id}
    min_age, max_age = rng.choice([None, 16, 18, 50]), rng.choice([None, 25, 99])
    if max_age is not None and min_age is not None and max_age < min_age:
        max_age = None
    service = {
        "slug": f"gen-{run}-{k}", "name": name,
        "description": " ".join(rng.sample(pools["sentences"], 3)),
        "access_method": rng.choice(["self_refer", "drop_in", "referral"]), "access_text": "",
        "eligibility": "", "min_age": min_age, "max_age": max_age,
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
    }
    day = rng.randint(0, 6)
    opens = rng.choice([9, 10, 13, 18])
    schedule = {"kind": "weekly", "weekday": day, "opens_at": time(opens, 0), "closes_at": time(opens + 2, 0),
                "title": "", "note": ""}
    return org, loc, service, category.id, schedule


def _insert_batch(rows):
    orgs, locs, services, category_ids, schedules = (list(column) for column in zip(*rows, strict=True))
    # Bulk inserts returning their new ids, in order, on SQLite and PostgreSQL alike.
    org_ids = _insert_returning(Organisation, orgs)
    for loc, org_id in zip(locs, org_ids, strict=True):
        loc["organisation_id"] = org_id
    loc_ids = _insert_returning(Location, locs)
    for service, org_id in zip(services, org_ids, strict=True):
        service["organisation_id"] = org_id
        # Bulk inserts skip the ORM's hooks: the stored HTML and the public pages' version are done here.
        service["description_html"] = rendered.html_for(service["description"])
    service_ids = _insert_returning(Service, services)
    db.session.execute(insert(service_categories), [{"service_id": s, "category_id": c}
                                                    for s, c in zip(service_ids, category_ids, strict=True)])
    db.session.execute(insert(ServiceAtLocation), [{"service_id": s, "location_id": loc}
                                                   for s, loc in zip(service_ids, loc_ids, strict=True)])
    for schedule, service_id, loc_id in zip(schedules, service_ids, loc_ids, strict=True):
        schedule.update(service_id=service_id, location_id=loc_id)
    db.session.execute(insert(Schedule), schedules)
    dataversion.touch()


def _insert_returning(model, rows):
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]
