"""Search speed: the Whoosh index against a plain SQL LIKE search, on 1,000 / 10,000 / 100,000 listings.

For each size it generates listings (`flask demo generate`), builds the index (`flask search rebuild`),
then runs the same fixed mix of 200 queries (single words, misspellings, phrases, with filters) through
both engines and prints p50/p95 latency, the ratio and the index build time.

Baseline: the simple alternative done well: one SQL query per search, every word matched with
LIKE against name, description and organisation name (indexed join), filters as WHERE clauses,
ORDER BY name with LIMIT 20 plus a COUNT. No typo tolerance, synonyms or facet counts, which the
index also computes, so the comparison flatters the baseline.

Targets: p95 < 30 ms at 10,000 and < 100 ms at 100,000; >= 10x the baseline at 100,000;
rebuild of 10,000 in < 20 s.  Run: .venv/bin/python bench/search_bench.py [--sizes 1000,10000,100000]
"""
import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, or_, select  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generate import generate_listings  # noqa: E402
from app.directory import listings, search  # noqa: E402
from app.directory.models import Category, Organisation, Service, service_categories  # noqa: E402
from app.extensions import db  # noqa: E402

NOW = datetime(2026, 11, 25, 11, 0)  # a Wednesday morning


# Words residents type (from the relevance test set and the field reports), not the index's own vocabulary.
QUERY_WORDS = (
    "befriending", "counselling", "debt", "benefits", "food", "walking", "yoga", "art", "music", "singing", "gardening",
    "housing", "homeless", "carers", "lonely", "money", "bills", "gym", "exercise", "anxiety", "depression",
    "bereavement", "football", "boxing", "cooking", "volunteering", "computer", "english", "women", "men", "bengali",
    "somali", "arabic", "polish", "crisis", "smoking", "alcohol", "drugs", "dementia", "swimming", "writing", "poetry",
    "knitting", "dance", "chair", "pip", "rent", "shelter", "advice", "peer", "listening",
)


def query_mix(seed=11):
    rng = random.Random(seed)
    words = list(QUERY_WORDS)
    mix = []
    for _ in range(60):
        mix.append((rng.choice(words), {}))
    for _ in range(40):  # misspellings: a dropped or swapped letter
        word = rng.choice([w for w in words if len(w) >= 6])
        i = rng.randrange(1, len(word) - 1)
        typo = word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2:]
        mix.append((typo, {}))
    for _ in range(40):
        mix.append((" ".join(rng.sample(words, 2)), {}))
    filters = [{"category": "talk"}, {"free": True}, {"neighbourhood": "south"}, {"open_now": True},
               {"category": "active-walking", "free": True}, {"taking": True, "neighbourhood": "north-west"}]
    for _ in range(60):
        mix.append((rng.choice(words) if rng.random() < 0.7 else "", dict(rng.choice(filters))))
    return mix


def whoosh_search(text, filter_args):
    return search.query_index(text, search.Filters(**filter_args), page=1, per_page=20, now=NOW)


def sql_search(text, filter_args):
    query = select(Service.id).join(Organisation, Organisation.id == Service.organisation_id) \
        .where(Service.status == "published")
    for word in search.query_words(text):
        pattern = f"%{word}%"
        query = query.where(or_(Service.name.ilike(pattern), Service.description.ilike(pattern),
                                Organisation.name.ilike(pattern)))
    if filter_args.get("free"):
        query = query.where(Service.cost_type == "free")
    if filter_args.get("taking"):
        query = query.where(Service.capacity_status == "taking")
    if filter_args.get("category"):
        code = filter_args["category"]
        cats = select(Category.id).where(or_(Category.code == code, Category.parent.has(Category.code == code)))
        query = query.where(Service.id.in_(select(service_categories.c.service_id)
                                           .where(service_categories.c.category_id.in_(cats))))
    if filter_args.get("neighbourhood"):
        from app.directory.models import Location, Neighbourhood, ServiceAtLocation
        query = query.where(Service.id.in_(
            select(ServiceAtLocation.service_id).join(Location).join(Neighbourhood)
            .where(Neighbourhood.code == filter_args["neighbourhood"])))
    if filter_args.get("open_now"):
        from app.directory.models import Schedule
        minute = NOW.time()
        query = query.where(Service.id.in_(select(Schedule.service_id).where(
            Schedule.kind == "weekly", Schedule.weekday == NOW.weekday(), Schedule.opens_at <= minute,
            Schedule.closes_at > minute)))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    ids = db.session.execute(query.order_by(Service.name).limit(20)).scalars().all()
    return ids, total


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_mix(fn, mix):
    times = []
    for text, filter_args in mix:
        started = time.perf_counter()
        fn(text, filter_args)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run_size(size, mix):
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "INSTANCE_PATH": tmp,
                          "SEARCH_INDEX_DIR": f"{tmp}/index", "NOW": NOW})
        with app.app_context():
            upgrade()
            listings.seed_reference_data()
            started = time.perf_counter()
            generate_listings(size)
            generate_s = time.perf_counter() - started
            started = time.perf_counter()
            search.rebuild_index(listings.all_services_for_index())
            build_s = time.perf_counter() - started
            time_mix(whoosh_search, mix[:20])  # warm caches on both sides alike
            time_mix(sql_search, mix[:20])
            index_ms = time_mix(whoosh_search, mix)
            sql_ms = time_mix(sql_search, mix)
            db.session.remove()
            db.engine.dispose()
    return generate_s, build_s, index_ms, sql_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    mix = query_mix()
    print(f"{len(mix)} queries: 60 single words, 40 misspellings, 40 two-word phrases, 60 with filters")
    print(f"{'listings':>9} {'generate s':>10} {'index build s':>13} {'index p50':>9} {'index p95':>9} "
          f"{'LIKE p50':>8} {'LIKE p95':>8} {'p95 ratio':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        generate_s, build_s, index_ms, sql_ms = run_size(size, mix)
        i50, i95 = statistics.median(index_ms), percentile(index_ms, 95)
        s50, s95 = statistics.median(sql_ms), percentile(sql_ms, 95)
        print(f"{size:>9,} {generate_s:>10.1f} {build_s:>13.1f} {i50:>7.1f}ms {i95:>7.1f}ms "
              f"{s50:>6.1f}ms {s95:>6.1f}ms {s95 / i95:>8.1f}x", flush=True)


if __name__ == "__main__":
    main()
