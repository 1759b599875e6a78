"""Which database errors mean "could not write just now" (a 503 that says so), and which stay a fault (500)."""
import sqlite3

import pytest
from psycopg import errors as pg
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError, ProgrammingError

from app import create_app
from app.core import errors
from tests.conftest import _test_config
from tests.storage import WriteRefusal


def _sqlite(message, code):
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize("error", [
    OperationalError("INSERT", {}, pg.DiskFull("could not extend file: No space left on device")),
    InternalError("INSERT", {}, pg.ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")),
    OperationalError("INSERT", {}, _sqlite("database or disk is full", sqlite3.SQLITE_FULL)),
    OperationalError("INSERT", {}, _sqlite("attempt to write a readonly database", sqlite3.SQLITE_READONLY)),
    OperationalError("COMMIT", {}, _sqlite("disk I/O error", sqlite3.SQLITE_IOERR_WRITE)),
], ids=["pg-disk-full", "pg-read-only", "sqlite-full", "sqlite-read-only", "sqlite-io"])
def test_storage_failures_are_recognised(error):
    assert errors.is_storage_failure(error)


@pytest.mark.parametrize("error", [
    IntegrityError("INSERT", {}, pg.UniqueViolation("duplicate key")),
    ProgrammingError("SELECT", {}, pg.UndefinedTable("relation does not exist")),
    OperationalError("SELECT", {}, _sqlite("no such table: referral", sqlite3.SQLITE_ERROR)),
    OperationalError("SELECT", {}, pg.OperationalError("connection refused")),
], ids=["pg-unique", "pg-no-table", "sqlite-no-table", "pg-no-connection"])
def test_other_database_errors_are_not(error):
    assert not errors.is_storage_failure(error)


@pytest.fixture
def site(app, tmp_path):
    """The site as production runs it (errors become pages), with two pages that fail as a database can."""
    made = create_app(_test_config(tmp_path) | {"TESTING": False})

    @made.route("/disk-full-test", methods=["POST"])
    def disk_full():
        raise OperationalError("INSERT", {}, _sqlite("database or disk is full", sqlite3.SQLITE_FULL))

    @made.route("/broken-query-test")
    def broken():
        raise OperationalError("SELECT", {}, _sqlite("no such column: secret_detail", sqlite3.SQLITE_ERROR))

    yield made.test_client()
    from app.extensions import db
    with made.app_context():
        db.engine.dispose()  # its requests opened connections (the translations' stamp)


def test_a_full_disk_is_a_503_page_that_asks_to_try_again(site, html_page, caplog):
    response = site.post("/disk-full-test", data={"name": "Jane Example"})
    page = html_page(response)
    assert page.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert "We could not save this. Please try again." in page.text("main")
    assert page.select_one(".hg-urgent") is not None  # where to get help now is still on the page
    assert "Jane" not in caplog.text and "could not save on POST /disk-full-test" in caplog.text


def test_the_storage_page_is_translated(site, html_page):
    site.set_cookie("lang", "es")
    page = html_page(site.post("/disk-full-test", headers={"Accept-Language": "es"}))
    assert page.status_code == 503
    assert page.heading.startswith("Lo sentimos")
    assert "We could not save this" not in page.text("main")  # the message itself is in Spanish too


def test_any_other_database_error_stays_a_500_without_details(site, html_page):
    response = site.get("/broken-query-test")
    assert response.status_code == 500
    assert "secret_detail" not in response.get_data(as_text=True)


def test_a_form_on_a_full_disk_gets_the_503_page(client, db, build, html_page):
    service = build.service(name="Oak Road lunch club")
    refusal = WriteRefusal(db.engine)
    try:
        db.session.rollback()
        refusal.refuse("full")
        page = html_page(client.post(f"/services/{service.slug}/report",
                                     data={"problem": "times", "message": "It meets on Tuesdays now."}))
    finally:
        db.session.rollback()
        refusal.close()
    assert page.status_code == 503
    assert "We could not save this. Please try again." in page.text("main")
