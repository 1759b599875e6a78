"""A resident who reads Arabic searches for debt help and finds the English listings, marked as English; a typo in
English is searched as the real word."""
import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_arabic_search_at_320px_by_keyboard_and_an_english_typo(live_server, page, build, artifacts_dir):
    build.service(name="Debt advice appointments", categories=("money-debt",))
    build.service(name="Telephone befriending", categories=("talk-befriending",))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/?lang=en")
    page.locator(".hg-languages a[hreflang=ar]").click()
    page.wait_for_url("**lang=ar**")
    search = page.locator("input[name=q]").first
    search.focus()
    page.keyboard.type("ديون")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=**")
    card = page.locator(".hg-card", has_text="Debt advice appointments")
    assert card.count() == 1
    assert card.locator("h2[lang=en]").count() == 1 and card.locator(".hg-untranslated").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_serious_axe_violations(page)
    page.screenshot(path="/tmp/searchlang-arabic-320.png", full_page=True)

    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server + "/search?q=lonley&lang=en")
    assert "Showing results for lonely. Search instead for lonley" in page.inner_text(".hg-result-count")
    assert "Telephone befriending" in page.inner_text("main")
    page.screenshot(path="/tmp/searchlang-lonley.png", full_page=True)
