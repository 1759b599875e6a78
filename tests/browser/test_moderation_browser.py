"""A provider edits, a manager sees a conflict and resolves it, sends a change back, and the provider edits
the kept draft: nobody's work is lost."""
import pytest
from sqlalchemy import select

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def sign_in(chromium, live_server, user, width=1024):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, artifacts_dir, name):
    page.screenshot(path=str(artifacts_dir / f"moderation-{name}.png"), full_page=True)


def test_conflict_resolved_change_sent_back_and_the_kept_draft_edited(live_server, chromium, build, db,
                                                                      artifacts_dir):
    from app.directory.models import Revision, Service
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Knit and natter", description="Knitting on Tuesdays.")
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")

    # The provider rewrites the description; it waits for a check.
    context, page = sign_in(chromium, live_server, provider)
    page.wait_for_url("**/provider/")
    page.get_by_role("link", name="Update the details").click()
    page.get_by_role("link", name="Change Description").click()
    page.get_by_label("Describe it in plain words").fill("Knitting and crochet on Tuesdays, all welcome.")
    page.get_by_role("button", name="Save").click()
    assert "sent to the directory team" in page.inner_text(".govuk-notification-banner")
    context.close()

    # A manager edits the description directly: it is live, and the provider's change still waits.
    context, page = sign_in(chromium, live_server, manager)
    page.wait_for_url("**/manage/")
    page.goto(live_server + f"/provider/services/{service.slug}/edit")
    assert "A change from the provider is waiting" in page.inner_text("main")
    page.get_by_role("link", name="Change Description").click()
    assert page.get_by_label("Describe it in plain words").input_value() == "Knitting on Tuesdays."  # what is published
    page.get_by_label("Describe it in plain words").fill("Knitting on Tuesdays, 10 till 12.")
    page.get_by_role("button", name="Save").click()
    assert "The change is live" in page.inner_text(".govuk-notification-banner")

    # The manager opens the provider's change: a conflict, field by field.
    page.goto(live_server + "/manage/")
    page.get_by_role("link", name="changes to check").click()
    page.get_by_role("link", name="Knit and natter").click()
    conflict = page.locator("fieldset").inner_text()
    for text in ("Knitting on Tuesdays.", "Knitting on Tuesdays, 10 till 12.",
                 "Knitting and crochet on Tuesdays, all welcome."):
        assert text in conflict
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Approve and publish").click()
    assert page.title().startswith("Error:")
    page.get_by_role("link", name="Choose which value to keep for Description").click()
    assert page.evaluate("document.activeElement.id") == "choice-description"
    assert_no_serious_axe_violations(page)
    shot(page, artifacts_dir, "conflict-desktop")
    page.get_by_label("Use the proposed value").check()
    page.get_by_role("button", name="Approve and publish").click()
    assert "is live and searchable" in page.inner_text(".govuk-notification-banner")
    context.close()
    db.session.expire_all()
    assert db.session.get(Service, service.id).description == "Knitting and crochet on Tuesdays, all welcome."

    # The provider changes the named contact; the manager sends it back with a reason.
    context, page = sign_in(chromium, live_server, provider)
    page.goto(live_server + f"/provider/services/{service.slug}/edit/contact")
    page.get_by_label("Their role (optional)").fill("Volunteer lead")
    page.get_by_role("button", name="Save").click()
    context.close()
    context, page = sign_in(chromium, live_server, manager)
    page.goto(live_server + "/manage/changes")
    page.get_by_role("link", name="Knit and natter").click()
    page.get_by_label("Reason for sending it back").fill("Please give the lead's first name too.")
    page.get_by_role("button", name="Send back").click()
    assert "Sent back to the provider" in page.inner_text(".govuk-notification-banner")
    context.close()

    # The provider sees the reason on the dashboard and edits the kept draft, not the published listing.
    context, page = sign_in(chromium, live_server, provider)
    page.wait_for_url("**/provider/")
    assert "Please give the lead's first name too." in page.inner_text("main")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Open your kept change").click()
    assert "Please give the lead's first name too." in page.inner_text("#sent-back")
    page.get_by_role("link", name="Change Named contact").click()
    assert page.get_by_label("Their role (optional)").input_value() == "Volunteer lead"
    assert_no_serious_axe_violations(page)
    shot(page, artifacts_dir, "kept-draft-desktop")
    page.get_by_label("Their role (optional)").fill("Volunteer lead (Sam)")
    page.get_by_role("button", name="Save").click()
    assert "sent to the directory team" in page.inner_text(".govuk-notification-banner")
    context.close()
    db.session.expire_all()
    waiting = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    assert waiting.snapshot["contact_role"] == "Volunteer lead (Sam)"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_conflict_page_and_the_kept_draft_fit_a_phone(live_server, chromium, build, db, artifacts_dir,
                                                         language):
    from app.directory import moderation
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Knit and natter", description="Knitting on Tuesdays.")
    provider = build.user("provider", email="provider@test.example", organisations=[org])
    manager = build.user("manager", email="manager@test.example")
    change = build.pending_change(service, provider, description="Knitting and crochet, all welcome, every week.")
    moderation.apply_directly("service", service, {"description": "Knitting on Tuesdays, 10 till 12."}, manager)
    db.session.commit()

    context, page = sign_in(chromium, live_server, manager, width=320)
    page.goto(live_server + f"/manage/changes/{change.id}?lang={language}")
    page.locator("form[action$='/approve'] button").click()
    assert page.locator(".govuk-error-summary").count() == 1
    assert fits(page), "the conflict page is wider than a 320 px phone"
    assert_no_serious_axe_violations(page)
    shot(page, artifacts_dir, f"conflict-320-{language}")
    page.locator("form[action$='/reject'] textarea").fill("Please say which week.")
    page.locator("form[action$='/reject'] button").click()
    context.close()

    context, page = sign_in(chromium, live_server, provider, width=320)
    page.goto(live_server + f"/provider/services/{service.slug}/edit/basics?lang={language}")
    assert "Please say which week." in page.inner_text("#sent-back")
    assert page.locator("#description").input_value() == "Knitting and crochet, all welcome, every week."
    assert fits(page), "the kept draft is wider than a 320 px phone"
    shot(page, artifacts_dir, f"kept-draft-320-{language}")
    context.close()


def test_history_shows_each_version_and_restore_previews_it(live_server, chromium, build, db, artifacts_dir):
    from app.directory import moderation
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Knit and natter", description="Knitting on Tuesdays.")
    manager = build.user("manager", email="manager@test.example")
    moderation.apply_directly("service", service, {"description": "Knitting on Tuesdays, 10 till 12."}, manager)
    moderation.apply_directly("service", service, {"contact_role": "Volunteer lead"}, manager)
    db.session.commit()

    context, page = sign_in(chromium, live_server, manager)
    page.wait_for_url("**/manage/")
    page.goto(live_server + f"/provider/services/{service.slug}/edit")
    page.get_by_role("link", name="Revision history").click()
    headings = page.locator(".hg-listing-row h3").all_inner_texts()
    assert [h.split(" – ")[0] for h in headings] == [
        "Version 3: Edited by a manager", "Version 2: Edited by a manager", "Version 1: First published version"]
    assert_no_serious_axe_violations(page)
    shot(page, artifacts_dir, "history-desktop")
    page.get_by_role("link", name="Restore this version (Version 1)").click()
    preview = page.locator("table").inner_text()
    assert "Knitting on Tuesdays, 10 till 12." in preview and "Volunteer lead" in preview
    assert "changed by later versions" in page.inner_text(".govuk-warning-text")
    assert_no_serious_axe_violations(page)
    shot(page, artifacts_dir, "restore-desktop")
    page.get_by_role("button", name="Restore this version").click()
    assert "Restored the version from" in page.inner_text(".govuk-notification-banner")
    assert page.locator(".hg-listing-row h3").first.inner_text().startswith("Version 4: Restored")
    context.close()
