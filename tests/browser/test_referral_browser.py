"""The self-referral journey with the keyboard only, then SPA staff triage and close it, all in Chromium."""
import re
import time

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def tick(page, selector):
    tab_to(page, selector)
    page.keyboard.press("Space")


def choose(page, name, index):
    """Radios: Tab enters the group, arrow keys move through it and select."""
    tab_to(page, f"input[type=radio][name={name}]")
    if index == 0:
        page.keyboard.press("Space")
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert page.is_checked(f"#{name}-{index}")


def submit(page):
    tab_to(page, "button.govuk-button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_self_referral_with_the_keyboard_only(live_server, page, build, artifacts_dir):
    build.service(name="Brookfield befriending", categories=("talk-befriending",))
    started = time.perf_counter()
    pages = []

    def arrived():
        pages.append(page.url)
        assert_no_serious_axe_violations(page)
        assert "116 123" in page.inner_text("body")

    page.goto(live_server + "/refer/")
    arrived()
    tab_to(page, "button.govuk-button--start")
    page.keyboard.press("Enter")
    page.wait_for_url("**/refer/who")
    arrived()
    choose(page, "route", 0)
    submit(page)
    page.wait_for_url("**/refer/safety")
    arrived()
    submit(page)  # nothing chosen: the error summary takes focus and links to the question
    assert "Select yes if you are safe right now" in page.inner_text(".govuk-error-summary")
    arrived()
    choose(page, "safe", 0)
    submit(page)
    page.wait_for_url("**/refer/about")
    arrived()
    type_into(page, "#full_name", "Keyboard Person")
    type_into(page, "#age", "34")
    submit(page)
    page.wait_for_url("**/refer/contact")
    arrived()
    tick(page, "#methods-0")
    type_into(page, "#phone", "07700 900123")
    choose(page, "leave_message", 1)
    submit(page)
    page.wait_for_url("**/refer/address")
    arrived()
    tick(page, "#no_fixed_address")
    choose(page, "has_gp", 1)
    submit(page)
    page.wait_for_url("**/refer/needs")
    arrived()
    tick(page, "#needs-0")
    type_into(page, "#own_words", "I would like someone to talk to.")
    submit(page)
    page.wait_for_url("**/refer/language")
    arrived()
    choose(page, "interpreter", 1)
    submit(page)
    page.wait_for_url("**/refer/equality")
    arrived()
    submit(page)
    page.wait_for_url("**/refer/wellbeing")
    arrived()
    submit(page)
    page.wait_for_url("**/refer/consent")
    arrived()
    tick(page, "#consent")
    submit(page)
    page.wait_for_url("**/refer/check")
    arrived()
    assert "Keyboard Person" in page.inner_text("main")
    submit(page)
    page.wait_for_url("**/refer/sent")
    arrived()
    reference = re.search(r"HG-[A-Z0-9]{4}-[A-Z0-9]{2}", page.inner_text(".govuk-panel")).group(0)
    assert "Brookfield befriending" in page.inner_text("main")
    page.screenshot(path=str(artifacts_dir / "referral-sent.png"), full_page=True)
    elapsed = time.perf_counter() - started
    distinct = len(dict.fromkeys(re.sub(r"\?.*", "", u) for u in pages))
    (artifacts_dir / "referral-journey.txt").write_text(
        f"pages in the journey: {distinct}\nbrowser time: {elapsed:.1f} s\nreference: {reference}\n")


def test_spa_staff_triage_and_close_a_referral(live_server, page, build, client, refer, journey_token, frozen_clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo
    frozen_clock(datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo("Europe/London")))  # inside their contact window
    refer()
    client.post("/refer/send", data={"journey": journey_token()})
    user = build.user("spa", email="staff@test.example")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/spa/")
    assert_no_serious_axe_violations(page)
    page.locator("table.hg-inbox a").first.click()
    page.wait_for_url("**/spa/referrals/**")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Amber").check()
    page.get_by_label("Reason").fill("Low mood and money worries")
    page.get_by_role("button", name="Save triage").click()
    assert "Triage saved." in page.inner_text(".govuk-notification-banner")
    page.locator("#method").select_option("phone")
    page.get_by_label("What happened").select_option("reached")
    page.get_by_role("button", name="Record attempt").click()
    assert "Contact attempt recorded." in page.inner_text(".govuk-notification-banner")
    page.get_by_label("Supported").check()
    page.get_by_role("button", name="Close the referral").click()
    assert "Referral closed." in page.inner_text(".govuk-notification-banner")
    assert "Closed: Supported" in page.inner_text("main")


def test_spa_staff_give_and_remove_partner_access(live_server, page, build):
    organisation = build.organisation(name="Fairfield Befrienders")
    partner = build.user("partner", email="reader@fairfield.example")
    user = build.user("spa", email="duty@test.example")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/spa/")
    page.get_by_role("link", name="Partner access to referrals").click()
    page.wait_for_url("**/spa/partners")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Give access").click()
    assert "Choose the partner staff member" in page.inner_text(".govuk-error-summary")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Partner staff member").select_option(str(partner.id))
    page.get_by_label("Organisation whose shared referrals").select_option(str(organisation.id))
    page.get_by_role("button", name="Give access").click()
    assert "Partner access given for Fairfield Befrienders." in page.inner_text(".govuk-notification-banner")
    assert "reader@fairfield.example" in page.inner_text("table")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Remove reader@fairfield.example, Fairfield Befrienders").click()
    assert "Partner access removed for Fairfield Befrienders." in page.inner_text(".govuk-notification-banner")
    assert "No one has partner access yet." in page.inner_text("table")
