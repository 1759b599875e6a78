"""A resident collects listings from search results and a listing page, shares the list, and someone else keeps
it and prints it: on a desktop and a 320 px phone, in English and Arabic."""
import re

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

DESCRIPTION = """Free food every week, no referral needed.

What you can get:

- a bag of fresh fruit and vegetables
- tins, pasta and rice
- toiletries and nappies

Volunteers can help you with forms afterwards."""


def _at_card(page, anchor):
    """The page was scrolled to this card: its top is on the screen."""
    return page.locator(f"#{anchor}").evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_collect_share_keep_and_print_a_list(live_server, page, chromium, build, artifacts_dir):
    org = build.organisation(name="Fairfield Community Hall")
    station = build.location(org, nearest_station="Kentish Town")
    pantry = build.service(organisation=org, location=station, name="Fairfield food pantry", description=DESCRIPTION,
                           categories=("food-banks",), weekly=[(3, "10:00", "12:00")])
    fillers = [build.service(organisation=org, name=f"Food club {n}", categories=("food-meals",))
               for n in range(8)]
    lunch = build.service(organisation=org, name="Food and friends lunch", categories=("food-meals",),
                          description="A hot lunch.\n\n- soup\n- pudding")

    page.goto(live_server + "/")
    page.get_by_label("What are you looking for?").fill("food")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=food")

    # Adding from the results comes back to the same card, not to the top of the page.
    for service in (lunch, fillers[-1]):
        page.get_by_role("button", name=re.compile(f"Add to my list.*{service.name}$")).click()
        page.wait_for_url(f"**/search?q=food#listing-{service.slug}")
        assert _at_card(page, f"listing-{service.slug}")
        assert page.locator(f"#listing-{service.slug}").get_by_role("button", name=re.compile("Remove")).is_visible()

    page.get_by_role("link", name="Fairfield food pantry").click()
    page.wait_for_url(f"**/services/{pantry.slug}")
    assert "Nearest station: Kentish Town" in page.inner_text("main")
    osm = page.get_by_role("link", name=re.compile("Directions on OpenStreetMap"))
    assert osm.get_attribute("href").startswith("https://www.openstreetmap.org/directions?to=51.55")
    assert page.get_by_label("Link to this listing").input_value() == f"{live_server}/services/{pantry.slug}"
    assert page.get_by_role("link", name="Share by e-mail").get_attribute("href").startswith("mailto:?subject=")
    page.get_by_role("button", name="Add to my list").click()
    page.wait_for_url(f"**/services/{pantry.slug}#my-list")
    assert "This listing is in your list." in page.inner_text("#my-list")
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "listing-page.png"), full_page=True)

    page.get_by_role("link", name="View your list").click()
    shared_url = page.get_by_label("Link to this list").input_value()
    assert shared_url.startswith(live_server + "/my-list?items=")

    # Someone else opens the link on their own device and keeps the list.
    other = chromium.new_context(viewport={"width": 320, "height": 640})
    phone = other.new_page()
    phone.goto(shared_url)
    assert phone.locator("h1").inner_text() == "A list shared with you"
    assert_no_serious_axe_violations(phone)
    assert _fits(phone)
    phone.get_by_role("button", name="Add these to your list").click()
    phone.wait_for_url("**/my-list")
    assert phone.locator("h1").inner_text() == "Your list"
    assert "3 listings were added to your list." in phone.inner_text(".govuk-notification-banner")
    assert phone.locator(".hg-card__title").all_inner_texts() == [lunch.name, fillers[-1].name, pantry.name]

    phone.get_by_role("link", name="Print this list").click()
    phone.wait_for_url("**/my-list/print**")
    for language in ("en", "ar"):
        for width in (320, 1024):
            phone.set_viewport_size({"width": width, "height": 800})
            phone.goto(phone.url.split("&lang=")[0].split("?lang=")[0] + ("&" if "?" in phone.url else "?")
                       + f"lang={language}")
            assert phone.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            assert_no_serious_axe_violations(phone)
            assert _fits(phone), (language, width)
            assert phone.locator("svg.hg-qr").count() == 3
            assert phone.locator(".hg-handout__url").first.inner_text() == f"{live_server}/services/{lunch.slug}"
            phone.screenshot(path=str(artifacts_dir / f"handout-{language}-{width}.png"), full_page=True)
    phone.emulate_media(media="print")
    phone.set_viewport_size({"width": 718, "height": 1047})  # an A4 page inside its 15 mm margins, at 96 dpi
    assert phone.locator(".hg-header").is_hidden() and phone.locator(".hg-noprint").is_hidden()
    assert _fits(phone)
    text = phone.inner_text("main")
    assert "toiletries and nappies" in text and "Volunteers can help you with forms afterwards." in text
    phone.pdf(path=str(artifacts_dir / "handout-ar.pdf"), format="A4")
    phone.goto(phone.url.replace("lang=ar", "lang=en"))
    phone.pdf(path=str(artifacts_dir / "handout-en.pdf"), format="A4")
    other.close()


def test_adding_works_without_javascript(live_server, chromium, build):
    service = build.service(name="Walking group", categories=("active-walking",))
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + f"/services/{service.slug}")
    page.get_by_role("button", name="Add to my list").click()
    page.wait_for_url(f"**/services/{service.slug}#my-list")
    assert page.get_by_role("button", name="Remove from my list").is_visible()
    assert page.get_by_role("link", name=re.compile("Directions on OpenStreetMap")).is_visible()
    context.close()
