"""SPA staff find a referral, triage it, contact it within the person's window, share it; the partner sees only the
minimum and reports back; SPA staff see the answer. In Chromium, at 375 px and on a desktop, English and Arabic."""
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.selfreferral import partners
from tests.builders import REFERRAL_ANSWERS
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")
TUESDAY_MORNING = datetime(2026, 12, 1, 10, 30, tzinfo=LONDON)  # inside their window
WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 30, tzinfo=LONDON)  # they said Tuesdays and Thursdays
SHOTS = Path("/work/snap/spa")


def _sign_in(page, live_server, user):
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _fits(page, name=None):
    """Nothing wider than the window, no serious axe finding; a screenshot when named."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                         && !e.closest('.hg-table-wrap'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        raise AssertionError(f"{overflow} px too wide at {page.viewport_size['width']} px: {page.url}: {wide}")
    assert_no_serious_axe_violations(page)
    if name and SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        width, height = page.viewport_size["width"], page.evaluate("document.documentElement.scrollHeight")
        for n, top in enumerate(range(0, min(height, 4800), 1200)):  # pieces small enough to look at
            page.screenshot(path=str(SHOTS / f"{name}-part{n + 1}.png"), full_page=True,
                            clip={"x": 0, "y": top, "width": width, "height": min(1200, height - top)})


def test_spa_staff_and_a_partner_work_one_referral(live_server, page, build, client, refer, journey_token,
                                                   frozen_clock, db):
    frozen_clock(TUESDAY_MORNING)
    refer()  # Amina Example: phone or e-mail, Tuesday or Thursday mornings, 10:00 to 17:30; equality answers
    client.post("/refer/send", data={"journey": journey_token()})
    build.referral(answers={**REFERRAL_ANSWERS, "full_name": "Bo Other", "preferred_name": ""})  # left out
    spa_user = build.user("spa", email="duty@test.example")
    organisation = build.organisation(name="Fairfield Befrienders")
    build.organisation(name="Aardvark Advice")  # first alphabetically: it must not be preselected
    partner = build.user("partner", email="reader@fairfield.example")
    partners.grant(partner, organisation, spa_user)
    db.session.commit()

    _sign_in(page, live_server, spa_user)
    page.wait_for_url("**/spa/")
    page.get_by_label("Search by reference, name, phone or postcode").fill("amina")
    page.get_by_role("button", name="Search", exact=True).click()
    rows = page.locator("table.hg-inbox tbody tr")
    assert rows.count() == 1 and "Amina Example" in rows.inner_text()
    _fits(page, "inbox-desktop")
    rows.locator("a").click()
    page.wait_for_url("**/spa/referrals/**")
    wishes = page.inner_text("dl[aria-labelledby=wishes-title]")
    assert "Tuesday, Thursday" in wishes and "Do not call before 10:00." in wishes
    _fits(page)

    page.get_by_label("Amber").check()
    page.get_by_label("Reason", exact=True).fill("Low mood and money worries")
    page.get_by_role("button", name="Save triage").click()
    assert "Triage saved." in page.inner_text(".govuk-notification-banner")

    page.locator("#method").select_option("phone")
    page.locator("#result").select_option("reached")
    page.get_by_role("button", name="Record attempt").click()
    assert "Contact attempt recorded." in page.inner_text(".govuk-notification-banner")

    frozen_clock(WEDNESDAY_MORNING)
    page.locator("#method").select_option("phone")
    page.locator("#result").select_option("no_answer")
    page.locator("#note").fill("Second try")
    page.get_by_role("button", name="Record attempt").click()
    summary = page.inner_text(".govuk-error-summary")
    assert "it is Wednesday now" in summary
    assert page.locator("#note").input_value() == "Second try"
    assert page.get_by_label("I know, log it anyway").is_visible()
    page.locator("#contact-title").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "record-warning-desktop.png")) if SHOTS.exists() else None
    _fits(page)
    frozen_clock(TUESDAY_MORNING)

    page.get_by_role("button", name="Share", exact=True).click()
    assert "Choose the partner organisation" in page.inner_text(".govuk-error-summary")
    page.locator("#organisation").select_option(label="Fairfield Befrienders")
    page.get_by_label("Why you are sharing it").fill("Weekly befriending calls")
    page.get_by_role("button", name="Share", exact=True).click()
    assert "Shared with Fairfield Befrienders." in page.inner_text(".govuk-notification-banner")
    _sign_out(page)

    _sign_in(page, live_server, partner)
    page.wait_for_url("**/spa/shared")
    page.locator("main a.hg-number").first.click()
    page.wait_for_url("**/spa/referrals/**")
    text = page.inner_text("main")
    assert "Amina Example" in text and "Weekly befriending calls" in text and "Tuesday, Thursday" in text
    for hidden in ("Bangladeshi", "Muslim", "Female", "SWEMWBS", "Low mood and money worries", "12 Oak Road"):
        assert hidden not in text, hidden
    _fits(page)
    page.get_by_label("Accepted").check()
    page.get_by_label("Note (optional)").fill("First call on Friday")
    page.get_by_role("button", name="Send").click()
    assert "The single point of access can now see what happened." in page.inner_text(".govuk-notification-banner")
    _sign_out(page)

    _sign_in(page, live_server, spa_user)
    page.wait_for_url("**/spa/")
    assert "Fairfield Befrienders: Accepted" in page.inner_text("table.hg-inbox")
    page.goto(live_server + "/spa/?q=amina")
    page.locator("table.hg-inbox a").first.click()
    page.wait_for_url("**/spa/referrals/**")
    record = page.inner_text("main dl")
    assert "Accepted" in record and "First call on Friday" in record
    _fits(page, "record-desktop")

    # Narrow screens, in English and in Arabic: nothing wider than the phone.
    record_url = page.url
    for lang in ("en", "ar"):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(f"{live_server}/spa/?lang={lang}")
        _fits(page, f"inbox-375-{lang}")
        page.goto(record_url)
        _fits(page, f"record-375-{lang}")
        page.goto(f"{live_server}/spa/reports/")
        _fits(page, f"reports-375-{lang}")
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(f"{live_server}/spa/")
        _fits(page, f"inbox-320-{lang}")
    page.goto(f"{live_server}/spa/?lang=en")
