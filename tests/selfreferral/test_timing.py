"""A referral sent faster than a person could fill in the form is refused, and its answers kept."""
from datetime import timedelta

from app.core.db import utcnow
from app.selfreferral.models import ReferralDraft


def test_a_referral_sent_too_fast_is_refused_and_its_answers_kept(app, client, refer, journey_token, db, monkeypatch):
    monkeypatch.setitem(app.config, "REFERRAL_MIN_SECONDS", 60)
    refer()
    response = client.post("/refer/send", data={"journey": journey_token()})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "Amina Example" in body
    draft = db.session.execute(db.select(ReferralDraft)).scalar_one()
    draft.created_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    assert client.post("/refer/send", data={"journey": journey_token()}).status_code == 302
