"""Translator tools work on a copy of the catalogues, never on the repository's files."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from flask import g

from app import create_app
from app.extensions import db as _db
from app.i18n import catalogues
from tests.builders import Builders
from tests.conftest import _test_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def i18n_app(tmp_path_factory, _session_app):
    root = tmp_path_factory.mktemp("i18n")
    shutil.copytree(ROOT / "translations", root / "translations",
                    ignore=shutil.ignore_patterns("*.lock", "*.bak-*", "eo"))  # a developer's backups too
    # A small, complete Spanish catalogue keeps these tests independent of the packs' progress.
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(root / "translations")],
                   check=True, capture_output=True)
    config = _test_config(root)
    config.update(BABEL_TRANSLATION_DIRECTORIES=str(root / "translations"), LANGUAGE_THRESHOLD=0,
                  SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)

    @app.before_request
    def _fresh():
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def tools(i18n_app, app):
    """The tools app, with a translator signed in."""
    with i18n_app.app_context():
        user = Builders(_db).user("translator")
        client = i18n_app.test_client()
        client.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
        yield i18n_app, client, user


def _entry(app, code, msgid):
    with app.test_request_context():
        found, _n = catalogues.entries(code, "all")
        return next(e for e in found if e["id"] == msgid or (e["plural"] and e["id"][0] == msgid))
