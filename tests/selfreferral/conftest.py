from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.selfreferral.models import Referral

VALID = {
    "who": {"route": "self"},
    "safety": {"safe": "yes"},
    "about": {"full_name": "Amina Example", "preferred_name": "Amina", "dob_day": "4", "dob_month": "7",
              "dob_year": "1988", "pronouns": "she/her"},
    "contact": {"methods": ["phone", "email"], "phone": "07700 900982", "email": "amina@example.org",
                "best_days": ["1", "3"], "best_times": ["morning"], "not_before": "10:00", "not_after": "17:30",
                "leave_message": "no"},
    "address": {"address_line1": "12 Oak Road", "postcode": "nw5 2ab", "has_gp": "no"},
    "needs": {"needs": ["talk", "money"], "own_words": "I feel very low and I'm behind on rent.",
              "substances": "prefer_not"},
    "language": {"preferred_language": "bn", "interpreter": "yes"},
    "equality": {"ethnicity": "asian-bangladeshi", "sex": "female", "religion": "muslim"},
    "wellbeing": {f"item{i}": "2" for i in range(1, 8)},
    "consent": {"consent": "y"},
}


@pytest.fixture
def refer(client):
    """Walk the journey with valid answers (overridable per step); returns the last response."""
    def _walk(overrides=None, stop_before=None):
        overrides = overrides or {}
        client.post("/refer/start")
        response = None
        for step, data in VALID.items():
            if step == stop_before:
                break
            data = {**data, **overrides.get(step, {})}
            response = client.post(f"/refer/{step}", data=data)
            assert response.status_code == 302, (step, response.get_data(as_text=True)[:3000])
            if step == "safety" and data["safe"] == "no":
                assert response.headers["Location"] == "/refer/urgent"
            if step == "who" and data["route"] != "self":
                referrer = {"referrer_name": "Sam Worker", "referrer_organisation": "Fairfield Centre",
                            "referrer_phone": "020 7946 0123", "agreement": "y", **overrides.get("referrer", {})}
                response = client.post("/refer/referrer", data=referrer)
                assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return response
    return _walk


@pytest.fixture
def journey_token(client):
    def _token():
        body = client.get("/refer/check").get_data(as_text=True)
        import re
        return re.search(r'name="journey" value="([^"]+)"', body).group(1)
    return _token


@pytest.fixture
def make_referral(client, refer, journey_token, db):
    def _make(overrides=None, **columns):
        client.post("/sign-out")
        refer(overrides)
        client.post("/refer/send", data={"journey": journey_token()})
        referral = db.session.execute(select(Referral).order_by(Referral.id.desc()).limit(1)).scalar_one()
        for key, value in columns.items():
            setattr(referral, key, value)
        db.session.commit()
        return referral
    return _make


@pytest.fixture
def spa_user(build, login):
    user = build.user("spa")
    return user


# Tuesday 10:30 in the borough: inside VALID's contact window (Tuesday or Thursday mornings, 10:00 to 17:30).
IN_WINDOW = datetime(2026, 12, 1, 10, 30, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def in_window(frozen_clock):
    """Staff act at a time the person asked to be contacted, so a call needs no "log it anyway"."""
    return frozen_clock(IN_WINDOW)
