"""A resident finds a listing in a real browser, with the keyboard, and axe-core finds nothing serious."""
import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_resident_searches_and_opens_a_listing(live_server, page, build, artifacts_dir):
    build.service(name="Brookfield befriending", categories=("talk-befriending",),
                  weekly=[(2, "10:00", "12:00")])
    page.goto(live_server + "/")
    assert_no_serious_axe_violations(page)

    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"

    page.get_by_label("What are you looking for?").fill("befriending")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=befriending")
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name="Brookfield befriending").click()
    page.wait_for_url("**/services/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Brookfield befriending"
    assert "Wednesday" in page.inner_text("table")
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "service-page.png"), full_page=True)


def test_pages_reflow_at_320_pixels_without_sideways_scrolling(live_server, chromium, build):
    service = build.service(name="A listing with a rather long name to test wrapping on small phones")
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/", "/categories/", "/categories/talk", f"/services/{service.slug}", "/sign-in"):
        page.goto(live_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()
