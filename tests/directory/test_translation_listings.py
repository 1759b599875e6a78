"""The translators' list of listings to translate (/translate/listings), served by the directory."""
from datetime import timedelta

from bs4 import BeautifulSoup
from flask import url_for

from app.core.db import utcnow
from app.directory.models import ServiceTranslation


def _soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_translators_see_published_listings_with_their_translation_counts(app, db, build, client, login):
    lunch = build.service(name="Thursday community lunch")
    build.service(name="Walking football")
    build.service(name="Draft lunch club", status="draft")
    db.session.add(ServiceTranslation(service=lunch, language="bn", name="বৃহস্পতিবার দুপুরের খাবার"))
    db.session.commit()
    login(build.user("translator"))

    page = _soup(client.get("/translate/listings"))
    links = {a.get_text(strip=True): a["href"] for a in page.select("ul.govuk-list a")}
    assert links == {"Thursday community lunch": f"/provider/services/{lunch.slug}/translations",
                     "Walking football": links["Walking football"]}
    assert page.select_one("main p.govuk-body").get_text(strip=True) == "Bangla (বাংলা): 1"

    found = _soup(client.get("/translate/listings?q=lunch"))
    assert [a.get_text(strip=True) for a in found.select("ul.govuk-list a")] == ["Thursday community lunch"]
    assert found.select_one("input#q")["value"] == "lunch"


def test_the_translator_dashboard_links_to_the_listings_page(app, build, client, login):
    login(build.user("translator"))
    page = _soup(client.get("/translate/"))
    assert page.find("a", string="Translate listings")["href"] == "/translate/listings"


def test_only_translators_and_admins_reach_it(app, build, client, login):
    login(build.user("provider"))
    assert client.get("/translate/listings").status_code == 403
    client.post("/sign-out")
    login(build.user("admin"))
    assert client.get("/translate/listings").status_code == 200


def test_its_endpoint_lives_with_the_directory(app):
    with app.test_request_context():
        assert url_for("listing_translations.listings") == "/translate/listings"
    assert "i18n.listings" not in app.view_functions


def _names(page):
    return [a.get_text(strip=True) for a in page.select("ul.govuk-list a")]


def test_every_listing_is_reachable_page_by_page(app, db, build, client, login):
    organisation = build.organisation()
    for n in range(112):
        build.service(organisation=organisation, name=f"Listing {n:03d}", location=False)
    login(build.user("translator"))
    seen = []
    url = "/translate/listings"
    while url:
        page = _soup(client.get(url))
        seen += _names(page)
        following = page.select_one("a[rel=next]")
        url = following["href"] if following else None
    assert seen == [f"Listing {n:03d}" for n in range(112)]
    assert "Page 3 of 3" in _soup(client.get("/translate/listings?page=3")).title.get_text()
    assert client.get("/translate/listings?page=99").status_code == 200  # past the end: an empty page, not a 404
    assert client.get("/translate/listings?page=abc").status_code == 200


def test_filters_for_untranslated_and_needs_updating_in_one_language(app, db, build, client, login):
    done = build.service(name="Art group", location=False)
    stale = build.service(name="Befriending", location=False)
    build.service(name="Chair exercise", location=False)
    db.session.add_all([ServiceTranslation(service=done, language="so", name="Koox farshaxan"),
                        ServiceTranslation(service=stale, language="so", name="Saaxiibtinimo",
                                           updated_at=utcnow() - timedelta(days=3))])
    db.session.commit()
    stale.description = "Someone to talk to, now on Fridays too."  # the English changed after the Somali
    done.capacity_status = "full"  # not its words: the Somali still says the same
    db.session.commit()
    login(build.user("translator"))
    assert _names(_soup(client.get("/translate/listings?language=so&show=untranslated"))) == ["Chair exercise"]
    assert _names(_soup(client.get("/translate/listings?language=so&show=stale"))) == ["Befriending"]
    page = _soup(client.get("/translate/listings?language=so&show=all"))
    tags = [t.get_text(strip=True) for t in page.select("ul.govuk-list .govuk-tag")]
    assert tags == ["Translated", "Needs updating", "Not translated"]
    # Another language: nothing is translated, so every listing needs translating.
    assert len(_names(_soup(client.get("/translate/listings?language=ar&show=untranslated")))) == 3
    # A filter without a language, or an unknown one, shows every listing.
    assert len(_names(_soup(client.get("/translate/listings?language=xx&show=stale")))) == 3
    searched = _soup(client.get("/translate/listings?q=chair&language=so&show=untranslated"))
    assert _names(searched) == ["Chair exercise"] and searched.select_one("#show option[selected]")["value"] == \
        "untranslated"
