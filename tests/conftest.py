"""Fixtures: a real database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set), a real index on disk."""
import os
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.core import clock
from app.extensions import db as _db
from tests.builders import Builders

# Tests run as development (as `make test` does); tests/test_production_settings.py checks production.
os.environ.setdefault("APP_ENV", "development")
PG_URL = os.environ.get("TEST_DATABASE_URL")
TEST_KEY = "oGr3YFaNTZ3HcoBlJ4Wbq7ahW1k4kfGAdVy6nuWb2dw="  # a Fernet key used only by the tests


def _test_config(tmp_root):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": _db_url(PG_URL) if PG_URL else f"sqlite:///{tmp_root / 'test.sqlite'}",
        "SEARCH_INDEX_DIR": str(tmp_root / "index"),
        "INSTANCE_PATH": str(tmp_root / "instance"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "REFERRAL_MIN_SECONDS": 0,  # tests fill in the form in milliseconds
        "SERVER_NAME": None,
        "SITE_URL": "http://localhost",  # the test client's host, so e-mailed links open in it
        "PERSONAL_DATA_KEYS": TEST_KEY,
        "MAIL_PORT": 1,  # nothing listens here unless a test starts an SMTP server
        # The test client never closes a response, so mail sent "after the response" would never go.
        "MAIL_SEND_AFTER_RESPONSE": False,
        # Cheap password hashing; test_production_password_hashing keeps the real cost covered.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_COST": 64,
        # Tests change settings between requests; tests/directory/test_page_cache.py switches it on.
        "PAGE_CACHE": False,
    }


def _db_url(url):
    from app.config import _database_url
    return _database_url(url)


def _compile_catalogues():
    """Tests read the compiled catalogues, as the site does; `make test` builds them too."""
    import subprocess
    import sys
    root = Path(__file__).resolve().parent.parent
    if any((root / "translations").glob("*/LC_MESSAGES/messages.po")):
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(root / "translations")],
                       check=True, capture_output=True)


@pytest.fixture(scope="session")
def _session_app(tmp_path_factory):
    _compile_catalogues()
    root = tmp_path_factory.mktemp("hidden-gems")
    app = create_app(_test_config(root))

    def _fresh_request_state():
        # Tests hold one app context open, so `g` would outlive a request; in production it never does.
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)
        g.pop("data_version", None)
        g.pop("csrf_token", None)

    # First of all the hooks, as a new request's own `g` would be (the page cache reads the locale early).
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_request_state)

    with app.app_context():
        if PG_URL:
            # Start every run from an empty schema so migrations are exercised from scratch.
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def app(_session_app, tmp_path):
    app = _session_app
    saved = dict(app.config)  # one app for the session: a test's setting must not leak into the next
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["RATELIMIT_ENABLED"] = False
    with app.app_context():
        from app.directory import listings, search
        listings.seed_reference_data()
        search.rebuild_index([])
        yield app
        _db.session.rollback()
        _db.session.remove()
        _empty_tables()
    app.config.clear()
    app.config.update(saved)


def _empty_tables():
    keep = {"category", "neighbourhood", "alembic_version", "site_version"}
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in keep:
                conn.execute(table.delete())
        # Emptied behind the ORM's back: what workers keep for the old data (counts, pages) must not be reused.
        conn.execute(text("UPDATE site_version SET version = version + 1"))


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def frozen_clock(app):
    """Freeze the site's one clock: `frozen_clock(instant)`, an aware datetime or naive UTC. Thawed after the test."""
    def _freeze(instant):
        clock.freeze(app, instant)
        return instant
    yield _freeze
    clock.freeze(app, None)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def build(app):
    return Builders(_db)


@pytest.fixture
def login(client):
    def _login(user, password=Builders.PASSWORD):
        response = client.post("/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response
    return _login


@pytest.fixture(scope="session")
def artifacts_dir():
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free loopback port, for the browser."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Debian's Chromium is not installed at {CHROMIUM}: run `make system-packages`")
    from playwright.sync_api import sync_playwright
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def assert_no_serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, results.generate_report()


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    import socket
    with socket.socket() as probe:  # aiosmtpd needs a concrete port to check it started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    old_port = app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield received
    finally:
        controller.stop()
        app.config["MAIL_PORT"] = old_port


class HtmlPage:
    """A response's HTML, parsed, so a test asks for an element rather than searching the markup as text."""

    def __init__(self, response):
        from bs4 import BeautifulSoup
        self.status_code = response.status_code
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    def select(self, selector):
        return self.soup.select(selector)

    def select_one(self, selector):
        return self.soup.select_one(selector)

    def text(self, selector):
        """The first match's text with whitespace collapsed, or None when nothing matches."""
        element = self.soup.select_one(selector)
        return " ".join(element.get_text(" ").split()) if element is not None else None

    def texts(self, selector):
        return [" ".join(element.get_text(" ").split()) for element in self.soup.select(selector)]

    @property
    def title(self):
        return self.text("title")

    @property
    def heading(self):
        return self.text("h1")

    @property
    def error_messages(self):
        return self.texts(".govuk-error-message")


@pytest.fixture
def html_page():
    """`html_page(response)` parses a page. (`page` is taken: it is the browser's page.)"""
    return HtmlPage
