"""A full or read-only database while a referral is sent: a 503 that says so, nothing stored, the answers kept,
and Send works once there is room again, storing exactly one referral."""
import pytest
from sqlalchemy import func, select

from app.selfreferral.models import Referral, ReferralDraft
from tests.storage import WriteRefusal

NOT_SAVED = "We could not save this. Please try again."


@pytest.fixture
def refusal(db):
    refusal = WriteRefusal(db.engine)
    yield refusal
    db.session.rollback()
    refusal.close()


def _referrals(db):
    db.session.rollback()  # a fresh look, and no connection held across a change of refusal
    return db.session.scalar(select(func.count()).select_from(Referral))


@pytest.mark.parametrize("mode", ["full", "readonly"])
def test_send_on_a_full_disk_keeps_the_answers_and_works_once_there_is_room(client, db, refer, journey_token,
                                                                            refusal, html_page, mode):
    refer()
    token = journey_token()
    db.session.rollback()
    refusal.refuse(mode)

    page = html_page(client.post("/refer/send", data={"journey": token}))
    assert page.status_code == 503
    assert page.text(".govuk-error-summary") .endswith(NOT_SAVED)
    assert "Amina Example" in page.text("main")  # the check page, with their answers and the Send button again
    assert page.select_one(f"input[name=journey][value='{token}']") is not None
    assert client.get("/refer/sent").headers["Location"] == "/refer/"  # no confirmation for what was not saved

    refusal.allow()
    assert _referrals(db) == 0
    assert db.session.scalar(select(func.count()).select_from(ReferralDraft)) == 1
    response = client.post("/refer/send", data={"journey": token})
    assert response.status_code == 302 and response.headers["Location"] == "/refer/sent"
    assert "Amina Example" not in client.get("/refer/sent").get_data(as_text=True)
    assert _referrals(db) == 1
    assert client.post("/refer/send", data={"journey": token}).headers["Location"] == "/refer/sent"
    assert _referrals(db) == 1  # pressing Send again after it worked does not store a second


def test_a_question_page_on_a_full_disk_is_a_503_and_the_earlier_answers_stay(client, db, refer, refusal,
                                                                              html_page):
    refer(stop_before="address")
    db.session.rollback()
    refusal.refuse("full")
    page = html_page(client.post("/refer/address", data={"address_line1": "12 Oak Road", "postcode": "NW5 2AB",
                                                         "has_gp": "no"}))
    assert page.status_code == 503
    assert page.text("main").count(NOT_SAVED) == 1
    assert refusal.refused >= 1

    refusal.allow()
    db.session.rollback()
    assert "Amina Example" in client.get("/refer/about").get_data(as_text=True)


def test_question_and_check_pages_still_show_while_the_database_cannot_write(client, db, refer, refusal):
    refer()
    db.session.rollback()
    refusal.refuse("full")
    for path in ("/refer/about", "/refer/check", "/refer/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Amina Example" in client.get("/refer/check").get_data(as_text=True)
    assert refusal.refused >= 1  # each page tried to note the activity, and could not
