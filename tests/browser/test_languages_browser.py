"""Switching to Arabic: the page turns right-to-left, search and a referral step work, and axe finds nothing serious."""
import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_arabic_search_and_referral_step(live_server, page, build, artifacts_dir):
    build.service(name="Brookfield befriending", categories=("talk-befriending",), weekly=[(2, "10:00", "12:00")])
    page.goto(live_server + "/")
    page.get_by_role("link", name="العربية").click()  # the switcher names each language in itself
    page.wait_for_url("**lang=ar**")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    # Right-to-left layout: the main heading starts at the right-hand side.
    box = page.locator("h1").bounding_box()
    assert box["x"] + box["width"] > page.viewport_size["width"] / 2
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "home-ar.png"), full_page=True)

    page.locator("#q").fill("befriending")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**/search**")
    assert "Brookfield befriending" in page.inner_text("main")
    assert page.get_attribute("html", "dir") == "rtl"  # the choice is remembered
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "search-ar.png"), full_page=True)

    page.goto(live_server + "/refer/")
    page.locator("button.govuk-button--start").click()
    page.wait_for_url("**/refer/who")
    page.locator("button[type=submit]").first.click()  # Continue, with nothing chosen: a translated error
    summary = page.inner_text(".govuk-error-summary")
    assert "There is a problem" not in summary and summary.strip()
    assert_no_serious_axe_violations(page)
    page.locator("#route-0").check()
    page.locator("button[type=submit]").first.click()
    page.wait_for_url("**/refer/safety")
    assert page.get_attribute("html", "dir") == "rtl"
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "referral-step-ar.png"), full_page=True)


def test_bengali_page_screenshot(live_server, page, build, artifacts_dir):
    service = build.service(name="Bengali women's wellbeing circle", languages=["en", "bn"])
    page.goto(live_server + f"/services/{service.slug}?lang=bn")
    assert page.get_attribute("html", "lang") == "bn" and page.get_attribute("html", "dir") == "ltr"
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "service-bn.png"), full_page=True)


def test_arabic_check_answers_page_fits_a_320_px_phone(live_server, page, artifacts_dir):
    """The check page's hidden spam trap once sat 10,000 px to the left: right-to-left, that made the page
    10,320 px wide on a phone."""
    from urllib.parse import urlencode

    from tests.selfreferral.conftest import VALID

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + "/refer/?lang=ar")
    page.request.post(live_server + "/refer/start")
    for step, data in VALID.items():
        response = page.request.post(live_server + f"/refer/{step}", data=urlencode(data, doseq=True), max_redirects=0,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status == 302, step
    page.goto(live_server + "/refer/check")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("form button[type=submit]").last.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "check-ar-320-send.png"))
