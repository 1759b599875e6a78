"""An admin filters the audit log in the browser: the form, its errors and the table pass axe."""
import pytest

from tests.conftest import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def test_admin_filters_the_audit_log(live_server, page, build):
    admin = build.user("admin", email="admin@test.example")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(admin.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/admin/audit")
    assert "Signed in" in page.inner_text("table")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Action").select_option("sign_in")
    page.get_by_label("From").fill("2025-03-02")
    page.get_by_label("To").fill("2025-03-01")
    page.get_by_role("button", name="Filter").click()
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    assert_no_serious_axe_violations(page)
