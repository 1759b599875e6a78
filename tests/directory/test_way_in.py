"""The way in: every public page leads to self-referral, What's on, the list and the site's information pages."""
import pytest

from app.directory import search

PAGES = ("/", "/categories/", "/categories/talk", "/search?q=befriending", "/whats-on/", "/my-list", "/refer/",
         "/privacy", "/accessibility", "/contact", "/sign-in")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_header_and_footer_lead_everywhere_that_matters(client, html_page, path, lang):
    page = html_page(client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}"))
    assert page.status_code == 200
    header = {a["href"] for a in page.select("header nav[aria-label] a.hg-header__link")}
    assert {"/refer/", "/whats-on/", "/my-list"} <= header
    refer = page.select_one("header a.hg-header__link--refer")
    assert refer["href"] == "/refer/" and refer.get_text(strip=True) == ("Refer yourself" if lang == "en"
                                                                          else "إحالة ذاتية")
    footer = {a["href"] for a in page.select("footer a.govuk-footer__link")}
    assert footer == {"/privacy", "/accessibility", "/contact", "/api/"}


def test_the_home_page_offers_self_referral_whats_on_and_the_list(client, html_page):
    page = html_page(client.get("/"))
    refer = page.select_one("main a.govuk-button--start[href='/refer/']")
    assert refer is not None and refer.get_text(strip=True) == "Refer yourself"
    assert page.select_one("main h2#refer-home-title").get_text() == "Want support from the NHS mental health team?"
    assert page.select_one("main a[href='/whats-on/']") is not None
    assert page.select_one("main a[href='/my-list']") is not None


def _prompt(page):
    aside = page.select_one("main aside.hg-refer")
    return aside.select_one("a[href='/refer/']").get_text(strip=True) if aside else None


def test_a_listing_and_a_category_offer_self_referral(client, html_page, build):
    service = build.service(categories=("talk-befriending",))
    assert _prompt(html_page(client.get(f"/services/{service.slug}"))) == "Refer yourself"
    assert _prompt(html_page(client.get("/categories/talk"))) == "Refer yourself"


def test_a_search_with_no_results_offers_self_referral_and_urgent_help(client, html_page):
    page = html_page(client.get("/search?q=zzzqqqxx"))
    assert page.text("main h2") == "No listings matched your search"
    assert _prompt(page) == "Refer yourself"
    assert page.select_one("main aside.hg-urgent") is not None


def test_a_search_in_crisis_shows_urgent_help_and_the_way_in_before_the_listings(client, html_page, build):
    build.service(name="Evening crisis cafe", description="A calm place when things are too much.",
                  categories=("urgent-crisis",))
    search.rebuild_index(search_services())
    page = html_page(client.get("/search?q=suicidal"))
    results = page.select_one("#results")
    assert results.select(".hg-card"), "the crisis cafe is found"
    order = [el.get("id") or el.get("class")[0] for el in page.select("#crisis-help, aside.hg-refer, li.hg-card")]
    assert order[:2] == ["crisis-help", "hg-refer"]
    assert _prompt(page) == "Refer yourself"


def test_an_ordinary_search_with_results_has_no_crisis_box(client, html_page, build):
    build.service(name="Walking group", description="A walking group.")
    search.rebuild_index(search_services())
    page = html_page(client.get("/search?q=walking"))
    assert page.select(".hg-card")
    assert page.select_one("#results aside.hg-urgent") is None and _prompt(page) is None


def test_the_referral_start_page_links_to_the_privacy_notice(client, html_page):
    page = html_page(client.get("/refer/"))
    link = page.select_one("main a[href='/privacy']")
    assert link is not None and "privacy notice" in link.get_text()


@pytest.mark.parametrize(("text", "crisis"), [
    ("suicidal", True), ("I want to die", True), ("Self-harm support", True),
    ("walking group", False), ("debt advice", False), ("", False), ("die", False),
])
def test_crisis_searches_are_recognised(text, crisis):
    assert search.is_crisis(text) is crisis


def search_services():
    from app.directory import listings
    return listings.all_services_for_index()
