"""The directory's commands fail in one line with a non-zero exit code, never a traceback; `directory remind
--dry-run` sends and records nothing, and every run says how many listings had no one to remind."""
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.directory.models import ReminderLog
from tests.directory.test_freshness import NOW, clock, world  # noqa: F401 (fixtures)


def _one_line_error(result, *words):
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for word in words:
        assert word in lines[0]


def test_csv_export_to_a_folder_that_does_not_exist(runner, tmp_path):
    result = runner.invoke(args=["csv", "export", "--output", str(tmp_path / "nowhere" / "x.csv")])
    _one_line_error(result, "Could not write", "No such file or directory")


@pytest.mark.parametrize("content, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x10", ("is not a CSV text file",)),
    (b"\x00" * 64, ("No London postcodes found",)),
    (b"name,colour\nfoo,blue\n", ("No London postcodes found", "pcds, lat and long")),
], ids=["binary", "nul bytes", "wrong columns"])
def test_postcodes_import_of_a_file_it_cannot_use_changes_nothing(app, runner, tmp_path, content, words):
    source = tmp_path / "upload.bin"
    source.write_bytes(content)
    destination = Path(app.config["INSTANCE_PATH"]) / "london_outcodes.csv"
    assert not destination.exists()
    result = runner.invoke(args=["postcodes", "import", str(source)])
    _one_line_error(result, *words)
    assert not destination.exists()  # the lookup in use is not replaced by an empty one


def _sent(db):
    return (db.session.execute(select(func.count(OutboxMessage.id))).scalar_one(),
            db.session.execute(select(func.count(ReminderLog.id))).scalar_one())


def test_remind_dry_run_sends_and_records_nothing_and_says_what_it_would_do(world, runner, db, build):  # noqa: F811
    orphan = build.organisation(name="Nobody Looks After Us")
    build.service(orphan, name="Forgotten lunch club", last_verified_at=NOW - timedelta(days=300))
    leaver = build.organisation(name="Leaver's Group")
    build.service(leaver, name="Left behind", last_verified_at=NOW - timedelta(days=300))
    gone = build.user("provider", organisations=[leaver])
    gone.active = False
    db.session.commit()
    result = runner.invoke(args=["directory", "remind", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing was sent. Providers who would be e-mailed: 2. Listings they would include: 3." \
        in result.output
    assert "Listings that need checking with no active provider to remind: 2." in result.output
    assert _sent(db) == (0, 0)
    # The real run then does what the dry run said.
    real = runner.invoke(args=["directory", "remind"])
    assert "Providers e-mailed: 2. Listings included: 3." in real.output
    assert "no active provider to remind: 2." in real.output
    assert _sent(db)[1] == 2
