import re
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, text

from app.core.mail import OutboxMessage
from app.selfreferral.models import Referral, ReferralDraft


def _count(db, model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_start_page_explains_and_shows_urgent_help(client):
    body = client.get("/refer/").get_data(as_text=True)
    assert "You do not need a GP" in body and "What happens next" in body and "10 minutes" in body
    for number in ("999", "NHS 111", "116 123"):
        assert number in body


def test_a_complete_self_referral(client, db, refer, journey_token, build):
    build.service(name="Brookfield befriending", categories=("talk-befriending",), languages=["en", "bn"])
    refer()
    check = client.get("/refer/check").get_data(as_text=True)
    assert "Amina Example" in check and "07700 900982" in check and "Bengali" in check
    assert "Asian or Asian British: Bangladeshi" in check
    assert check.count(">Change<") >= 10
    response = client.post("/refer/send", data={"journey": journey_token()})
    assert response.status_code == 302 and response.headers["Location"] == "/refer/sent"
    done = client.get("/refer/sent").get_data(as_text=True)
    reference = re.search(r"HG-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", done).group(0)
    assert "While you wait" in done and "Brookfield befriending" in done
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.reference == reference
    assert referral.route == "self" and referral.neighbourhood_code == "kentish-town"
    assert set(referral.needs) == {"talk", "money"} and referral.preferred_language == "bn"
    assert referral.answers["full_name"] == "Amina Example"
    assert referral.answers["swemwbs_score"] == 14
    assert _count(db, ReferralDraft) == 0
    assert _count(db, OutboxMessage) == 1


def test_nothing_personal_is_stored_in_plain_text(client, db, refer, journey_token):
    refer()
    client.post("/refer/send", data={"journey": journey_token()})
    with db.engine.connect() as conn:
        rows = (conn.execute(text("SELECT * FROM referral")).all()
                + conn.execute(text("SELECT * FROM outbox_message")).all())
    dump = repr(rows)
    for secret in ("Amina", "07700", "amina@example.org", "Oak Road", "behind on rent", "bangladeshi", "1988"):
        assert secret not in dump


def test_drafts_are_encrypted_and_not_in_the_cookie(client, db, refer):
    refer(stop_before="address")
    with db.engine.connect() as conn:
        dump = repr(conn.execute(text("SELECT * FROM referral_draft")).all())
    assert "Amina" not in dump
    cookie = client.get_cookie("session")
    assert "Amina" not in (cookie.value if cookie else "")


def test_submitting_twice_gives_the_same_referral(client, db, refer, journey_token):
    refer()
    token = journey_token()
    first = client.post("/refer/send", data={"journey": token})
    again = client.post("/refer/send", data={"journey": token})
    assert first.status_code == again.status_code == 302
    assert _count(db, Referral) == 1
    assert _count(db, OutboxMessage) == 1


def test_parallel_double_submit_makes_one_referral(app, client, db, refer, journey_token):
    refer()
    token = journey_token()
    cookie = client.get_cookie("session").value
    results = []

    def send():
        other = app.test_client()
        other.set_cookie("session", cookie)
        results.append(other.post("/refer/send", data={"journey": token}).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [302] * 4
    db.session.expire_all()
    assert _count(db, Referral) == 1


def test_not_safe_shows_urgent_help_at_once_and_flags_the_referral(client, db, refer, journey_token, frozen_clock):
    frozen_clock(datetime(2026, 12, 1, 11, 0))  # a Tuesday morning, in hours (out of hours: test_urgent_referrals)
    refer({"safety": {"safe": "no"}})
    urgent = client.get("/refer/urgent").get_data(as_text=True)
    assert "Get help now" in urgent and "999" in urgent and "Continue with the referral" in urgent
    client.post("/refer/send", data={"journey": journey_token()})
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.not_safe is True
    assert "We will look at this referral today" in client.get("/refer/sent").get_data(as_text=True)


def test_a_worker_referring_someone_gives_their_own_details(client, db, refer, journey_token):
    refer({"who": {"route": "worker"}})
    client.post("/refer/send", data={"journey": journey_token()})
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.route == "worker"
    assert referral.answers["referrer_organisation"] == "Fairfield Centre"


@pytest.mark.parametrize("step, data, message", [
    ("safety", {}, "Select yes if you are safe right now"),
    ("who", {"route": "sideways"}, ""),
    ("about", {"full_name": ""}, "Enter the person’s full name"),
    ("about", {"full_name": "A", "dob_day": "31", "dob_month": "2", "dob_year": "1990"}, "must be a real date"),
    ("about", {"full_name": "A"}, "Enter a date of birth or an age"),
    ("about", {"full_name": "A", "age": "9"}, "This service is for people aged 16 and over"),
    ("about", {"full_name": "A", "age": "130"}, "Enter an age between 16 and 120"),
    ("contact", {"leave_message": "yes"}, "Select at least one way we can contact them"),
    ("contact", {"methods": ["phone"], "leave_message": "yes"}, "Enter a phone number, or untick"),
    ("contact", {"methods": ["phone"], "phone": "12", "leave_message": "yes"}, "Enter a phone number, like"),
    ("contact", {"methods": ["email"], "email": "not-an-email", "leave_message": "yes"}, "correct format"),
    ("contact", {"methods": ["trusted"], "leave_message": "yes"}, "Tell us the place or worker"),
    ("contact", {"methods": ["text"], "phone": "07700 900982", "not_before": "25:00", "leave_message": "no"},
     "24-hour clock"),
    ("address", {"postcode": "banana", "has_gp": "yes"}, "Enter a real postcode"),
    ("address", {}, "Select whether they have a GP"),
    ("needs", {"own_words": "x" * 3001}, "3,000 characters or fewer"),
    ("consent", {}, "You need to agree"),
])
def test_each_page_explains_what_is_wrong(client, refer, step, data, message):
    client.post("/refer/start")
    response = client.post(f"/refer/{step}", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body and "govuk-error-summary" in body
    assert message in body
    assert "<title>Error:" in body


def test_letters_need_an_address_unless_there_is_no_fixed_address(client, refer):
    refer({"contact": {"methods": ["letter"]}}, stop_before="address")
    response = client.post("/refer/address", data={"has_gp": "yes"})
    assert response.status_code == 400
    assert "Enter an address and postcode for letters" in response.get_data(as_text=True)
    response = client.post("/refer/address", data={"has_gp": "no", "no_fixed_address": "y"})
    assert response.status_code == 302


def test_no_fixed_address_and_no_gp_are_accepted(client, db, refer, journey_token):
    refer({"address": {"no_fixed_address": "y", "address_line1": "", "postcode": "", "has_gp": "no"}})
    client.post("/refer/send", data={"journey": journey_token()})
    assert db.session.execute(select(Referral)).scalar_one().neighbourhood_code == ""


def test_answers_stay_server_side_and_change_links_return_to_check(client, refer):
    refer()
    response = client.get("/refer/about?change=1")
    assert "Save and return to check your answers" in response.get_data(as_text=True)
    response = client.post("/refer/about?change=1", data={"full_name": "Amina Changed", "age": "37"})
    assert response.headers["Location"] == "/refer/check"
    assert "Amina Changed" in client.get("/refer/check").get_data(as_text=True)


def test_skipping_ahead_is_not_possible(client, refer):
    client.post("/refer/start")
    response = client.get("/refer/check")
    assert response.headers["Location"] == "/refer/who"
    assert client.post("/refer/send", data={"journey": "forged"}).status_code in (302, 400)


def test_honeypot_stops_robots_politely_without_storing(client, db, refer, journey_token):
    refer()
    response = client.post("/refer/send", data={"journey": journey_token(), "website": "http://spam.example"})
    assert response.status_code == 400 and "We could not send the form" in response.get_data(as_text=True)
    assert _count(db, Referral) == 0


def test_unknown_step_is_404_and_no_draft_redirects_to_start(client):
    assert client.get("/refer/nonsense").status_code == 404
    assert client.get("/refer/about").headers["Location"] == "/refer/"


def test_an_expired_draft_is_removed_and_the_expired_page_shown(client, db, refer):
    from datetime import timedelta

    from sqlalchemy import func, select, update

    from app.core.db import utcnow
    from app.selfreferral.models import ReferralDraft
    refer(stop_before="needs")
    db.session.execute(update(ReferralDraft).values(updated_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    response = client.get("/refer/needs")
    assert response.status_code == 200 and "Your answers have expired" in response.get_data(as_text=True)
    assert client.get("/refer/needs").headers["Location"] == "/refer/"  # the session forgot it
    db.session.expire_all()
    assert db.session.execute(select(func.count()).select_from(ReferralDraft)).scalar_one() == 0
