"""In Chromium: the database refuses writes as the referral is sent; the person is told, keeps their answers,
presses Send again once there is room, and sees the confirmation; one referral is stored."""
import pytest
from sqlalchemy import func, select

from app.selfreferral.models import Referral
from tests.conftest import assert_no_serious_axe_violations
from tests.selfreferral.conftest import VALID
from tests.storage import WriteRefusal

pytestmark = pytest.mark.browser


def _next(page, url):
    page.click("main button.govuk-button[type=submit]")
    page.wait_for_url(url)


def _fill(page, base):
    """The first questions by hand, the rest as the same browser's form posts (the keyboard test covers those)."""
    page.goto(base + "/refer/")
    page.click("button.govuk-button--start")
    page.wait_for_url("**/refer/who")
    page.check("#route-0")
    _next(page, "**/refer/safety")
    page.check("#safe-0")
    _next(page, "**/refer/about")
    for step, data in VALID.items():
        if step in ("safety", "who"):
            continue
        response = page.request.post(f"{base}/refer/{step}", form=_form(data), max_redirects=0)
        assert response.status == 302, step
    page.goto(base + "/refer/check")


def _form(data):
    # One value per name: a checkbox list sends its first choice.
    return {key: value for key, value in data.items() if not isinstance(value, list)} | {
        key: value[0] for key, value in data.items() if isinstance(value, list)}


def _count(db):
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Referral))


@pytest.mark.parametrize("mode", ["readonly", "full"])
def test_sending_while_the_database_cannot_write_then_again(live_server, page, db, artifacts_dir, mode):
    _fill(page, live_server)
    assert "Amina Example" in page.inner_text("main")
    db.session.rollback()
    refusal = WriteRefusal(db.engine)
    try:
        refusal.refuse(mode)
        page.click("main button.govuk-button[type=submit]")
        page.wait_for_load_state()
        assert page.url.endswith("/refer/send")
        summary = page.locator(".govuk-error-summary")
        assert "We could not save this. Please try again." in summary.inner_text()
        assert "Amina Example" in page.inner_text("main")  # still their answers, and Send again
        assert "reference" not in page.inner_text("h1").lower()
        assert_no_serious_axe_violations(page)
        page.screenshot(path=str(artifacts_dir / f"storage-{mode}-not-saved.png"), full_page=True)
        assert _count(db) == 0

        refusal.allow()
        page.click("main button.govuk-button[type=submit]")
        page.wait_for_url("**/refer/sent")
        assert page.inner_text("h1") == "Referral sent"
    finally:
        refusal.close()
    assert _count(db) == 1
