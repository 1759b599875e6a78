"""A provider updates opening times and capacity, a manager approves, and a resident's search shows it."""
import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def test_provider_update_approved_and_found(live_server, chromium, build):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    build.service(organisation=org, name="Knit and natter", categories=("creative-art",),
                            weekly=[(1, "10:00", "12:00")])
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")

    context = chromium.new_context()
    page = context.new_page()
    sign_in(page, live_server, provider)
    page.wait_for_url("**/provider/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Taking new people?").select_option("waiting_list")
    page.get_by_label("Note, like ‘Full until March’").fill("Waiting list until January")
    page.get_by_role("button", name="Update availability").click()
    assert "now shows: Waiting list" in page.inner_text(".govuk-notification-banner")

    page.get_by_role("link", name="Update the details").click()
    page.get_by_role("link", name="Change Opening times and events").click()
    assert_no_serious_axe_violations(page)
    page.locator("#sessions-0-weekday").select_option("4")  # Friday instead of Tuesday
    page.locator("#sessions-0-opens_at").fill("18:00")
    page.locator("#sessions-0-closes_at").fill("20:30")
    page.get_by_role("button", name="Save").click()
    assert "sent to the directory team" in page.inner_text(".govuk-notification-banner")
    context.close()

    context = chromium.new_context()
    page = context.new_page()
    sign_in(page, live_server, manager)
    page.goto(live_server + "/manage/changes")
    page.get_by_role("link", name="Knit and natter").click()
    assert "Every Friday, 18:00 to 20:30" in page.inner_text("table.hg-diff")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Approve and publish").click()
    assert "is live and searchable" in page.inner_text(".govuk-notification-banner")
    context.close()

    context = chromium.new_context()
    page = context.new_page()
    page.goto(live_server + "/search?q=knitting&day=4")
    assert "1 result" in page.inner_text(".hg-result-count")
    card = page.locator(".hg-card").first.inner_text()
    assert "Knit and natter" in card and "Waiting list" in card
    page.get_by_role("link", name="Knit and natter").click()
    assert "Friday" in page.inner_text("table") and "18:00" in page.inner_text("table")
    assert "Waiting list until January" in page.inner_text("main")
    context.close()
