"""WCAG 1.4.10: every page of the referral journey fits a 320 px phone in every starter language."""
from urllib.parse import urlencode

import pytest

from tests.selfreferral.conftest import VALID

pytestmark = pytest.mark.browser
LANGUAGES = ("en", "ar", "bn", "so", "es", "pt", "pl")
SHOTS = {"ar", "so"}  # kept as artefacts to look at: one right-to-left, one with long words
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Long words, an e-mail address and a phone number that must wrap or stay whole without widening the page.
LONG = {"about": {"full_name": "Wolfeschlegelsteinhausenbergerdorff Hubert-Blaine", "pronouns": "they/them"},
        "contact": {"email": "a.very.long.address.for.testing.wrapping@subdomain.example-borough.org.uk"}}


def _overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_journey_page_fits_320_px(live_server, chromium, build, artifacts_dir, lang):
    build.service(name="Brookfield befriending", categories=("talk-befriending",))
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    wide = []

    def check(name):
        page.wait_for_load_state()
        assert page.get_attribute("html", "lang").startswith(lang), name
        if (over := _overflow(page)) > 0:
            wide.append((name, over))
        if lang in SHOTS and name in ("start", "contact", "needs", "check", "sent", "urgent"):
            page.screenshot(path=str(artifacts_dir / f"journey-{name}-{lang}-320.png"), full_page=True)
            if name == "check":  # the answers with the long e-mail address, at the size a person sees them
                page.locator("dl.govuk-summary-list").filter(has_text="@").screenshot(
                    path=str(artifacts_dir / f"journey-check-contact-{lang}-320.png"))

    try:
        page.goto(live_server + f"/refer/?lang={lang}")
        check("start")
        page.locator("button.govuk-button--start").click()
        for step, data in VALID.items():
            page.wait_for_url(f"**/refer/{step}")
            check(step)
            if step == "safety":  # the urgent page, as someone not safe would see it, before going on
                page.goto(live_server + "/refer/urgent")
                check("urgent")
            response = page.request.post(live_server + f"/refer/{step}", max_redirects=0, headers=FORM,
                                         data=urlencode({**data, **LONG.get(step, {})}, doseq=True))
            assert response.status == 302, (step, response.text()[:500])
            page.goto(response.headers["location"] if response.headers["location"].startswith("http")
                      else live_server + response.headers["location"])
        page.wait_for_url("**/refer/check")
        check("check")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/refer/sent")
        assert page.locator(".govuk-panel__body strong").inner_text().startswith("HG-")
        check("sent")
    finally:
        context.close()
    assert wide == [], f"pages wider than 320 px in {lang}: {wide}"
