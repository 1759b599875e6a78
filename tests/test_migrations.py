from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

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
