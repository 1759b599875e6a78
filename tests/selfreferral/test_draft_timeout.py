"""Drafts are discarded after a spell of inactivity (REFERRAL_DRAFT_IDLE_MINUTES), and each page says so."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.selfreferral.models import ReferralDraft

T0 = datetime(2026, 3, 2, 10, 0)
NAME = "Amina Example"


def _drafts(db):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(ReferralDraft)).scalar_one()


def test_a_draft_is_discarded_after_the_idle_timeout_and_the_expired_page_shown(client, db, refer, frozen_clock):
    frozen_clock(T0)
    refer(stop_before="contact")
    frozen_clock(T0 + timedelta(minutes=29))
    assert NAME in client.get("/refer/about").get_data(as_text=True)  # looking at a page is activity
    frozen_clock(T0 + timedelta(minutes=29 + 31))
    response = client.get("/refer/about")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your answers have expired" in body and NAME not in body
    assert _drafts(db) == 0
    assert "Continue where you left off" not in client.get("/refer/").get_data(as_text=True)
    assert client.get("/refer/about").headers["Location"] == "/refer/"


def test_the_idle_timeout_is_a_setting(app, client, db, refer, frozen_clock, monkeypatch):
    monkeypatch.setitem(app.config, "REFERRAL_DRAFT_IDLE_MINUTES", 5)
    frozen_clock(T0)
    refer(stop_before="contact")
    frozen_clock(T0 + timedelta(minutes=6))
    assert "Your answers have expired" in client.get("/refer/check").get_data(as_text=True)
    assert _drafts(db) == 0


def test_sending_a_stale_draft_shows_the_expired_page(client, db, refer, journey_token, frozen_clock):
    frozen_clock(T0)
    refer()
    token = journey_token()
    frozen_clock(T0 + timedelta(minutes=45))
    response = client.post("/refer/send", data={"journey": token})
    assert response.status_code == 400 and "Your answers have expired" in response.get_data(as_text=True)
    assert _drafts(db) == 0


def test_each_question_page_says_how_long_answers_are_kept(client, refer):
    client.post("/refer/start")
    for url in ("/refer/safety", "/refer/who"):
        assert "30 minutes" in client.get(url).get_data(as_text=True)
    refer()
    assert "30 minutes" in client.get("/refer/check").get_data(as_text=True)


def test_purge_removes_drafts_idle_past_the_timeout(db, refer, runner, frozen_clock):
    frozen_clock(T0)
    refer(stop_before="contact")
    frozen_clock(T0 + timedelta(minutes=31))
    result = runner.invoke(args=["referrals", "purge"])
    assert "1 expired drafts" in result.output
    assert _drafts(db) == 0
