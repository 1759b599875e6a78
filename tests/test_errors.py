"""Error pages: one template, the title and message for each status, in the page's language."""
import logging

import pytest
from bs4 import BeautifulSoup
from flask import abort
from flask_wtf.csrf import CSRFError

from app import create_app
from app.core import errors

STATUSES = [400, 403, 404, 405, 413, 429, "csrf"]


@pytest.fixture(scope="module")
def error_app(tmp_path_factory):
    root = tmp_path_factory.mktemp("errors")
    app = create_app({"TESTING": False, "PROPAGATE_EXCEPTIONS": False, "SECRET_KEY": "test-secret",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'x.sqlite'}", "INSTANCE_PATH": str(root),
                      "SEARCH_INDEX_DIR": str(root / "index")})

    @app.route("/error-test/<code>")
    def fail(code):
        if code == "csrf":
            raise CSRFError("expired")
        if code == "500":
            raise RuntimeError("secret detail")
        abort(int(code))

    yield app
    with app.app_context():
        from app.extensions import db
        db.engine.dispose()


def _page(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.mark.parametrize("code", STATUSES)
def test_each_status_has_its_own_title_and_message(error_app, code):
    response = error_app.test_client().get(f"/error-test/{code}")
    title, message = errors.CSRF_PAGE if code == "csrf" else errors.PAGES[code]
    assert response.status_code == (400 if code == "csrf" else code)
    page = _page(response)
    assert page.select_one("h1").get_text(strip=True) == str(title)
    assert page.select_one("h1 + p.govuk-body").get_text(strip=True) == str(message)
    assert page.title.get_text(strip=True).startswith(str(title))
    assert page.select_one(".govuk-grid-column-two-thirds a[href='/']").get_text(strip=True) == \
        "Go to the Hidden Gems home page"
    assert page.select_one(".hg-urgent")


def test_error_pages_are_translated(error_app):
    page = _page(error_app.test_client().get("/error-test/404?lang=es"))
    assert page.select_one("h1").get_text(strip=True) not in ("", "Page not found")


def test_an_unhandled_error_rolls_back_and_logs_only_the_path(error_app, monkeypatch, caplog):
    from app.extensions import db
    rolled_back = []
    monkeypatch.setattr(db.session, "rollback", lambda: rolled_back.append(True))
    with caplog.at_level(logging.ERROR):
        response = error_app.test_client().get("/error-test/500?name=Jane")
    assert response.status_code == 500
    assert _page(response).select_one("h1").get_text(strip=True) == "Sorry, there is a problem with the service"
    assert "secret detail" not in response.get_data(as_text=True)
    assert rolled_back
    assert "Unhandled error on GET /error-test/500" in caplog.text and "Jane" not in caplog.text
