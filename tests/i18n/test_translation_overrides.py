"""Translators' edits live in the database over the shipped catalogues: the .po/.mo files are never written at
run time, every worker serves a new version, and a fresh deploy (a new checkout, the same database) keeps it."""
import io
import shutil
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from app import create_app
from app.core.audit import AuditEvent
from app.extensions import db as _db
from app.i18n import catalogues, languages, uploads
from app.i18n.models import LanguageReview, TranslationOverride
from tests.builders import Builders
from tests.conftest import _test_config
from tests.i18n.conftest import ROOT, _entry

SOURCE = "Find local support in %(borough)s"


def _files(app, code):
    folder = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], code, "LC_MESSAGES")
    return {p.name: p.read_bytes() for p in folder.glob("messages.[mp]o")}


def _another_app(tmp_path, translations, database_uri):
    """Another worker, or another deploy: its own app over the given translations folder, the same database."""
    config = _test_config(tmp_path)
    config.update(BABEL_TRANSLATION_DIRECTORIES=str(translations), LANGUAGE_THRESHOLD=0,
                  SQLALCHEMY_DATABASE_URI=database_uri)
    other = create_app(config)

    @other.before_request
    def _fresh():
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    return other


def _save(client, app, code, msgid, *strings):
    entry = _entry(app, code, msgid)
    return client.post(f"/translate/{code}/messages/{entry['key']}",
                       data={f"form{i}": text for i, text in enumerate(strings)})


def test_an_edit_never_writes_the_shipped_files_and_keeps_every_version(tools):
    app, client, user = tools
    before = _files(app, "es")
    assert _save(client, app, "es", SOURCE, "Apoyo cercano en %(borough)s").status_code == 302
    assert _save(client, app, "es", SOURCE, "Ayuda cercana en %(borough)s").status_code == 302
    assert _files(app, "es") == before
    assert "Ayuda cercana en Camden" in client.get("/?lang=es").get_data(as_text=True)
    with app.app_context():
        versions = _db.session.execute(select(TranslationOverride).where(TranslationOverride.msgid == SOURCE)
                                       .order_by(TranslationOverride.version)).scalars().all()
        assert [(v.version, v.current, v.strings[0]) for v in versions] == [
            (1, False, "Apoyo cercano en %(borough)s"), (2, True, "Ayuda cercana en %(borough)s")]
        assert all(v.user_id == user.id and v.language == "es" for v in versions)
        events = _db.session.execute(select(AuditEvent).where(AuditEvent.action == "translation_edit")).scalars()
        assert [(e.record, e.detail) for e in events] == [("es", SOURCE), ("es", SOURCE)]
    page = client.get(f"/translate/es/messages/{_entry(app, 'es', SOURCE)['key']}").get_data(as_text=True)
    assert "Apoyo cercano en %(borough)s" in page  # the history shows the earlier version


def test_two_workers_sharing_a_database_both_serve_an_edit(tools, tmp_path):
    app, client, _user = tools
    other = _another_app(tmp_path, app.config["BABEL_TRANSLATION_DIRECTORIES"], app.config["SQLALCHEMY_DATABASE_URI"])
    with other.app_context():
        reader = other.test_client()
        assert "Apoyo cercano en Camden (editado)" not in reader.get("/?lang=es").get_data(as_text=True)  # warm
        assert _save(client, app, "es", SOURCE, "Apoyo cercano en %(borough)s (editado)").status_code == 302
        assert "Apoyo cercano en Camden (editado)" in reader.get("/?lang=es").get_data(as_text=True)
        _db.session.remove()
        _db.engine.dispose()


def test_an_edit_survives_a_fresh_deploy(tools, tmp_path):
    app, client, _user = tools
    assert _save(client, app, "es", SOURCE, "Apoyo en %(borough)s, tras el despliegue").status_code == 302
    fresh = tmp_path / "checkout" / "translations"  # the shipped files, as a new checkout has them
    shutil.copytree(ROOT / "translations", fresh, ignore=shutil.ignore_patterns("*.lock", "*.bak-*", "eo"))
    deployed = _another_app(tmp_path, fresh, app.config["SQLALCHEMY_DATABASE_URI"])
    with deployed.app_context():
        body = deployed.test_client().get("/?lang=es").get_data(as_text=True)
        assert "Apoyo en Camden, tras el despliegue" in body
        _db.session.remove()
        _db.engine.dispose()


def test_a_newer_shipped_text_wins_over_an_older_edit_and_an_exported_one_is_a_no_op(tools):
    app, client, _user = tools
    assert _save(client, app, "pl", "Search", "Szukaj teraz").status_code == 302
    result = app.test_cli_runner().invoke(args=["translate", "export", "pl"])
    assert result.exit_code == 0, result.output
    compiled = app.test_cli_runner().invoke(args=["translate", "compile"])
    assert compiled.exit_code == 0, compiled.output
    assert "Szukaj teraz" in client.get("/?lang=pl").get_data(as_text=True)
    # Later a different text is committed to git for the same message: the shipped file wins.
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "pl/LC_MESSAGES/messages.po")
    path.write_text(path.read_text(encoding="utf-8").replace('msgstr "Szukaj teraz"', 'msgstr "Wyszukaj"'),
                    encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["translate", "compile"]).exit_code == 0
    body = client.get("/?lang=pl").get_data(as_text=True)
    assert "Wyszukaj" in body and "Szukaj teraz" not in body
    for backup in path.parent.glob("messages.po.bak-*"):
        backup.unlink()


def test_an_empty_translation_is_refused_and_the_text_stays(tools):
    app, client, _user = tools
    entry = _entry(app, "es", SOURCE)
    response = client.post(f"/translate/es/messages/{entry['key']}", data={"form0": "   "})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "govuk-error-summary" in body and "<title>Error:" in body
    assert "Enter a translation" in body
    with app.app_context():
        assert _db.session.execute(select(TranslationOverride)).first() is None
    assert _entry(app, "es", SOURCE)["strings"] == entry["strings"]


def test_editing_a_reviewed_pack_sends_it_back_for_review_with_a_note(tools):
    app, client, user = tools
    client.post("/translate/so/review", data={"state": "reviewed"})
    dashboard = client.get("/translate/").get_data(as_text=True)
    assert f"by {user.email}" in dashboard
    assert _save(client, app, "so", "Search", "Raadi hadda").status_code == 302
    with app.app_context():
        review = _db.session.get(LanguageReview, "so")
        assert review.state == "awaiting" and review.note == "Search" and review.reviewed_by_id == user.id
    dashboard = client.get("/translate/").get_data(as_text=True)
    assert "Changed since the last review:" in dashboard


def test_completeness_and_the_switcher_count_edits(tools, i18n_app):
    app, client, _user = tools
    with i18n_app.test_request_context():
        admin = Builders(_db).user("admin")
        languages.add_language("it", admin)
        catalog = catalogues.read("it")
    po = catalogues.po_bytes(catalog).decode("utf-8")
    # Translate the first 40 singular texts by upload: 40 of about 1,500 is 3%.
    translated = 0
    lines = po.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("msgid ") and line != 'msgid ""' and "%" not in line and "<" not in line \
                and index + 1 < len(lines) and lines[index + 1] == 'msgstr ""' and translated < 40:
            lines[index + 1] = 'msgstr "IT ' + line[7:-1] + '"'
            translated += 1
    app.config["LANGUAGE_THRESHOLD"] = 2
    try:
        assert "Italiano" not in client.get("/").get_data(as_text=True)
        response = client.post("/translate/it/upload", data={"po": (io.BytesIO("\n".join(lines).encode()), "it.po")},
                               content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        with i18n_app.test_request_context():
            assert catalogues.completeness("it")[0] == 40 and catalogues.percent("it") >= 2
        assert "Italiano" in client.get("/").get_data(as_text=True)
    finally:
        app.config["LANGUAGE_THRESHOLD"] = 0
    assert b'msgstr ""' in Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "it/LC_MESSAGES/messages.po").read_bytes()


def test_an_upload_is_saved_as_edits_with_correct_plurals(tools):
    app, client, _user = tools
    before = _files(app, "pt")
    po = client.get("/translate/pt/download").data
    assert po.count(b"Pesquisar") >= 1
    good = po.replace(b'msgstr "Pesquisar"', b'msgstr "Procurar"', 1)
    response = client.post("/translate/pt/upload", data={"po": (io.BytesIO(good), "pt.po")},
                           content_type="multipart/form-data", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "1 translation changed, and it is live now" in body
    assert _files(app, "pt") == before
    assert b'msgstr "Procurar"' in client.get("/translate/pt/download").data  # the download has the edit
    with app.app_context():
        assert _db.session.execute(select(AuditEvent).where(AuditEvent.action == "translation_upload")).scalar_one()


@pytest.mark.parametrize("text, line, words", [
    ('msgid ""\nmsgstr ""\n"Language: pl\\n"\n\nmsgid "Search"\nmsgstr "Szukaj"\nthis is not po\n', 7,
     "could not be read: “this is not po”"),
    ('msgid ""\nmsgstr ""\n"Language: pl\\n"\n\nmsgid "Search"\n\nmsgid "Home"\nmsgstr "x"\n', 5,
     "this text has no translation line"),
])
def test_a_po_syntax_error_is_explained_with_its_line_number(tools, text, line, words):
    _app, client, _user = tools
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(text.encode()), "pl.po")},
                           content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and f"Line {line}" in body and words in body
    assert "PoFileError" not in body and " on " not in body.split("Line", 1)[1][:60]


def test_language_pages_use_language_names_and_page_addresses(tools):
    app, client, _user = tools
    page = client.get("/translate/es?show=all&q=Find+local+support").get_data(as_text=True)
    assert "Translate: Spanish (español)" in page and "Translate: es" not in page
    entry = _entry(app, "es", SOURCE)
    assert ("Home page", False) in entry["pages"] and not any(text.endswith(".html") for text, _ in entry["pages"])
    signed_in = _entry(app, "es", "Sign out")["pages"]
    assert signed_in == [("Every page (the site’s layout)", False)], signed_in
    with app.test_request_context():
        assert uploads.syntax_problem(type("E", (Exception,), {"lineno": 2})("x")).startswith("Line 3")


def test_a_translator_cannot_add_languages_and_a_provider_cannot_edit(tools, i18n_app):
    app, client, _user = tools
    assert client.post("/translate/languages", data={"code": "fr"}).status_code == 403
    with i18n_app.app_context():
        provider_email = Builders(_db).user("provider").email
    other = i18n_app.test_client()
    other.post("/sign-in", data={"email": provider_email, "password": Builders.PASSWORD})
    entry = _entry(app, "es", SOURCE)
    assert other.post(f"/translate/es/messages/{entry['key']}", data={"form0": "x %(borough)s"}).status_code == 403
    with app.app_context():
        assert _db.session.execute(select(TranslationOverride)).first() is None


def test_a_database_without_the_table_serves_the_shipped_catalogues(tmp_path, caplog):
    from flask_babel import gettext

    from app.i18n import overrides
    bare = create_app(_test_config(tmp_path) | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}"})
    with bare.test_request_context("/?lang=es"):
        assert overrides.stamp() is None and overrides.current("es") == {}
        assert gettext(SOURCE, borough="Camden") != "Find local support in Camden"  # Spanish, from the .mo
        _db.engine.dispose()
    assert "serving the shipped catalogues" in caplog.text
