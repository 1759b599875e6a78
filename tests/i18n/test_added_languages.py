"""A language an admin starts on the web outlives a deploy from git: the new checkout has no file for it, so
each app writes the catalogue again from the template, and the translators' work (kept in the database) is
served as before, on every app server."""
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db as _db
from app.i18n import catalogues
from app.i18n.models import AddedLanguage
from tests.builders import Builders
from tests.i18n.conftest import ROOT, _entry
from tests.i18n.test_translation_overrides import _another_app

SOURCE = "Find local support in %(borough)s"


@pytest.fixture(autouse=True)
def _no_welsh_left(i18n_app):
    yield
    shutil.rmtree(Path(i18n_app.config["BABEL_TRANSLATION_DIRECTORIES"], "cy"), ignore_errors=True)


def _admin_client(app):
    with app.app_context():
        admin = Builders(_db).user("admin")
        email = admin.email
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": Builders.PASSWORD})
    return client


def _fresh_checkout(tmp_path):
    fresh = tmp_path / "checkout" / "translations"
    shutil.copytree(ROOT / "translations", fresh, ignore=shutil.ignore_patterns("*.lock", "*.bak-*", "eo", "cy"))
    return fresh


def test_a_language_added_on_the_web_and_its_translations_survive_a_fresh_deploy(tools, tmp_path):
    app, translator, _user = tools
    assert _admin_client(app).post("/translate/languages", data={"code": "cy"}).status_code == 302
    entry = _entry(app, "cy", SOURCE)
    assert translator.post(f"/translate/cy/messages/{entry['key']}",
                           data={"form0": "Dod o hyd i gymorth lleol yn %(borough)s"}).status_code == 302
    with app.app_context():
        assert _db.session.scalar(select(AddedLanguage.code)) == "cy"

    fresh = _fresh_checkout(tmp_path)
    assert not (fresh / "cy").exists()
    deployed = _another_app(tmp_path, fresh, app.config["SQLALCHEMY_DATABASE_URI"])
    with deployed.app_context():
        body = deployed.test_client().get("/?lang=cy").get_data(as_text=True)
        assert "Dod o hyd i gymorth lleol yn Camden" in body
        assert (fresh / "cy" / "LC_MESSAGES" / "messages.po").exists()
        with deployed.test_request_context():
            assert "cy" in catalogues.known_languages()
        _db.session.remove()
        _db.engine.dispose()


def test_another_app_server_picks_up_a_language_added_on_one_of_them(tools, tmp_path):
    app, _translator, _user = tools
    other_files = _fresh_checkout(tmp_path)
    other = _another_app(tmp_path, other_files, app.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        reader = other.test_client()
        reader.get("/")  # this server is already running when the language is added on the other
        assert not (other_files / "cy").exists()
        assert _admin_client(app).post("/translate/languages", data={"code": "cy"}).status_code == 302
        reader.get("/")
        assert (other_files / "cy" / "LC_MESSAGES" / "messages.mo").exists()
        _db.session.remove()
        _db.engine.dispose()


def test_adding_the_same_language_twice_is_refused_even_when_its_file_is_missing(tools):
    app, _translator, _user = tools
    admin = _admin_client(app)
    assert admin.post("/translate/languages", data={"code": "cy"}).status_code == 302
    shutil.rmtree(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "cy"))
    response = admin.post("/translate/languages", data={"code": "cy"})
    assert response.status_code == 400 and "already has a catalogue" in response.get_data(as_text=True)


def test_a_language_started_with_the_cli_is_a_file_to_commit_not_a_database_record(i18n_app, app):
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "init", "gd"])
        assert result.exit_code == 0, result.output
        assert _db.session.scalar(select(AddedLanguage.code)) is None
    shutil.rmtree(Path(i18n_app.config["BABEL_TRANSLATION_DIRECTORIES"], "gd"))
