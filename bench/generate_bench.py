"""How fast `flask demo generate` fills a directory, against the plain ORM way in the same run.

Target (issue 2): 10,000 synthetic listings in under a minute. Baseline: the same listings made as
ORM objects and added with session.add_all() per batch (the simple way, done well: one commit a batch).
Run: .venv/bin/python bench/generate_bench.py [--listings N]
"""
import argparse
import random
import sys
import tempfile
import time
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.demo import loader as demo
from app.directory import listings  # noqa: E402
from app.directory.models import Category, Location, Organisation, Schedule, Service, ServiceAtLocation  # noqa: E402
from app.extensions import db  # noqa: E402


def orm_baseline(count, batch=2000):
    rng = random.Random(7)
    db.session.info["skip_search_sync"] = True  # neither side pays for index sync
    subs = db.session.execute(select(Category).where(Category.parent_id.is_not(None))).scalars().all()
    for start in range(0, count, batch):
        objects = []
        for k in range(start, min(count, start + batch)):
            org = Organisation(slug=f"base-org-{k}", name=f"Baseline organisation {k}")
            loc = Location(organisation=org, name="Hall", address_1=f"{k} Road", postcode="NW5 2AB")
            service = Service(organisation=org, slug=f"base-{k}", name=f"Baseline listing {k}",
                              description="A weekly group.", status="published", formats=["in_person"],
                              languages=["en"], categories=[rng.choice(subs)])
            service.service_locations.append(ServiceAtLocation(location=loc))
            service.schedules.append(Schedule(kind="weekly", weekday=k % 7, opens_at=clock(10), closes_at=clock(12)))
            objects.append(org)
        db.session.add_all(objects)
        db.session.commit()


def timed(fn, *args):
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def run_on_fresh_db(fn, count):
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "INSTANCE_PATH": tmp,
                          "SEARCH_INDEX_DIR": f"{tmp}/index"})
        with app.app_context():
            upgrade()
            listings.seed_reference_data()
            seconds = timed(fn, count)
            db.engine.dispose()
    return seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=10_000)
    args = parser.parse_args()
    import logging
    logging.disable(logging.WARNING)  # migrations and the index-sync notices are not the subject here
    bulk = run_on_fresh_db(lambda n: demo.generate_listings(n), args.listings)
    baseline = run_on_fresh_db(orm_baseline, args.listings)
    print(f"listings: {args.listings}")
    print(f"bulk generate (flask demo generate): {bulk:.2f} s  ({args.listings / bulk:,.0f} listings/s)")
    print(f"ORM add_all baseline:                {baseline:.2f} s  ({args.listings / baseline:,.0f} listings/s)")
    print(f"speed-up: {baseline / bulk:.1f}x; target under 60 s for 10,000: {'met' if bulk < 60 else 'MISSED'}")


if __name__ == "__main__":
    main()
