"""Key rotation: every encrypted value, whichever domain holds it, moves to the newest key."""
from contextlib import contextmanager

from cryptography.fernet import Fernet

from app.directory.models import ProblemReport


@contextmanager
def keys(app, value):
    old = app.config["PERSONAL_DATA_KEYS"]
    app.config["PERSONAL_DATA_KEYS"] = value
    try:
        yield
    finally:
        app.config["PERSONAL_DATA_KEYS"] = old


def test_rotation_covers_problem_reports(app, db, build, runner):
    report = ProblemReport(service=build.service(), problem="wrong_details", message="Moved")
    report.reporter_email = "reporter@example.org"
    db.session.add(report)
    db.session.commit()
    old_key, new_key = app.config["PERSONAL_DATA_KEYS"], Fernet.generate_key().decode()
    with keys(app, f"{new_key},{old_key}"):
        result = runner.invoke(args=["referrals", "rotate-key"])
    assert result.exit_code == 0 and "Re-encrypted" in result.output
    with keys(app, new_key):  # the old key is retired
        db.session.expire_all()
        assert db.session.get(ProblemReport, report.id).reporter_email == "reporter@example.org"


def test_every_encrypted_column_is_registered_for_rotation(app, db):
    from app.core import crypto
    registered = {(model.__table__.name, column) for model, columns in crypto.REGISTRY.items() for column in columns}
    encrypted = {(table.name, column.name) for table in db.metadata.tables.values() for column in table.columns
                 if column.name.endswith("_encrypted")}
    assert encrypted - registered == set(), "encrypted columns key rotation would skip"
    existing = {(table.name, column.name) for table in db.metadata.tables.values() for column in table.columns}
    assert registered - existing == set(), "registered columns that are not in the schema"
    assert ("outbox_message", "envelope") in registered
