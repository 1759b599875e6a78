"""How long a crawler takes to read every page of /api/v1/services?per_page=50&full_service=true at 10,000
listings, against a baseline: the same rows read by one plain SQL query and written with json.dumps.

Run: .venv/bin/python bench/api_crawl.py [--listings N]
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.demo.generate import generate_listings  # noqa: E402
from app.directory import listings  # noqa: E402
from app.extensions import db  # noqa: E402

BASELINE_SQL = """
SELECT s.uuid, s.name, s.description, s.min_age, s.max_age, s.updated_at, o.uuid AS org, o.name AS org_name,
       l.uuid AS loc, l.address_1, l.postcode, l.latitude, l.longitude, sc.weekday, sc.opens_at, sc.closes_at
FROM service s JOIN organisation o ON o.id = s.organisation_id
LEFT JOIN service_at_location sal ON sal.service_id = s.id LEFT JOIN location l ON l.id = sal.location_id
LEFT JOIN schedule sc ON sc.service_id = s.id
WHERE s.status = 'published' ORDER BY s.uuid
"""


def crawl(client):
    timings, page, total = [], 1, 0
    while True:
        started = time.perf_counter()
        response = client.get(f"/api/v1/services?per_page=50&full_service=true&page={page}")
        body = response.get_json()
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
        total += body["size"]
        if body["last_page"]:
            return timings, total
        page += 1


def baseline():
    started = time.perf_counter()
    rows = db.session.execute(text(BASELINE_SQL)).mappings().all()
    json.dumps([{key: str(value) for key, value in row.items()} for row in rows])
    return time.perf_counter() - started, len(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=10_000)
    args = parser.parse_args()
    import logging
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "INSTANCE_PATH": tmp,
                          "SEARCH_INDEX_DIR": f"{tmp}/index", "SITE_URL": "http://localhost"})
        with app.app_context():
            upgrade()
            listings.seed_reference_data()
            generate_listings(args.listings)
        # Outside any app context, so each request has its own session, as under gunicorn.
        timings, items = crawl(app.test_client())
        with app.app_context():
            plain, rows = baseline()
            db.engine.dispose()
    cuts = statistics.quantiles(timings, n=20)
    print(f"listings: {args.listings}; pages of 50 full services: {len(timings)}; items read: {items}")
    print(f"API crawl: {sum(timings):.2f} s in all; per page p50 {statistics.median(timings) * 1000:.0f} ms, "
          f"p95 {cuts[18] * 1000:.0f} ms, slowest {max(timings) * 1000:.0f} ms")
    print(f"baseline (one plain SQL query + json.dumps, {rows} joined rows): {plain:.2f} s")
    print(f"API crawl / baseline: {sum(timings) / plain:.1f}x")


if __name__ == "__main__":
    main()
