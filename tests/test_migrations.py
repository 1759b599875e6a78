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
