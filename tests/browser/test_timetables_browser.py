"""A provider adds a monthly session, a fortnightly one, a term-time one and a holiday closure without
JavaScript, makes a mistake and fixes it from the error summary; a manager approves; the public page and What's on
show the timetable in words at 320 px, in English and Arabic."""
from datetime import timedelta

import pytest

from app.core import clock
from app.directory.models import SchoolHoliday
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
SHOTS = "/tmp/timetables-{}.png"  # nosec B108: screenshots for a person to look at


def sign_in(page, live_server, user):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def fits(page, width=320):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def fill_date(page, prefix, day):
    page.locator(f"#{prefix}_day").fill(str(day.day))
    page.locator(f"#{prefix}_month").fill(str(day.month))
    page.locator(f"#{prefix}_year").fill(str(day.year))


def test_a_richer_timetable_from_the_provider_to_the_public(live_server, chromium, build, db):
    today = clock.local_today()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7)
    closed_from, closed_to = today + timedelta(days=20), today + timedelta(days=30)
    db.session.add(SchoolHoliday(name="Christmas holiday", starts_on=today + timedelta(days=40),
                                 ends_on=today + timedelta(days=50)))
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Memory café", categories=("talk-befriending",),
                            weekly=[(1, "10:00", "12:00")])
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")

    context = chromium.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, provider)
    page.goto(f"{live_server}/provider/services/{service.slug}/edit/where")
    page.locator("#sessions-0-how_often").select_option("monthly")
    page.locator("#sessions-0-week_of_month").select_option("1")
    page.get_by_role("button", name="Add another session").click()
    page.locator("#sessions-1-how_often").select_option("fortnightly")
    page.locator("#sessions-1-weekday").select_option("2")
    page.locator("#sessions-1-opens_at").fill("14:00")
    page.locator("#sessions-1-closes_at").fill("16:00")
    fill_date(page, "sessions-1-starts", wednesday)
    page.get_by_role("button", name="Add another session").click()
    assert page.locator("#sessions-1-opens_at").input_value() == "14:00"  # kept
    page.locator("#sessions-2-weekday").select_option("4")
    page.locator("#sessions-2-opens_at").fill("16:30")
    page.locator("#sessions-2-closes_at").fill("18:00")
    page.locator("#sessions-2-term_time").check()
    page.get_by_role("button", name="Add a closure").click()
    fill_date(page, "closures-0-from", closed_from)
    page.locator("#closures-0-to_day").fill("45")
    page.locator("#closures-0-to_month").fill("13")
    page.locator("#closures-0-to_year").fill(str(closed_to.year))
    page.get_by_role("button", name="Save", exact=True).click()

    assert page.title().startswith("Error:")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a real date, like 24 12 2026" in summary.inner_text()
    fits(page)
    page.screenshot(path=SHOTS.format("1-error-summary"), full_page=False)
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#closures-0-to_day")
    assert page.locator("#sessions-2-term_time").is_checked()  # everything typed is still there
    fill_date(page, "closures-0-to", closed_to)
    page.screenshot(path=SHOTS.format("2-form"), full_page=True)
    page.locator(".govuk-summary-card").nth(1).screenshot(path=SHOTS.format("2a-fortnightly-row"))
    page.locator(".govuk-summary-card").nth(3).screenshot(path=SHOTS.format("2b-closure-row"))
    page.locator("#closures-0-to_year").press("Enter")  # Enter saves: it never presses a "Remove" button
    assert "sent to the directory team" in page.inner_text(".govuk-notification-banner")
    context.close()

    context = chromium.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, manager)
    page.goto(live_server + "/manage/changes")
    page.get_by_role("link", name="Memory café").click()
    diff = page.inner_text("table.hg-diff")
    assert "First Tuesday of the month" in diff and "Every other Wednesday" in diff
    assert "Term time only" in diff and "Not running" in diff
    page.screenshot(path=SHOTS.format("3-review"), full_page=True)
    page.get_by_role("button", name="Approve and publish").click()
    assert "is live and searchable" in page.inner_text(".govuk-notification-banner")
    context.close()

    context = chromium.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server}/services/{service.slug}")
    when = page.inner_text("main")
    assert "First Tuesday of the month" in when and "Every other Wednesday" in when
    assert "Every Friday" in when and "Term time only" in when and "Not running" in when
    fits(page)
    assert_no_serious_axe_violations(page)
    page.locator("h2", has_text="When").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("4-public"), full_page=True)
    page.locator(".hg-table-wrap").first.screenshot(path=SHOTS.format("4a-public-when"))

    page.goto(f"{live_server}/whats-on/")
    fits(page)
    agenda = page.inner_text("main")
    first_wednesday = wednesday if wednesday >= today else wednesday + timedelta(days=7)
    assert agenda.count("Memory café") >= 1 and "Every other Wednesday" in agenda
    assert first_wednesday.strftime("%-d %B") in agenda
    page.screenshot(path=SHOTS.format("5-whats-on"), full_page=True)
    page.locator("li", has_text="Every other Wednesday").first.screenshot(path=SHOTS.format("5a-whats-on-item"))

    page.goto(f"{live_server}/services/{service.slug}?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    fits(page)
    assert page.locator("main bdi").count() >= 2  # dates and times isolated
    page.screenshot(path=SHOTS.format("6-public-ar"), full_page=True)
    page.locator(".hg-table-wrap").first.screenshot(path=SHOTS.format("6a-public-when-ar"))
    page.locator("main ul.govuk-list").filter(has=page.locator("bdi")).first.screenshot(
        path=SHOTS.format("6b-closure-ar"))
    page.goto(f"{live_server}/whats-on/?lang=ar")
    fits(page)
    page.screenshot(path=SHOTS.format("7-whats-on-ar"), full_page=True)
    context.close()
