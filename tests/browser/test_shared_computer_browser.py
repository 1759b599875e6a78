"""A shared computer in Chromium: person A fills in a few pages and leaves; A can continue when they choose to;
person B pressing Start in the same browser sees empty fields; a draft left idle past the timeout is expired."""
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def _next(page, url):
    page.click("main button.govuk-button[type=submit]")
    page.wait_for_url(url)


def _fill_first_pages(page, base, name):
    page.goto(base + "/refer/")
    page.click("button.govuk-button--start")
    page.wait_for_url("**/refer/who")
    assert not page.is_checked("#route-0")
    page.check("#route-0")
    _next(page, "**/refer/safety")
    assert not page.is_checked("#safe-0") and not page.is_checked("#safe-1")
    page.check("#safe-0")
    _next(page, "**/refer/about")
    assert page.input_value("#full_name") == ""
    page.fill("#full_name", name)
    page.fill("#age", "34")
    _next(page, "**/refer/contact")


def test_the_next_person_at_a_shared_computer_never_sees_the_last_ones_answers(live_server, page, frozen_clock):
    start = frozen_clock(datetime.now(UTC).replace(microsecond=0))
    _fill_first_pages(page, live_server, "Person Alpha")  # A: three pages, then walks away
    page.goto(live_server + "/")

    # A comes back and chooses to continue: their answers are there.
    page.goto(live_server + "/refer/")
    assert "Person Alpha" not in page.inner_text("body")
    assert_no_serious_axe_violations(page)
    page.click("#continue-draft")
    page.wait_for_url("**/refer/contact")
    assert "30 minutes without activity" in page.inner_text("main")
    page.click("a.govuk-back-link")
    page.wait_for_url("**/refer/about")
    assert page.input_value("#full_name") == "Person Alpha"
    page.goto(live_server + "/")

    # B presses Start in the same browser: every field is empty, at each page A had filled in.
    _fill_first_pages(page, live_server, "Person Beta")
    page.goto(live_server + "/refer/about")
    assert page.input_value("#full_name") == "Person Beta"
    page.goto(live_server + "/refer/")
    page.click("#continue-draft")  # continuing now resumes B's draft: A's is gone
    page.wait_for_url("**/refer/contact")
    assert "Person Alpha" not in page.content()

    # B leaves it idle past the timeout: the expired page, and nothing of theirs.
    frozen_clock(start + timedelta(minutes=31))
    page.goto(live_server + "/refer/about")
    assert "Your answers have expired" in page.inner_text("h1")
    assert "Person Beta" not in page.content()
    assert_no_serious_axe_violations(page)
    page.goto(live_server + "/refer/")
    assert page.locator("#continue-draft").count() == 0


def test_a_question_page_warns_shortly_before_the_answers_are_deleted(live_server, page):
    page.clock.install()
    page.goto(live_server + "/refer/")
    page.click("button.govuk-button--start")
    page.wait_for_url("**/refer/who")
    warning = page.locator("#draft-timeout-warning")
    assert "30 minutes without activity" in page.inner_text("#draft-timeout")
    assert not warning.is_visible()
    page.clock.fast_forward("27:50")  # the warning comes 2 minutes before the 30
    assert not warning.is_visible()
    page.clock.fast_forward(20_000)
    assert warning.is_visible() and "deleted soon" in warning.inner_text()
    assert_no_serious_axe_violations(page)
