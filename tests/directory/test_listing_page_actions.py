"""The listing page's own actions: add to my list, share, directions; and the out-of-date flag on result cards."""
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from app.core.db import utcnow
from tests.conftest import HtmlPage


def test_adding_from_the_listing_page_comes_back_to_the_button(client, build):
    service = build.service(name="Chair yoga")
    page = HtmlPage(client.get(f"/services/{service.slug}"))
    form = page.select_one("#my-list form")
    assert form["action"] == "/my-list/add" and form.select_one("[name=csrf_token]") is not None
    next_url = form.select_one("[name=next]")["value"]
    assert next_url == f"/services/{service.slug}#my-list"

    response = client.post("/my-list/add", data={"slug": service.slug, "next": next_url})
    assert response.status_code == 302 and response.headers["Location"] == f"/services/{service.slug}#my-list"

    page = HtmlPage(client.get(f"/services/{service.slug}"))
    assert "This listing is in your list." in page.text("#my-list")
    assert page.select_one("#my-list a")["href"] == "/my-list"
    assert page.select_one("#my-list form")["action"] == "/my-list/remove"
    assert page.text("#my-list button") == "Remove from my list"


def test_result_cards_send_people_back_to_the_card_they_added(client, build):
    service = build.service(name="Walking football", categories=("active-walking",))
    for url in ("/search?q=football", "/categories/active-walking"):
        page = HtmlPage(client.get(url))
        card = page.select_one(f"#listing-{service.slug}")
        assert card is not None, url
        next_url = card.select_one("[name=next]")["value"]
        assert next_url.endswith(f"#listing-{service.slug}") and next_url.startswith(url.split("?")[0])
        response = client.post("/my-list/add", data={"slug": service.slug, "next": next_url})
        assert response.headers["Location"] == next_url
        client.post("/my-list/remove", data={"slug": service.slug})
    # A category page without a query string does not leave a stray '?' before the anchor.
    page = HtmlPage(client.get("/categories/active-walking"))
    assert page.select_one(f"#listing-{service.slug} [name=next]")["value"] == \
        f"/categories/active-walking#listing-{service.slug}"


def test_the_fragment_survives_but_other_sites_do_not(client, build):
    service = build.service()
    for bad in ("https://evil.example/#listing-x", "//evil.example/#x", "/\\evil.example#x", "javascript:alert(1)#x"):
        response = client.post("/my-list/add", data={"slug": service.slug, "next": bad})
        assert response.headers["Location"] == "/my-list", bad
    response = client.post("/my-list/add", data={"slug": service.slug, "next": "/search?q=a%20b#listing-1"})
    assert response.headers["Location"] == "/search?q=a%20b#listing-1"


def test_adding_needs_a_csrf_token(app, client, build):
    service = build.service()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/my-list/add", data={"slug": service.slug, "next": "/"})
    assert response.status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    assert "Your list is empty" in client.get("/my-list").get_data(as_text=True)


def test_the_share_link_is_the_listings_own_address(client, build):
    service = build.service(name="Men's shed")
    page = HtmlPage(client.get(f"/services/{service.slug}"))
    field = page.select_one("#share-link")
    assert field["value"] == f"http://localhost/services/{service.slug}" and field.has_attr("readonly")
    # The same address whatever brought the person here (a search, a language, a tracking tag).
    assert page.select_one("link[rel=canonical]")["href"] == field["value"]
    again = HtmlPage(client.get(f"/services/{service.slug}?lang=ar&utm_source=x"))
    assert again.select_one("#share-link")["value"] == field["value"]
    assert page.select_one("label[for=share-link]").get_text(strip=True) == "Link to this listing"
    mailto = page.soup.find("a", string="Share by e-mail")["href"]
    assert mailto.startswith("mailto:?")
    query = parse_qs(urlsplit(mailto).query)
    assert query["subject"] == ["Men's shed on Hidden Gems"]
    assert f"http://localhost/services/{service.slug}" in query["body"][0]
    assert "+" not in mailto  # spaces are %20: some mail programs show a '+' literally


def test_directions_use_the_coordinates_or_else_the_postcode(client, build, db):
    org = build.organisation()
    with_coordinates = build.location(org, latitude=51.5513, longitude=-0.1427, nearest_station="Kentish Town")
    service = build.service(organisation=org, location=with_coordinates)
    page = HtmlPage(client.get(f"/services/{service.slug}"))
    link = _directions_link(page)
    assert link["href"] == "https://www.openstreetmap.org/directions?to=51.551300%2C-0.142700"
    assert "Test Hall, 1 Test Road" in link.get_text()  # says where, for screen readers
    assert "Nearest station: Kentish Town" in page.text("main")
    assert "1 Test Road" in page.text(".hg-address")  # the address is text, for people without JavaScript

    no_coordinates = build.location(org, postcode="NW1 7JR", latitude=None, longitude=None)
    other = build.service(organisation=org, location=no_coordinates)
    page = HtmlPage(client.get(f"/services/{other.slug}"))
    link = _directions_link(page)
    assert unquote(link["href"]) == "https://www.openstreetmap.org/search?query=NW1 7JR"
    assert "Nearest station" not in page.text("main")


def _directions_link(page):
    return next(a for a in page.select("a") if "Directions on OpenStreetMap" in a.get_text())


def test_online_listings_have_no_directions(client, build):
    service = build.service(location=False, formats=["phone"])
    body = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "Directions on OpenStreetMap" not in body


def test_cards_flag_out_of_date_listings_by_the_listing_pages_rule(app, client, build):
    months = app.config["OUT_OF_DATE_AFTER_MONTHS"]
    old = build.service(name="Old knitting circle", categories=("creative-art",),
                        last_verified_at=utcnow() - timedelta(days=31 * months + 1))
    never = build.service(name="Never checked knitting", categories=("creative-art",), last_verified_at=None)
    fresh = build.service(name="Fresh knitting club", categories=("creative-art",))
    for url in ("/search?q=knitting", "/categories/creative-art"):
        page = HtmlPage(client.get(url))
        for service, flagged in ((old, True), (never, True), (fresh, False)):
            card = page.text(f"#listing-{service.slug}")
            assert ("May be out of date" in card) is flagged, (url, service.name)
            warning = HtmlPage(client.get(f"/services/{service.slug}")).text(".govuk-warning-text") or ""
            assert ("may be out of date" in warning) is flagged
    # The one rule moves with its setting: cards and the page change together.
    app.config["OUT_OF_DATE_AFTER_MONTHS"] = 10 * months
    assert "May be out of date" not in HtmlPage(client.get("/categories/creative-art")).text(f"#listing-{old.slug}")
    assert HtmlPage(client.get(f"/services/{old.slug}")).text(".govuk-warning-text") is None

