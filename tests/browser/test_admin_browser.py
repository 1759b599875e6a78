"""An admin deactivates a provider, who can no longer sign in: the admin signs in from the sign-in page, finds the
provider, confirms; the provider, already signed in in another browser, is signed out on their next page and
cannot sign in again. In Chromium, on a desktop and at 320 px, English and Arabic."""
from pathlib import Path

import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser
SHOTS = Path("/work/snap/admin_people")


def _sign_in(page, live_server, email):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()


def _fits(page, name=None):
    """Nothing wider than the window, no serious axe finding; a screenshot when named."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px too wide at {page.viewport_size['width']} px: {page.url}"
    assert_no_serious_axe_violations(page)
    if name and SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_admin_deactivates_a_provider_who_can_no_longer_sign_in(live_server, page, chromium, build):
    org = build.organisation(name="Kentish Town Kitchen Collective")
    provider = build.user("provider", email="cook.with.a.rather.long.address@kentish-kitchen.example",
                          organisations=[org])
    build.user("admin", email="admin@test.example")

    provider_context = chromium.new_context(viewport={"width": 1024, "height": 800})
    provider_page = provider_context.new_page()
    try:
        _sign_in(provider_page, live_server, provider.email)
        provider_page.wait_for_url("**/provider/")
        assert "Kentish Town Kitchen Collective" in provider_page.inner_text("main")

        _sign_in(page, live_server, "admin@test.example")
        page.wait_for_url("**/admin/")
        assert page.get_by_role("link", name="Audit log").is_visible()
        _fits(page, "users-desktop")
        page.get_by_role("link", name=provider.email).click()
        _fits(page, "user-desktop")
        page.get_by_role("button", name="Deactivate this account").click()
        page.wait_for_url(f"**/admin/users/{provider.id}/deactivate")
        assert page.inner_text("h1") == f"Deactivate {provider.email}?"
        _fits(page, "confirm-desktop")

        page.set_viewport_size({"width": 320, "height": 640})
        _fits(page, "confirm-320")
        page.goto(page.url + "?lang=ar")
        assert page.get_attribute("html", "dir") == "rtl"
        _fits(page, "confirm-320-ar")
        page.goto(page.url.split("?")[0] + "?lang=en")
        page.set_viewport_size({"width": 1024, "height": 800})

        page.get_by_role("button", name="Yes, deactivate this account").click()
        page.wait_for_url(f"**/admin/users/{provider.id}")
        assert "Their sessions have ended" in page.inner_text(".govuk-notification-banner")
        assert "This account is deactivated" in page.inner_text("main")
        _fits(page, "deactivated-desktop")

        # The provider's next page: signed out at once.
        provider_page.reload()
        provider_page.wait_for_url("**/sign-in**")
        assert provider_page.get_by_role("button", name="Sign in").is_visible()
        assert "You have been signed out" in provider_page.inner_text(".govuk-notification-banner")
        provider_page.get_by_label("Email address").fill(provider.email)
        provider_page.get_by_label("Password", exact=True).fill("not the password")
        provider_page.get_by_role("button", name="Sign in").click()
        summary = provider_page.inner_text(".govuk-error-summary")
        assert "The email address or password is not right" in summary and "closed" not in summary
        # Only someone who knows the password learns that the account is closed, and whom to ask.
        provider_page.get_by_label("Password", exact=True).fill("correct horse battery")
        provider_page.get_by_role("button", name="Sign in").click()
        summary = provider_page.inner_text(".govuk-error-summary")
        assert "Your account has been closed" in summary and "hello@hidden-gems.example" in summary
        assert provider_page.title().startswith("Error:")
        _fits(provider_page, "provider-refused-desktop")
        provider_page.goto(live_server + "/provider/")
        provider_page.wait_for_url("**/sign-in**")  # still signed out after the refused attempt
    finally:
        provider_context.close()


def test_an_admin_sends_an_invitation_again_from_the_admin_page(live_server, page, build, frozen_clock):
    from datetime import timedelta

    from app.core import clock
    org = build.organisation(name="Camden Walkers")
    manager = build.user("manager")
    build.invitation_token(manager, [org], email="walks@camden-walkers.example")
    build.user("admin", email="admin@test.example")
    _sign_in(page, live_server, "admin@test.example")
    page.get_by_role("link", name="Invitations to providers").click()
    page.wait_for_url("**/manage/invitations")
    assert "walks@camden-walkers.example" in page.inner_text("main")
    page.get_by_role("button", name="Send again").click()  # just sent: too soon
    assert "You can send it again in 10 minutes" in page.inner_text(".govuk-error-summary")
    page.set_viewport_size({"width": 320, "height": 640})
    _fits(page, "invitations-too-soon-320")
    frozen_clock(clock.now_utc() + timedelta(minutes=11))
    page.get_by_role("button", name="Send again").click()
    assert "The link in the earlier e-mail no longer works" in page.inner_text(".govuk-notification-banner")
    page.set_viewport_size({"width": 1024, "height": 800})
    _fits(page, "invitations-sent-again-desktop")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_provider_signed_out_while_typing_gets_their_words_back_to_copy(live_server, chromium, build, db, lang):
    from app.accounts import services
    org = build.organisation(name="Kentish Town Kitchen Collective", slug="kitchen")
    provider = build.user("provider", organisations=[org])
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        _sign_in(page, live_server, provider.email)
        page.wait_for_url("**/provider/")
        page.goto(f"{live_server}/provider/organisations/kitchen/edit?lang={lang}")
        words = "Cooking together on Thursdays, 10am to 1pm, in the church hall kitchen on Leighton Road."
        page.locator("textarea").first.fill(words)
        services.set_active(provider, False)  # an admin closes the account while the page is open
        db.session.commit()
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".govuk-notification-banner").is_visible()
        assert page.locator("#what-you-typed").is_visible()
        assert words in [t.input_value() for t in page.locator("textarea[readonly]").all()]
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        _fits(page, f"signed-out-typed-{lang}-320")
    finally:
        context.close()
