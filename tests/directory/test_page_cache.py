"""The page cache for anonymous visitors (app/core/pagecache.py): hits, what is never kept, and changes that show on
the very next request."""
import re

import pytest
from sqlalchemy import text

from app.core import pagecache
from app.directory import site_pages, translations

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def cached(app):
    app.config["PAGE_CACHE"] = True
    cache = pagecache.cache()
    cache.clear()
    cache.hits = cache.misses = 0
    yield cache
    cache.clear()


def test_an_anonymous_visitor_gets_the_kept_page_the_second_time(cached, build, client):
    build.service(name="Lunch club")
    first = client.get("/")
    assert first.status_code == 200 and cached.misses == 1 and cached.hits == 0
    second = client.get("/")
    assert cached.hits == 1 and second.get_data() == first.get_data()
    # The security headers are on a kept page too.
    assert second.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert second.headers["X-Frame-Options"] == "DENY"


def test_a_signed_in_visitor_is_never_served_or_stored(cached, build, client, login):
    build.service(name="Lunch club")
    login(build.user("manager"))
    for _ in range(2):
        page = client.get("/").get_data(as_text=True)
        assert "Sign out" in page
    assert cached.hits == 0 and not cached.pages
    client.post("/sign-out")
    assert "Sign out" not in client.get("/").get_data(as_text=True)


def test_a_published_change_shows_on_the_very_next_request(cached, build, client, db):
    service = build.service(name="Lunch club", description="Soup on Tuesdays.")
    assert "Soup on Tuesdays." in client.get(f"/services/{service.slug}").get_data(as_text=True)
    client.get(f"/services/{service.slug}")
    assert cached.hits == 1
    service.description = "Soup on Wednesdays."
    db.session.commit()
    assert "Soup on Wednesdays." in client.get(f"/services/{service.slug}").get_data(as_text=True)
    # A new listing appears in the search and on the home page's counts at once; an archived one goes.
    assert "Chess club" not in client.get("/search?q=chess").get_data(as_text=True)
    other = build.service(name="Chess club")
    assert "Chess club" in client.get("/search?q=chess").get_data(as_text=True)
    other.status = "archived"
    db.session.commit()
    assert client.get(f"/services/{other.slug}").status_code == 404


def test_a_translation_and_a_site_page_edit_show_at_once(cached, build, client, db):
    service = build.service(name="Lunch club", description="English words.")
    spanish = {"Accept-Language": "es"}
    assert "English words." in client.get(f"/services/{service.slug}", headers=spanish).get_data(as_text=True)
    translations.save(service, "es", {"name": "Club de almuerzo", "description": "Palabras en español."}, None)
    db.session.commit()
    assert "Palabras en español." in client.get(f"/services/{service.slug}", headers=spanish).get_data(as_text=True)
    client.get("/contact")
    site_pages.save("contact", "en", "Contact us", "Call **Sam** on the new number.", build.user("manager"))
    db.session.commit()
    assert "<strong>Sam</strong>" in client.get("/contact").get_data(as_text=True)


def test_each_language_has_its_own_page(cached, build, client):
    build.service(name="Lunch club")
    english = client.get("/").get_data(as_text=True)
    spanish = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="es"' in spanish
    assert client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True) == spanish
    assert client.get("/").get_data(as_text=True) == english
    assert cached.hits == 2


def test_no_visitor_gets_another_visitors_csrf_token(cached, app, build):
    app.config["WTF_CSRF_ENABLED"] = True
    service = build.service(name="Lunch club")
    one, two = app.test_client(), app.test_client()
    page_one = one.get(f"/services/{service.slug}").get_data(as_text=True)
    page_two = two.get(f"/services/{service.slug}").get_data(as_text=True)
    assert cached.hits == 1
    token_one, token_two = TOKEN.search(page_one).group(1), TOKEN.search(page_two).group(1)
    assert token_one != token_two and cached.placeholder not in page_one + page_two
    assert all(cached.placeholder in body for body in cached.pages.values())  # the kept page holds no real token
    # Each token works for its own visitor only.
    assert two.post("/my-list/add", data={"slug": service.slug, "csrf_token": token_one}).status_code == 400
    assert two.post("/my-list/add", data={"slug": service.slug, "csrf_token": token_two}).status_code == 302


def test_a_visitor_with_a_list_or_a_message_gets_their_own_page(cached, build, client):
    service = build.service(name="Lunch club")
    client.get(f"/services/{service.slug}")
    client.post("/my-list/add", data={"slug": service.slug})
    page = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "added to your list" in page and "This listing is in your list." in page
    assert cached.hits == 0
    stranger = client.application.test_client()
    assert "This listing is in your list." not in stranger.get(f"/services/{service.slug}").get_data(as_text=True)


def test_a_response_that_sets_a_cookie_is_not_kept(cached, build, app):
    build.service(name="Lunch club")
    no_jar = app.test_client(use_cookies=False)
    for _ in range(2):
        response = no_jar.get("/?lang=es")  # the language choice is remembered in a cookie
        assert "lang=es" in response.headers.get("Set-Cookie", "")
    assert cached.hits == 0 and not cached.pages


def test_only_gets_of_public_pages_are_kept(cached, build, client):
    service = build.service(name="Lunch club")
    client.get(f"/services/{service.slug}/report")
    client.get(f"/services/{service.slug}/report")
    client.get("/my-list")
    client.get("/my-list")
    assert cached.hits == 0 and not cached.pages


def test_without_the_version_row_nothing_is_kept(cached, build, client, db):
    build.service(name="Lunch club")
    db.session.execute(text("DELETE FROM site_version"))
    db.session.commit()
    try:
        client.get("/")
        client.get("/")
        assert cached.hits == 0 and not cached.pages
    finally:
        db.session.execute(text("INSERT INTO site_version (id, version) VALUES (1, 1000), (2, 1000)"))
        db.session.commit()


def test_a_listing_bumps_the_pages_counter_only_and_a_translators_edit_both(app, build, db):
    from app.core import dataversion
    from app.i18n.models import TranslationOverride
    before = (dataversion.current(dataversion.PAGES), dataversion.current(dataversion.TRANSLATIONS))
    build.service(name="Lunch club")
    after_listing = (dataversion.current(dataversion.PAGES), dataversion.current(dataversion.TRANSLATIONS))
    assert after_listing[0] > before[0] and after_listing[1] == before[1]
    db.session.add(TranslationOverride(language="es", message_key="k" * 12, context="", msgid="Hello",
                                       msgid_plural="", strings=["Hola"], shipped_strings=[""], version=1,
                                       current=True, source="editor"))
    db.session.commit()
    after_edit = (dataversion.current(dataversion.PAGES), dataversion.current(dataversion.TRANSLATIONS))
    assert after_edit[0] > after_listing[0] and after_edit[1] > after_listing[1]
    # A rolled-back change bumps nothing.
    service = build.service(name="Not kept")
    before_rollback = dataversion.current(dataversion.PAGES)
    service.name = "Changed"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert dataversion.current(dataversion.PAGES) == before_rollback
