"""`flask translate`: init never wipes a language, refuses the site's own and unknown languages in one line,
and every command that overwrites a catalogue keeps a backup and says where."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.extensions import db as _db
from app.i18n import catalogues
from tests.builders import Builders
from tests.i18n.conftest import _entry


def _po(app, code):
    return Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], code, "LC_MESSAGES", "messages.po")


def test_init_refuses_a_language_that_has_a_catalogue_and_leaves_it_byte_for_byte(i18n_app, app):
    before = _po(i18n_app, "es").read_bytes()
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "init", "es"])
    assert result.exit_code != 0
    assert "already has a catalogue" in result.output and "Traceback" not in result.output
    assert _po(i18n_app, "es").read_bytes() == before


@pytest.mark.parametrize("code, reason", [("en", "The site is written in that language"),
                                          ("en_GB", "The site is written in that language"),
                                          ("qq", "not a language code we know"),
                                          ("klingon", "not a language code we know")])
def test_init_refuses_english_and_unknown_codes_in_one_line(i18n_app, app, code, reason):
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "init", code])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0, result.output
    assert result.output.startswith(f"Error: {code}: ") and reason in result.output
    assert not _po(i18n_app, code).exists()


def test_init_starts_a_new_language(i18n_app, app):
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "init", "tr"])
    assert result.exit_code == 0, result.output
    assert "Started" in result.output and "LANGUAGES" in result.output
    with _po(i18n_app, "tr").open("rb") as handle:
        catalog = read_po(handle)
    assert len(catalog) > 1000 and not any(m.string for m in catalog if m.id and isinstance(m.string, str))


def test_export_writes_edits_into_the_po_file_with_a_backup(tools):
    app, client, _user = tools
    entry = _entry(app, "pt", "Search")
    assert client.post(f"/translate/pt/messages/{entry['key']}", data={"form0": "Procurar agora"}).status_code == 302
    path = _po(app, "pt")
    before = path.read_bytes()
    with path.open("rb") as handle:
        order_before = [m.id for m in read_po(handle)]
    result = app.test_cli_runner().invoke(args=["translate", "export", "pt"])
    assert result.exit_code == 0, result.output
    backups = list(path.parent.glob("messages.po.bak-*"))
    assert len(backups) == 1 and str(backups[0]) in result.output
    assert backups[0].read_bytes() == before
    with path.open("rb") as handle:
        after = read_po(handle)
    assert after["Search"].string == "Procurar agora"
    assert [m.id for m in after] == order_before  # comments, order and locations kept
    assert "# Review state" in path.read_text(encoding="utf-8").splitlines()[0]
    assert all(m.locations for m in after if m.id)
    assert not any(len(line) > 0 and line.startswith('"') and len(line) < 3 for line in path.read_text().splitlines())
    # Exported once: a second export has nothing to write and makes no backup.
    again = app.test_cli_runner().invoke(args=["translate", "export", "pt"])
    assert "nothing to export" in again.output and len(list(path.parent.glob("messages.po.bak-*"))) == 1
    backups[0].unlink()


def test_export_of_an_unknown_language_is_one_line(i18n_app, app):
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "export", "xx"])
    assert result.exit_code == 1 and result.output.startswith("Error: There is no catalogue for xx")


def test_a_language_added_on_the_site_is_audit_logged_and_english_is_refused(tools, i18n_app):
    from sqlalchemy import select

    from app.core.audit import AuditEvent
    app, _client, _user = tools
    with i18n_app.app_context():
        admin = Builders(_db).user("admin")
        admin_email, admin_id = admin.email, admin.id
    admin_client = i18n_app.test_client()
    admin_client.post("/sign-in", data={"email": admin_email, "password": Builders.PASSWORD})
    response = admin_client.post("/translate/languages", data={"code": "en"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "The site is written in that language" in body
    assert "govuk-error-summary" in body and 'value="en"' in body and "<title>Error:" in body
    assert admin_client.post("/translate/languages", data={"code": "cy"}).status_code == 302
    with i18n_app.app_context():
        event = _db.session.execute(select(AuditEvent).where(AuditEvent.action == "language_added")).scalar_one()
        assert event.record == "cy" and event.user_id == admin_id
    with i18n_app.test_request_context():
        assert "cy" in catalogues.known_languages()


def test_export_leaves_out_an_edit_that_fails_the_checks(tools):
    from app.i18n import overrides
    app, client, user = tools
    path = _po(app, "es")
    before = path.read_bytes()
    with app.test_request_context():
        catalog = catalogues.read("es")
        message = catalog["Search"]
        # Written past the checks (an older rule, or straight into the database): never exported.
        overrides.record("es", message, ["Buscar <script>x</script>"], [message.string], None)
        _db.session.commit()
    result = app.test_cli_runner().invoke(args=["translate", "export", "es"])
    assert result.exit_code == 0 and "left out" in result.output and "'Search'" in result.output
    assert path.read_bytes() == before and not list(path.parent.glob("messages.po.bak-*"))


def test_update_backs_up_every_catalogue_and_says_where(i18n_app, app):
    with i18n_app.app_context():
        result = i18n_app.test_cli_runner().invoke(args=["translate", "update"])
    assert result.exit_code == 0, result.output
    for code in ("ar", "bn", "so", "es", "pt", "pl"):
        backups = list(_po(i18n_app, code).parent.glob("messages.po.bak-*"))
        assert len(backups) == 1 and f"Backed up {code}: {backups[0]}" in result.output
        backups[0].unlink()
