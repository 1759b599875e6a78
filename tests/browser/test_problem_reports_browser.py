"""A resident reports a problem in Arabic on a phone; a manager signs in, reads it, archives the listing, closes
the report with a reply, and reminds a stale listing's provider from the stale list."""
from datetime import timedelta

import pytest

from app.core.db import utcnow
from tests.browser.test_provider_browser import sign_in
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_report_from_a_phone_is_acted_on_by_a_manager(live_server, chromium, build, smtp_server, artifacts_dir):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    closed = build.service(organisation=org, name="Tuesday lunch club")
    stale = build.service(organisation=org, name="Knit and natter")
    stale.last_verified_at = utcnow() - timedelta(days=400)
    build.db.session.commit()
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")

    phone = chromium.new_context(viewport={"width": 320, "height": 700})
    page = phone.new_page()
    page.goto(f"{live_server}/services/{closed.slug}?lang=ar")
    page.locator(f"a[href='/services/{closed.slug}/report']").click()
    page.wait_for_url("**/report")
    page.locator("#problem-0").check()
    page.locator("#message").fill("المكان مغلق منذ شهر مايو. " + "ا" * 2100)  # one long unbroken word, too
    page.locator("#email").fill("resident@example.org")
    page.locator("main button[type=submit]").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert len(page.input_value("#message")) > 2000  # kept, not cut
    _fits(page)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "problem-report-ar-320-error.png"), full_page=True)
    page.locator("#message").fill("المكان مغلق منذ شهر مايو.")
    page.locator("main button[type=submit]").click()
    page.wait_for_selector("main h1")
    assert page.locator(".govuk-error-summary").count() == 0
    phone.close()

    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    sign_in(page, live_server, manager)
    page.wait_for_url("**/manage/")
    page.get_by_role("link", name="problem reports").click()
    page.get_by_role("link", name="It has closed or stopped running: Tuesday lunch club").click()
    assert "resident@example.org" in page.inner_text("main")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Close the report").click()
    assert "Choose what was done" in page.inner_text(".govuk-error-summary")
    page.get_by_role("link", name="Archive this listing").click()
    page.get_by_role("button", name="Yes, archive it").click()
    assert "was archived" in page.inner_text(".govuk-notification-banner")
    page.get_by_label("The listing was archived: it has stopped running").check()
    page.get_by_label("Reply to the person who reported it (optional)").fill("Thank you. We have taken it down.")
    page.screenshot(path=str(artifacts_dir / "problem-close-desktop.png"), full_page=True)
    page.get_by_role("button", name="Close the report").click()
    page.wait_for_url("**/manage/problems")
    assert "The reply was e-mailed" in page.inner_text(".govuk-notification-banner")
    reply = [m for m in smtp_server if m["To"] == "resident@example.org"]
    assert len(reply) == 1 and reply[0]["Content-Language"] == "ar"

    page.goto(f"{live_server}/manage/stale")
    page.get_by_role("button", name="Remind now Knit and natter").click()
    page.wait_for_url("**/manage/stale")
    assert "a reminder was e-mailed to 1 person" in page.inner_text(".govuk-notification-banner")
    assert any(m["To"] == provider.email for m in smtp_server)
    page.set_viewport_size({"width": 320, "height": 700})
    _fits(page)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(artifacts_dir / "stale-remind-320.png"), full_page=True)

    # A long unbroken string (20,000 px wide before) wraps inside the page, on the list and the report.
    long_one = build.problem_report(stale, problem="other", message="https://example.org/" + "a" * 1900)
    for path in ("/manage/problems", f"/manage/problems/{long_one.id}"):
        page.goto(live_server + path)
        _fits(page)
    desk.close()


def test_a_long_web_address_in_a_description_wraps_on_a_phone(live_server, chromium, build):
    service = build.service(name="Link heavy", description="Book at https://example.org/" + "booking-" * 60 + " today.")
    phone = chromium.new_context(viewport={"width": 320, "height": 700})
    page = phone.new_page()
    page.goto(f"{live_server}/services/{service.slug}")
    _fits(page)
    phone.close()
