import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db
from tests.conftest import PG_URL


def test_models_and_migrations_do_not_drift(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_upgrade_from_empty_to_head_and_back(tmp_path):
    if PG_URL:
        # PostgreSQL: the session fixture already migrated an empty schema to head; check it arrived.
        from app.config import _database_url
        engine = create_engine(_database_url(PG_URL))
        assert {"service", "organisation", "user", "schedule"} <= set(inspect(engine).get_table_names())
        engine.dispose()
        return
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"service", "organisation", "location", "service_at_location", "schedule", "category",
                "neighbourhood", "user", "user_role", "provider_organisation"} <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()



def _insert_referral(conn, status):
    conn.execute(text(
        "INSERT INTO referral (reference, journey_token, answers_encrypted, route, not_safe, status, team, "
        "neighbourhood_code, language, preferred_language, outcome) VALUES "
        "(:reference, :reference, :answers, 'self', false, :status, '', '', 'en', 'en', '')"),
        {"reference": f"HG-{status[:4].upper()}-0{len(status)}", "answers": b"x", "status": status})


def _status_checks():
    return {c["name"] for c in inspect(db.engine).get_check_constraints("referral")}


def test_0005_adds_the_referral_status_check_and_takes_it_away_again(tmp_path):
    """0004 -> 0005 keeps the referrals there and refuses unknown statuses; the downgrade allows them again."""
    if PG_URL:  # the session's own database, already at head: step back to 0004 first
        from app.config import _database_url
        url = _database_url(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'status.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    with app.app_context():
        try:
            if PG_URL:
                downgrade(revision="0004")
            else:
                upgrade(revision="0004")
            with db.engine.begin() as conn:
                _insert_referral(conn, "allocated")
            upgrade(revision="0005")
            assert "ck_referral_status" in _status_checks()
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT status FROM referral")).scalars().all() == ["allocated"]
            with pytest.raises(IntegrityError), db.engine.begin() as conn:
                _insert_referral(conn, "lost")
            downgrade(revision="0004")
            assert "ck_referral_status" not in _status_checks()
            with db.engine.begin() as conn:
                _insert_referral(conn, "lost")
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM referral"))
            upgrade()
            db.engine.dispose()


def test_0017_records_a_first_version_for_published_listings_and_keeps_sent_back_changes(tmp_path):
    """0013 -> 0017: a published listing that was never edited gets its live state as version 1, a draft does
    not; a change sent back is the provider's draft; the downgrade takes both away again."""
    import json
    if PG_URL:  # the session's own database, already at head: step back to 0013 first
        from app.config import _database_url
        url = _database_url(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'versions.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    with app.app_context():
        try:
            if PG_URL:
                downgrade(revision="0013")
            else:
                upgrade(revision="0013")
            with db.engine.begin() as conn:
                _insert_listings(conn)
            upgrade(revision="0017")
            with db.engine.connect() as conn:
                rows = conn.execute(text("SELECT entity_id, kind, status, version, snapshot_json, after_json "
                                         "FROM revision ORDER BY entity_id")).mappings().all()
                versions = conn.execute(text("SELECT version FROM service")).scalars().all()
            assert versions == [1, 1]
            assert [(r["kind"], r["status"]) for r in rows] == [("published", "applied"), ("edit", "sent_back")]
            first = rows[0]
            assert (first["entity_id"], first["version"]) == (7001, 1)
            assert first["snapshot_json"] == first["after_json"]
            snapshot = json.loads(first["after_json"])
            assert snapshot["name"] == "Lunch club" and snapshot["languages"] == ["bn", "en"]
            assert snapshot["categories"] == ["food-meals"] and snapshot["locations"] == [7001]
            assert snapshot["schedules"] == [{"kind": "weekly", "weekday": 1, "event_date": None, "opens_at": "12:00",
                                              "closes_at": "14:00", "title": "", "note": "", "location_id": None}]
            downgrade(revision="0013")
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT kind, status FROM revision")).all() == [("edit", "rejected")]
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM revision WHERE organisation_id = 7000"))
                conn.execute(text("DELETE FROM service_category WHERE service_id >= 7000"))
                for table in ("schedule", "service_at_location", "service", "location", "organisation"):
                    conn.execute(text(f"DELETE FROM {table} WHERE id >= 7000"))  # nosec B608: fixed names
            upgrade()
            db.engine.dispose()


def _insert_listings(conn, with_revision=True):
    conn.execute(text("INSERT INTO organisation (id, slug, name, description, website, email, phone, charity_number, "
                      "company_number, logo_url) VALUES (7000, 'm17', 'Org', '', '', '', '', '', '', '')"))
    conn.execute(text("INSERT INTO location (id, organisation_id, name, address_1, address_2, town, postcode) "
                      "VALUES (7001, 7000, 'Hall', '1 Road', '', 'London', 'NW5 1AA')"))
    category = conn.execute(text("SELECT id FROM category WHERE code = 'food-meals'")).scalar()
    if category is None:
        conn.execute(text("INSERT INTO category (id, code, name, description, position) "
                          "VALUES (7000, 'food-meals', 'Food', '', 0)"))
        category = 7000
    for service_id, status in ((7001, "published"), (7002, "draft")):
        conn.execute(text(
            "INSERT INTO service (id, organisation_id, slug, name, description, access_method, access_text, "
            "eligibility, audience, cost_type, cost_text, formats, languages, accessibility, capacity_status, "
            "capacity_note, contact_name, contact_role, contact_phone, contact_email, status, created_at) VALUES "
            "(:id, 7000, :slug, 'Lunch club', 'Hot lunch.', 'drop_in', '', '', '', 'free', '', ' in_person ', "
            "' bn en ', '', 'taking', '', 'Jo', '', '020 7946 0555', '', :status, '2026-01-05 10:00:00')"),
            {"id": service_id, "slug": f"m17-{service_id}", "status": status})
    conn.execute(text("INSERT INTO service_category (service_id, category_id) VALUES (7001, :c)"), {"c": category})
    conn.execute(text("INSERT INTO service_at_location (id, service_id, location_id) VALUES (7001, 7001, 7001)"))
    conn.execute(text("INSERT INTO schedule (id, service_id, kind, weekday, opens_at, closes_at, title, note) "
                      "VALUES (7001, 7001, 'weekly', 1, '12:00:00', '14:00:00', '', '')"))
    if with_revision:
        conn.execute(text("INSERT INTO revision (id, entity_type, entity_id, organisation_id, kind, status, "
                          "snapshot_json, reason) VALUES (7000, 'service', 7002, 7000, 'edit', 'rejected', '{}', "
                          "'Why?')"))


def test_0021_keeps_weekly_sessions_and_events_and_takes_the_new_tables_away_again(tmp_path):
    """0020 -> 0021: every weekly session becomes WEEKLY every week, events have no rule; closures and school
    holidays get tables; the downgrade drops them and keeps the sessions."""
    if PG_URL:
        from app.config import _database_url
        url = _database_url(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'timetables.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    with app.app_context():
        try:
            if PG_URL:
                downgrade(revision="0020")
            else:
                upgrade(revision="0020")
            with db.engine.begin() as conn:
                _insert_listings(conn, with_revision=False)
                conn.execute(text("INSERT INTO schedule (id, service_id, kind, event_date, opens_at, closes_at, "
                                  "title, note) VALUES (7002, 7001, 'event', '2027-03-21', '10:00:00', '12:00:00', "
                                  "'Open day', '')"))
            upgrade(revision="0021_richer_timetables")
            with db.engine.begin() as conn:
                rows = conn.execute(text("SELECT id, kind, freq, interval, week_of_month, starts_on, term_time_only "
                                         "FROM schedule WHERE id >= 7000 ORDER BY id")).all()
                assert [(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows] == [
                    (7001, "weekly", "WEEKLY", 1, None, None, False), (7002, "event", None, 1, None, None, False)]
                conn.execute(text("INSERT INTO service_closure (service_id, starts_on, ends_on) "
                                  "VALUES (7001, '2026-12-24', '2027-01-02')"))
                conn.execute(text("INSERT INTO school_holiday (name, starts_on, ends_on) "
                                  "VALUES ('Half term', '2027-02-15', '2027-02-19')"))
            downgrade(revision="0020")
            tables = set(inspect(db.engine).get_table_names())
            assert not {"service_closure", "school_holiday"} & tables
            assert "freq" not in {c["name"] for c in inspect(db.engine).get_columns("schedule")}
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM schedule WHERE id >= 7000")).scalar() == 2
        finally:
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM revision WHERE organisation_id = 7000"))
                conn.execute(text("DELETE FROM service_category WHERE service_id >= 7000"))
                for table in ("schedule", "service_at_location", "service", "location", "organisation"):
                    conn.execute(text(f"DELETE FROM {table} WHERE id >= 7000"))  # nosec B608: fixed names
            upgrade()
            db.engine.dispose()
