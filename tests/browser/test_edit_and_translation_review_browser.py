"""A provider sends a change and an Arabic translation; a manager rewords the description before approving it and
approves the translation; the public page shows the manager's words and, in Arabic, the translation, right to
left and within a 320 px phone."""
import pytest

from tests.browser.test_moderation_browser import PASSWORD, fits
from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

PROPOSED = "Knitting and crochet on Tuesdays, all welcom. Bring wool if you have some, we lend needles."
EDITED = "Knitting and crochet on Tuesdays, all welcome. Bring wool if you have some; we lend needles."
ARABIC_NAME = "الحياكة والدردشة"
ARABIC_DESCRIPTION = "حياكة وكروشيه أيام الثلاثاء، الجميع مرحب بهم. نعير الإبر."


def sign_in(chromium, live_server, user, width=1024):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def shot(page, name):
    page.screenshot(path=f"/tmp/modedit-{name}.png", full_page=True)


def test_manager_edits_before_approving_and_approves_an_arabic_translation(live_server, chromium, build, db):
    from app.directory.models import Revision, Service
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Knit and natter", description="Knitting on Tuesdays.")
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")

    # The provider rewrites the description and translates the listing into Arabic: both wait for a check.
    context, page = sign_in(chromium, live_server, provider)
    page.wait_for_url("**/provider/")
    page.goto(live_server + f"/provider/services/{service.slug}/edit/basics")
    page.get_by_label("Describe it in plain words").fill(PROPOSED)
    page.get_by_role("button", name="Save").click()
    assert "sent to the directory team" in page.inner_text(".govuk-notification-banner")
    page.goto(live_server + f"/provider/services/{service.slug}/translations/ar")
    assert "checks your translation before people see it" in page.inner_text("main")
    page.locator("#name").fill(ARABIC_NAME)
    page.locator("#description").fill(ARABIC_DESCRIPTION)
    page.get_by_role("button", name="Send for checking").click()
    assert "sent to the directory team to check" in page.inner_text(".govuk-notification-banner")
    assert "Waiting for the directory team" in page.inner_text("main")
    shot(page, "provider-translations")
    context.close()

    # The manager rewords the description before approving it.
    context, page = sign_in(chromium, live_server, manager)
    page.wait_for_url("**/manage/")
    page.goto(live_server + "/manage/changes")
    assert "Translation into Arabic" in page.inner_text("main")
    shot(page, "queue")
    page.get_by_role("link", name="Knit and natter").first.click()
    shot(page, "change-desktop")
    page.get_by_role("link", name="Edit before approving").click()
    assert page.get_by_label("Description").input_value() == PROPOSED
    page.get_by_label("Description").fill("x" * 5001)
    page.get_by_role("button", name="Approve with my edits").click()
    assert page.title().startswith("Error:")
    assert "5,000 characters or fewer" in page.inner_text(".govuk-error-summary")
    assert page.get_by_label("Description").input_value() == "x" * 5001  # what was typed is kept
    shot(page, "edit-error-desktop")
    page.get_by_label("Description").fill(EDITED)
    assert_no_serious_axe_violations(page)
    shot(page, "edit-desktop")
    page.get_by_role("button", name="Approve with my edits").click()
    assert "Approved with your changes" in page.inner_text(".govuk-notification-banner")

    # ...and approves the translation, seen beside the English.
    page.get_by_role("link", name="Knit and natter").click()
    assert page.locator(".hg-translation-proposed[dir=rtl]").first.inner_text() == ARABIC_NAME
    assert_no_serious_axe_violations(page)
    shot(page, "translation-review-desktop")
    page.get_by_role("button", name="Approve and publish").click()
    assert "now see this translation" in page.inner_text(".govuk-notification-banner")
    page.goto(live_server + f"/manage/services/{service.slug}/history")
    assert "Approved with changes by manager@test.example" in page.inner_text("main")
    shot(page, "history")
    context.close()

    db.session.expire_all()
    assert db.session.get(Service, service.id).description == EDITED
    revision = db.session.query(Revision).filter(Revision.edits_json.isnot(None)).one()
    assert revision.snapshot["description"] == PROPOSED

    # The public reads the manager's words, and in Arabic the translation, right to left, on a phone.
    context = chromium.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(live_server + f"/services/{service.slug}")
    assert EDITED in page.inner_text("main") and PROPOSED not in page.inner_text("main")
    page.goto(live_server + f"/services/{service.slug}?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    main = page.inner_text("main")
    assert ARABIC_NAME in main and ARABIC_DESCRIPTION in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    shot(page, "public-ar-320")
    page.screenshot(path="/tmp/modedit-public-ar-320-top.png")  # the first screen, readable at full size
    context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_edit_and_translation_pages_fit_a_phone(live_server, chromium, build, db, language):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Knit and natter", description="Knitting on Tuesdays.")
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")
    change = build.pending_change(service, provider, description=PROPOSED, contact_role="Volunteer lead")
    translation = build.pending_translation(service, provider, name=ARABIC_NAME, description=ARABIC_DESCRIPTION)
    context, page = sign_in(chromium, live_server, manager, width=320)
    page.goto(live_server + f"/manage/changes/{change.id}/edit?lang={language}")
    page.locator("#description").fill("")
    page.locator("form#edit-form button").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert fits(page), "the edit page is wider than a 320 px phone"
    assert_no_serious_axe_violations(page)
    shot(page, f"edit-320-{language}")
    page.goto(live_server + f"/manage/translations/{translation.id}?lang={language}")
    assert fits(page), "the translation review page is wider than a 320 px phone"
    assert_no_serious_axe_violations(page)
    shot(page, f"translation-review-320-{language}")
    page.locator("#reason").fill("Please add how to get in.")
    page.locator("form[action$='/reject'] button").click()
    context.close()

    # The provider finds the reason and their own words kept, on a phone.
    context, page = sign_in(chromium, live_server, provider, width=320)
    page.goto(live_server + f"/provider/?lang={language}")
    assert "Please add how to get in." in page.inner_text("main")
    page.locator(f"a[href='/provider/services/{service.slug}/translations/ar']").first.click()
    assert page.locator("#description").input_value() == ARABIC_DESCRIPTION
    assert page.locator("#description").get_attribute("dir") == "rtl"
    assert "Please add how to get in." in page.inner_text(".govuk-notification-banner")
    assert fits(page), "the kept translation is wider than a 320 px phone"
    assert_no_serious_axe_violations(page)
    shot(page, f"kept-translation-320-{language}")
    context.close()
