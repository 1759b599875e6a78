"""Save and come back later in Chromium: someone starts at the home page, answers two pages and part of a third,
saves, and gets the link by e-mail; another browser opens the link, continues with everything as typed, and
sends the referral. The first browser has nothing of it; the link does not work twice. In English on a desktop,
and in Arabic (right to left) on a 320 px phone."""
import re

import pytest
from sqlalchemy import func, select

from app.selfreferral.models import Referral
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
LINK = re.compile(r"http://localhost(/refer/resume/\S+)")
NAME = "Person Saved"


def _continue(page, url):
    page.click("main button.govuk-button[type=submit]")  # the first: Continue
    page.wait_for_url(url)


def _looked_at(page, shots, name, phone):
    page.wait_for_load_state()
    assert_no_serious_axe_violations(page)
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.screenshot(path=str(shots / f"save-later-{name}.png"), full_page=True)


@pytest.mark.parametrize(("lang", "width"), [("en", 1024), ("ar", 320)])
def test_save_come_back_on_another_device_and_send(live_server, chromium, smtp_server, db, artifacts_dir, lang,
                                                  width):
    phone, size = width == 320, f"{lang}-{width}"
    viewport = {"width": width, "height": 700}
    first = chromium.new_context(viewport=viewport)
    page = first.new_page()
    page.goto(live_server + f"/?lang={lang}")
    page.click("a.hg-header__link--refer")
    page.wait_for_url("**/refer/")
    page.click("button.govuk-button--start")
    page.wait_for_url("**/refer/who")
    page.check("#route-0")
    _continue(page, "**/refer/safety")
    page.check("#safe-0")
    _continue(page, "**/refer/about")
    page.fill("#full_name", NAME)
    page.fill("#age", "41")
    _continue(page, "**/refer/contact")
    # Part of the contact page, with a phone number that would not be accepted yet.
    page.check("#methods-0")
    page.check("#methods-2")
    page.fill("#phone", "0770 09")
    page.fill("#email", "saved.person@example.org")
    _looked_at(page, artifacts_dir, f"contact-{size}", phone)
    page.click("#save-later")
    page.wait_for_url("**/refer/save")
    assert page.input_value("#email") == "saved.person@example.org"  # from the contact page
    page.fill("#email", "saved.person@example")
    page.click("main form button[type=submit]")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#email") == "saved.person@example"  # kept as typed
    _looked_at(page, artifacts_dir, f"save-error-{size}", phone)
    page.fill("#email", "saved.person@example.org")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/refer/saved")
    assert "saved.person@example.org" in page.inner_text("main")
    _looked_at(page, artifacts_dir, f"saved-{size}", phone)

    # The e-mail: one, in the language of the pages, with the link.
    [message] = smtp_server
    assert message["To"] == "saved.person@example.org" and message["Content-Language"] == lang
    body = message.get_payload(decode=True).decode()
    link = live_server + LINK.search(body).group(1).rstrip("\u2069")

    # The first browser has nothing of it now.
    page.goto(live_server + "/refer/")
    assert page.locator("#continue-draft").count() == 0
    page.goto(live_server + "/refer/about")
    page.wait_for_url("**/refer/")
    assert NAME not in page.content()

    # Another device opens the link: a button, then everything as it was typed.
    second = chromium.new_context(viewport=viewport)
    other = second.new_page()
    other.goto(link)
    assert other.get_attribute("html", "lang").startswith(lang)
    _looked_at(other, artifacts_dir, f"resume-{size}", phone)
    other.click("#continue-saved")
    other.wait_for_url("**/refer/contact")
    assert other.input_value("#phone") == "0770 09"
    assert other.input_value("#email") == "saved.person@example.org"
    assert other.is_checked("#methods-0") and other.is_checked("#methods-2")
    _looked_at(other, artifacts_dir, f"resumed-contact-{size}", phone)
    other.click("a.govuk-back-link")
    other.wait_for_url("**/refer/about")
    assert other.input_value("#full_name") == NAME
    _continue(other, "**/refer/contact")
    other.fill("#phone", "07700 900456")
    other.check("#leave_message-1")
    _continue(other, "**/refer/address")
    other.check("#no_fixed_address")
    other.check("#has_gp-1")
    for following in ("needs", "language"):
        _continue(other, f"**/refer/{following}")
    other.check("#interpreter-1")
    for following in ("equality", "wellbeing", "consent"):
        _continue(other, f"**/refer/{following}")
    other.check("#consent")
    _continue(other, "**/refer/check")
    assert NAME in other.inner_text("main") and "07700 900456" in other.inner_text("main")
    _continue(other, "**/refer/sent")
    assert other.locator(".govuk-panel__body strong").inner_text().startswith("HG-")
    db.session.expire_all()
    assert db.session.execute(select(func.count()).select_from(Referral)).scalar_one() == 1

    # The link again, in a third browser: it has been used.
    third = chromium.new_context(viewport=viewport)
    again = third.new_page()
    response = again.goto(link)
    assert response.status == 410 and again.locator("#link-used").count() == 1
    assert again.locator("main a.govuk-button[href='/refer/']").count() == 1
    assert NAME not in again.content()
    _looked_at(again, artifacts_dir, f"link-used-{size}", phone)

    # And the first browser still has nothing.
    page.goto(live_server + "/refer/")
    assert page.locator("#continue-draft").count() == 0 and NAME not in page.content()
    for context in (first, second, third):
        context.close()
