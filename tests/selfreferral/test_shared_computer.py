"""A shared computer (a library, a community centre): the next person to press Start never sees the previous
person's answers; only an explicit "continue" resumes a draft."""
from sqlalchemy import func, select

from app.selfreferral.models import ReferralDraft

NAME = "Amina Example"


def _drafts(db):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(ReferralDraft)).scalar_one()


def test_start_begins_a_new_draft_and_discards_the_previous_persons(client, db, refer):
    refer(stop_before="contact")  # person A answers three pages and walks away
    assert NAME in client.get("/refer/about").get_data(as_text=True)
    client.post("/refer/start")  # person B presses Start
    body = client.get("/refer/who").get_data(as_text=True)
    assert ' checked>' not in body  # A's "I am referring myself" is not chosen for B
    assert NAME not in client.get("/refer/about").get_data(as_text=True)
    assert _drafts(db) == 1  # A's draft is gone from the server, not just from this browser


def test_the_start_page_offers_to_continue_only_when_there_is_a_draft(client, refer):
    body = client.get("/refer/").get_data(as_text=True)
    assert "Continue where you left off" not in body
    refer(stop_before="contact")
    body = client.get("/refer/").get_data(as_text=True)
    assert "Continue where you left off" in body and 'href="/refer/contact"' in body
    assert NAME not in body  # the start page never shows what the draft holds
    assert client.get("/refer/contact").status_code == 200
    assert NAME in client.get("/refer/about").get_data(as_text=True)
