"""Translators edit the search synonym lists in /translate/<language>/synonyms: who may, what is refused, and a
change counting from the next search in every worker (two apps sharing one database)."""
import re

from sqlalchemy import select

from app import create_app
from app.core.audit import AuditEvent
from app.directory.search import synonym_store, synonyms
from app.extensions import db as _db


def _names(body):
    return re.findall(r'hg-card__title[^>]*>\s*<a[^>]*>([^<]*)<', body)


def test_only_translators_and_admins_may_edit_synonyms(client, build, login):
    assert client.get("/translate/ar/synonyms").status_code == 302  # signed out: sign in first
    login(build.user("provider", email="p@test.example"))
    assert client.get("/translate/ar/synonyms").status_code == 403
    assert client.post("/translate/ar/synonyms/new", data={"triggers": "x", "expansions": "y"}).status_code == 403
    client.post("/sign-out")
    login(build.user("admin", email="a@test.example"))
    assert client.get("/translate/ar/synonyms").status_code == 200
    assert client.get("/translate/xx/synonyms").status_code == 404
    assert client.get("/translate/ar/synonyms/nosuchgroup").status_code == 404


def test_every_starter_language_ships_a_list(client, build, login):
    login(build.user("translator"))
    for code in ("en", "ar", "bn", "so", "es", "pt", "pl"):
        assert len(synonyms.shipped_groups(code)) >= 10, code
    body = client.get("/translate/synonyms").get_data(as_text=True)
    assert "/translate/bn/synonyms" in body
    body = client.get("/translate/ar/synonyms").get_data(as_text=True)
    assert "ديون" in body and "debt advice" in body


def test_bad_groups_are_refused_with_messages(client, build, login):
    login(build.user("translator"))
    response = client.post("/translate/ar/synonyms/new", data={"triggers": "", "expansions": "<b>"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error:" in body and "govuk-error-summary" in body
    assert "Enter the words residents type" in body
    assert "Use only letters, numbers, spaces, hyphens and apostrophes" in body
    taken = client.post("/translate/ar/synonyms/new", data={"triggers": "ديون", "expansions": "debt"})
    assert taken.status_code == 400 and "is already in another group" in taken.get_data(as_text=True)
    long = client.post("/translate/ar/synonyms/new", data={"triggers": "a b c d e", "expansions": "x" * 61})
    assert "4 words or fewer" in long.get_data(as_text=True) and "60 characters or fewer" in long.get_data(as_text=True)
    assert synonym_store.current_edits("ar") == []


def test_forms_need_their_csrf_token(app, client, build, login):
    login(build.user("translator"))
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/translate/ar/synonyms/new", data={"triggers": "كنز", "expansions": "food"})
    assert response.status_code == 400
    assert synonym_store.current_edits("ar") == []


def test_an_added_group_counts_from_the_next_search_in_every_worker(app, client, build, login, tmp_path):
    build.service(name="Open art studio", categories=("creative-art",))
    # A second worker: its own app and memory, the same database and index.
    from tests.conftest import _test_config
    other_config = _test_config(tmp_path)
    other_config.update(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                        SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"])
    other = create_app(other_config)
    other_client = other.test_client()
    try:
        assert "Open art studio" not in other_client.get("/search?q=زخرفة&lang=ar").get_data(as_text=True)
        login(build.user("translator", email="t@test.example"))
        response = client.post("/translate/ar/synonyms/new", data={"triggers": "زخرفة\nتلوين", "expansions": "art"})
        assert response.status_code == 302
        assert "Open art studio" in _names(client.get("/search?q=زخرفة&lang=ar").get_data(as_text=True))
        assert "Open art studio" in _names(other_client.get("/search?q=زخرفة&lang=ar").get_data(as_text=True))
        event = _db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "search_synonyms_changed")).scalar_one()
        assert event.record.startswith("ar ") and "زخرفة" in event.detail
        # Removed: the next search in the other worker no longer finds it.
        key = next(g.key for g in synonym_store.groups("ar") if "زخرفة" in g.triggers)
        assert client.post(f"/translate/ar/synonyms/{key}/remove").status_code == 302
        assert "Open art studio" not in _names(other_client.get("/search?q=زخرفة&lang=ar").get_data(as_text=True))
    finally:
        with other.app_context():
            _db.engine.dispose()


def test_a_shipped_group_can_be_changed_and_a_new_deploy_of_that_line_wins(client, build, login):
    build.service(name="Debt advice appointments", categories=("money-debt",))
    login(build.user("translator"))
    group = next(g for g in synonyms.shipped_groups("es") if "deudas" in g.triggers)
    response = client.post(f"/translate/es/synonyms/{group.key}",
                           data={"triggers": "deudas\ndeuda\ncolchón", "expansions": "debt advice\ndebt"})
    assert response.status_code == 302
    assert "Debt advice appointments" in _names(client.get("/search?q=colchón&lang=es").get_data(as_text=True))
    assert "Edited on the site" in client.get("/translate/es/synonyms?lang=en").get_data(as_text=True)
    page = client.get(f"/translate/es/synonyms/{group.key}?lang=en").get_data(as_text=True)
    assert "colchón" in page and "History" in page
    # The shipped line changes in git: the edit made over the old line gives way.
    row = synonym_store.current_edits("es")[0]
    row.shipped_line = "an older line"
    _db.session.commit()
    merged = next(g for g in synonym_store.groups("es") if g.key == group.key)
    assert "colchón" not in merged.triggers
