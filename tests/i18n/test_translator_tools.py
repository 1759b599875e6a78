"""Translator tools work on a copy of the catalogues, never on the repository's files."""
import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.extensions import db as _db
from app.i18n.models import TranslationEdit
from tests.builders import Builders
from tests.i18n.conftest import ROOT, _entry


def test_dashboard_shows_counts_and_review_state(tools):
    _app, client, _user = tools
    body = client.get("/translate/").get_data(as_text=True)
    for name in ("العربية", "বাংলা", "Soomaali", "español", "português", "polski"):
        assert name in body
    assert "Awaiting review by a native speaker" in body


def test_a_saved_edit_is_live_on_the_next_request_in_another_worker(tools, tmp_path):
    app, client, user = tools
    entry = _entry(app, "es", "Find local support in %(borough)s")
    response = client.post(f"/translate/es/messages/{entry['key']}",
                           data={"form0": "Apoyo cercano en %(borough)s (editado)"})
    assert response.status_code == 302
    assert "Apoyo cercano en Camden (editado)" in client.get("/?lang=es").get_data(as_text=True)
    # Another worker process: a separate Python process with its own app, the same files and the same database.
    # %-formatting: the script is Python source whose dict braces would need doubling with str.format.
    script = (  # noqa: UP031
        "import sys; sys.path.insert(0, %r)\n"
        "from app import create_app\n"
        "app = create_app({'BABEL_TRANSLATION_DIRECTORIES': %r, 'SQLALCHEMY_DATABASE_URI': %r, "
        "'LANGUAGE_THRESHOLD': 0, 'INSTANCE_PATH': %r, 'SEARCH_INDEX_DIR': %r})\n"
        "with app.test_request_context('/?lang=es'):\n"
        "    from flask_babel import gettext\n"
        "    print(gettext('Find local support in %%(borough)s', borough='Camden'))\n"
    ) % (str(ROOT), app.config["BABEL_TRANSLATION_DIRECTORIES"], app.config["SQLALCHEMY_DATABASE_URI"],
         str(tmp_path), str(tmp_path / "i"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "Apoyo cercano en Camden (editado)" in out
    with app.app_context():
        edit = _db.session.execute(select(TranslationEdit).order_by(TranslationEdit.id.desc())).scalars().first()
        assert edit.user_id == user.id and "(editado)" in edit.new_text


@pytest.mark.parametrize("text, problem", [
    ("Apoyo en %(barrio)s", "Keep these placeholders"),
    ("Apoyo <script>alert(1)</script> en %(borough)s", "cannot contain HTML"),
    ("Apoyo en %(borough)s y %(extra)s", "not in the English text"),
])
def test_bad_edits_are_refused_with_a_reason_and_not_saved(tools, text, problem):
    app, client, _user = tools
    entry = _entry(app, "es", "Find local support in %(borough)s")
    before = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "es/LC_MESSAGES/messages.po").read_bytes()
    response = client.post(f"/translate/es/messages/{entry['key']}", data={"form0": text})
    assert response.status_code == 400 and problem in response.get_data(as_text=True)
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "es/LC_MESSAGES/messages.po").read_bytes() == before


def test_plural_forms_follow_the_language(tools):
    app, client, _user = tools
    entry = _entry(app, "ar", "%(num)s result")
    page = client.get(f"/translate/ar/messages/{entry['key']}").get_data(as_text=True)
    assert page.count('name="form') == 6  # Arabic has six plural forms
    response = client.post(f"/translate/ar/messages/{entry['key']}", data={"form0": "%(num)s نتيجة"})
    assert response.status_code == 400 and "Fill in every plural form" in response.get_data(as_text=True)


def test_download_and_upload_round_trip_and_bad_uploads_change_nothing(tools):
    app, client, _user = tools
    po = client.get("/translate/pl/download")
    assert po.status_code == 200 and b'"Language: pl' in po.data
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "pl/LC_MESSAGES/messages.po")
    before = path.read_bytes()
    lines = po.data.decode("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and "%(borough)s" in line)
    lines[index] = lines[index].replace("%(borough)s", "%(dzielnica)s")
    bad = "\n".join(lines).encode("utf-8")
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(bad), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "placeholders" in response.get_data(as_text=True)
    wrong_language = po.data.replace(b'"Language: pl', b'"Language: de')
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(wrong_language), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Language header" in response.get_data(as_text=True)
    for junk in (b"\xff\xfe\x00garbage", b'msgid "unterminated'):
        response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(junk), "x.po")},
                               content_type="multipart/form-data")
        assert response.status_code == 400
    unknown = po.data + '\nmsgid "A message the site never had"\nmsgstr "Coś"\n'.encode()
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(unknown), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "Not a message of this site" in response.get_data(as_text=True)
    assert path.read_bytes() == before
    good = po.data.replace("Znajdź".encode(), b"Odszukaj", 1)
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO(good), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 302


def test_saving_keeps_comments_and_order(tools):
    app, client, _user = tools
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "pt/LC_MESSAGES/messages.po")
    with path.open("rb") as handle:
        order_before = [m.id for m in read_po(handle)]
    entry = _entry(app, "pt", "Search")
    client.post(f"/translate/pt/messages/{entry['key']}", data={"form0": "Pesquisar"})
    with path.open("rb") as handle:
        after = read_po(handle)
    assert [m.id for m in after] == order_before
    assert "# Review state" in path.read_text(encoding="utf-8").splitlines()[0]
    assert all(m.locations for m in after if m.id)


def test_review_state_and_roles(tools, i18n_app):
    app, client, _user = tools
    client.post("/translate/so/review", data={"state": "reviewed"})
    assert "Reviewed" in client.get("/translate/").get_data(as_text=True)
    with i18n_app.app_context():
        provider_email = Builders(_db).user("provider").email
    other = i18n_app.test_client()
    other.post("/sign-in", data={"email": provider_email, "password": Builders.PASSWORD})
    assert other.get("/translate/").status_code == 403
    assert other.get("/translate/so/download").status_code == 403
    assert client.get("/translate/xx").status_code == 404


def test_admin_adds_a_language_which_appears_once_complete_enough(tools, i18n_app):
    app, client, _user = tools
    with i18n_app.app_context():
        admin_email = Builders(_db).user("admin").email
    admin_client = i18n_app.test_client()
    admin_client.post("/sign-in", data={"email": admin_email, "password": Builders.PASSWORD})
    assert admin_client.post("/translate/languages", data={"code": "klingon"}).status_code == 400
    assert admin_client.post("/translate/languages", data={"code": "fr"}).status_code == 302
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "fr/LC_MESSAGES/messages.po").exists()
    app.config["LANGUAGE_THRESHOLD"] = 80
    try:
        assert "Français" not in client.get("/").get_data(as_text=True)  # 0% translated: not offered
    finally:
        app.config["LANGUAGE_THRESHOLD"] = 0
    assert "Français" in client.get("/").get_data(as_text=True)
