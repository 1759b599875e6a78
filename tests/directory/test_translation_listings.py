"""The translators' list of listings to translate (/translate/listings), served by the directory."""
from bs4 import BeautifulSoup
from flask import url_for

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
    assert page.select_one("main p.govuk-body").get_text(strip=True) == "bn: 1"

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
