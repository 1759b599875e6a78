"""Not-safe referrals in Chromium at 320 px: as the person in English and as a helper in Arabic, out of office
hours. The confirmation says when the team will next look, the duty inbox gets an e-mail, and SPA staff see the
flag when they sign in."""
import re
from datetime import UTC, date, datetime

import pytest
from babel.dates import format_date

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # the team next looks on Monday 7 December at 09:00
REFERENCE_RE = re.compile(r"HG-[A-Z0-9]{4}-[A-Z0-9]{2}")


@pytest.fixture
def narrow(chromium):
    context = chromium.new_context(viewport={"width": 320, "height": 720})
    yield context
    context.close()


WIDER = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 321)
    .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _fits(page):
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320, f"{page.url} is {wide} px wide at 320 px: {page.evaluate(WIDER)}"


def _next(page, url):
    page.click("main form button.govuk-button[type=submit]")
    page.wait_for_url(url)
    _fits(page)


def _not_safe_referral(page, base, lang, route, name, shots):
    page.goto(base + f"/refer/?lang={lang}")
    _fits(page)
    page.click("button.govuk-button--start")
    page.wait_for_url("**/refer/who")
    page.check(f"#route-{route}")
    _next(page, "**/refer/safety")
    page.check("#safe-1")  # not safe
    _next(page, "**/refer/urgent")
    assert "116 123" in page.inner_text("main")
    page.click("main a.govuk-button")
    if route:
        page.wait_for_url("**/refer/referrer")
        page.fill("#referrer_name", "Sam Worker")
        page.fill("#referrer_phone", "020 7946 0123")
        page.check("#agreement")
        _next(page, "**/refer/about")
    else:
        page.wait_for_url("**/refer/about")
    page.fill("#full_name", name)
    page.fill("#age", "34")
    _next(page, "**/refer/contact")
    page.check("#methods-0")
    page.fill("#phone", "07700 900123")
    page.check("#leave_message-1")
    _next(page, "**/refer/address")
    page.check("#no_fixed_address")
    page.check("#has_gp-1")
    _next(page, "**/refer/needs")
    _next(page, "**/refer/language")
    page.check("#interpreter-1")
    _next(page, "**/refer/equality")
    _next(page, "**/refer/consent" if route else "**/refer/wellbeing")
    if not route:
        _next(page, "**/refer/consent")
    page.check("#consent")
    _next(page, "**/refer/check")
    page.click("main form button.govuk-button[type=submit]")
    page.wait_for_url("**/refer/sent")
    _fits(page)
    assert_no_serious_axe_violations(page)
    page.screenshot(path=str(shots / f"not-safe-sent-{lang}-320.png"), full_page=True)
    return REFERENCE_RE.search(page.inner_text(".govuk-panel")).group(0)


def test_not_safe_referrals_out_of_hours(live_server, chromium, narrow, build, smtp_server, frozen_clock, app,
                                         artifacts_dir):
    frozen_clock(SATURDAY_NIGHT)
    english = narrow.new_page()
    mine = _not_safe_referral(english, live_server, "en", 0, "Person Alpha", artifacts_dir)
    said = english.inner_text("#team-hours")
    assert "You told us you are not safe right now." in said
    assert "The team will next look at referrals on Monday 7 December from 09:00." in said
    assert "today" not in said and "usually hear from us" not in english.inner_text("main")
    for number in ("999", "111", "116 123"):
        assert number in english.inner_text("#urgent-now")

    arabic_context = chromium.new_context(viewport={"width": 320, "height": 720})
    try:
        arabic = arabic_context.new_page()
        theirs = _not_safe_referral(arabic, live_server, "ar", 1, "Person Beta", artifacts_dir)
        assert arabic.get_attribute("html", "dir") == "rtl"
        said = arabic.inner_text("#team-hours")
        assert format_date(date(2026, 12, 7), "EEEE d MMMM", locale="ar") in said  # the date in Arabic
        assert "116 123" in arabic.inner_text("#urgent-now")
    finally:
        arabic_context.close()

    alerts = [m for m in smtp_server if m["To"] == app.config["SPA_DUTY_EMAIL"]]
    assert sorted(REFERENCE_RE.search(m["Subject"]).group(0) for m in alerts) == sorted([mine, theirs])
    for message in alerts:
        body = message.get_payload(decode=True).decode()
        assert "/spa/referrals/HG-" in body and "Person" not in body and "07700" not in body

    user = build.user("spa", email="duty@test.example")
    staff = narrow.new_page()
    staff.goto(live_server + "/sign-in?lang=en")
    staff.fill("#email", user.email)
    staff.fill("#password", "correct horse battery")
    staff.click("main form button[type=submit]")
    staff.wait_for_url("**/spa/")
    _fits(staff)
    flag = staff.locator("#urgent-referrals")
    assert "2 urgent referrals not yet triaged" in flag.inner_text()
    assert {mine, theirs} <= set(REFERENCE_RE.findall(flag.inner_text()))
    assert_no_serious_axe_violations(staff)
    staff.screenshot(path=str(artifacts_dir / "spa-urgent-flag-320.png"), full_page=True)
    flag.get_by_role("link", name=mine).click()
    staff.wait_for_url(f"**/spa/referrals/{mine}")
