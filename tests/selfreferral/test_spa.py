import json
import logging
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.core.mail import OutboxMessage
from app.selfreferral import spa
from app.selfreferral.models import Referral


def test_inbox_puts_not_safe_and_red_first(client, db, make_referral, spa_user, login):
    green = make_referral(colour="green", status="triaged")
    red = make_referral(colour="red", status="triaged")
    unsafe = make_referral({"safety": {"safe": "no"}})
    login(spa_user)
    body = client.get("/spa/").get_data(as_text=True)
    positions = [body.index(r.reference) for r in (unsafe, red, green)]
    assert positions == sorted(positions)
    assert "Not safe: today" in body and "3 referrals" in body


@pytest.mark.parametrize("query, expected", [
    ("colour=red", {"red"}), ("status=new", {"new", "old"}), ("status=triaged", {"red"}),
    ("neighbourhood=kentish-town", {"red", "new"}),
    ("need=money", {"red", "new"}), ("language=bn", {"red", "new"}), ("overdue=yes", {"old"}),
    ("waited=14", {"old"}), ("colour=none", {"new", "old"}),
])
def test_inbox_filters(client, db, make_referral, spa_user, login, query, expected):
    refs = {"red": make_referral(colour="red", status="triaged"), "new": make_referral(),
            "old": make_referral({"address": {"postcode": "", "address_line1": ""}, "needs": {"needs": ["food"]},
                                  "language": {"preferred_language": "so"}},
                                 created_at=utcnow() - timedelta(days=20))}
    login(spa_user)
    body = client.get(f"/spa/?{query}").get_data(as_text=True)
    shown = {name for name, r in refs.items() if r.reference in body}
    assert shown == expected


def test_viewing_a_referral_is_audited_and_shows_everything(client, db, make_referral, spa_user, login):
    referral = make_referral()
    login(spa_user)
    body = client.get(f"/spa/referrals/{referral.reference}").get_data(as_text=True)
    assert "Amina Example" in body and "07700 900982" in body and "Do not leave a message" in body
    assert "Do not call before 10:00." in body and "Do not call after 17:30." in body
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "view")).scalars().all()
    assert [(e.user_id, e.referral_id) for e in events] == [(spa_user.id, referral.id)]
    assert "Amina" not in repr([(e.action, e.detail) for e in db.session.execute(select(AuditEvent)).scalars()])


def test_triage_contact_and_close(client, db, make_referral, spa_user, login, in_window):
    referral = make_referral()
    login(spa_user)
    base = f"/spa/referrals/{referral.reference}"
    triage = {"colour": "amber", "reason": "Low mood, rent arrears"}
    assert client.post(f"{base}/triage", data=triage).status_code == 302
    assert client.post(f"{base}/assign", data={"team": "Kentish Town core team"}).status_code == 302
    client.post(f"{base}/contact", data={"method": "phone", "result": "no_answer"})
    client.post(f"{base}/contact", data={"method": "phone", "result": "reached", "note": "Booked a call"})
    db.session.refresh(referral)
    assert referral.colour == "amber" and referral.triage_reason == "Low mood, rent arrears"
    assert referral.team == "Kentish Town core team" and referral.first_contact_at is not None
    assert client.post(f"{base}/close", data={"outcome": "signposted"}).status_code == 400
    assert client.post(f"{base}/close", data={"outcome": "signposted", "detail": "Debt drop-in"}).status_code == 302
    db.session.refresh(referral)
    assert referral.status == "closed" and referral.outcome == "signposted"
    assert referral.outcome_detail == "Debt drop-in"
    actions = [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
    assert {"triage", "assign", "contact", "close"} <= set(actions)


@pytest.mark.parametrize("path, data, message", [
    ("triage", {"colour": "purple", "reason": "x"}, "Choose red, amber or green"),
    ("triage", {"colour": "red", "reason": " "}, "Give a reason"),
    ("assign", {"team": "Nowhere"}, "Choose a team"),
    ("contact", {"method": "pigeon", "result": "reached"}, "Choose how you tried"),
    ("close", {"outcome": "vanished"}, "Choose the outcome"),
    ("update", {"method": "letter"}, "did not agree to be contacted that way"),
    ("share", {"organisation": "abc", "reason": "Befriending"}, "Choose the partner organisation"),
])
def test_bad_actions_get_a_clear_error(client, make_referral, spa_user, login, path, data, message):
    referral = make_referral()
    login(spa_user)
    response = client.post(f"/spa/referrals/{referral.reference}/{path}", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_overdue_after_14_days_without_successful_contact(db, make_referral):
    referral = make_referral(created_at=utcnow() - timedelta(days=15))
    assert spa.is_overdue(referral)
    referral.last_contact_at = utcnow() - timedelta(days=2)
    assert not spa.is_overdue(referral)


def test_waiting_update_is_emailed_in_their_language_over_smtp(client, db, make_referral, spa_user, login,
                                                                smtp_server):
    referral = make_referral()  # preferred language: Bengali
    login(spa_user)
    response = client.post(f"/spa/referrals/{referral.reference}/update", data={"method": "email"})
    assert response.status_code == 302
    assert len(smtp_server) == 2  # the confirmation copy, then the update
    update = smtp_server[1]
    assert update["To"] == "amina@example.org"
    assert referral.reference in str(make_header(decode_header(update["Subject"])))
    body = update.get_payload(decode=True).decode("utf-8")
    assert "Amina" in body
    assert any("\u0980" <= ch <= "\u09ff" for ch in body)  # written in Bengali script
    db.session.refresh(referral)
    assert [(u.method, u.language, u.status) for u in referral.updates] == [("email", "bn", "queued")]


def test_phone_update_becomes_a_task(client, db, make_referral, spa_user, login):
    referral = make_referral()
    login(spa_user)
    client.post(f"/spa/referrals/{referral.reference}/update", data={"method": "phone"})
    db.session.refresh(referral)
    assert [(u.method, u.status) for u in referral.updates] == [("phone", "to_do")]
    client.post(f"/spa/referrals/{referral.reference}/updates/{referral.updates[0].id}/done")
    db.session.refresh(referral)
    assert referral.updates[0].status == "done"


def test_mail_failure_keeps_the_referral_and_retries(client, db, make_referral, runner, smtp_server, app):
    app.config["MAIL_PORT"], real_port = 1, app.config["MAIL_PORT"]
    referral = make_referral()
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert referral.id and message.status == "pending" and message.attempts == 1
    app.config["MAIL_PORT"] = real_port
    result = runner.invoke(args=["outbox", "send"])
    assert "Sent 1" in result.output
    db.session.refresh(message)
    assert message.status == "sent" and len(smtp_server) == 1


def test_sharing_lets_only_that_partner_see_the_record(client, db, make_referral, spa_user, login, build):
    referral = make_referral()
    other = make_referral()
    partner_org = build.organisation(name="Fairfield Befrienders")
    partner = build.user("partner", organisations=[partner_org])
    stranger = build.user("partner", organisations=[build.organisation()])
    login(spa_user)
    client.post("/spa/partners", data={"user": partner.id, "organisation": partner_org.id})
    client.post(f"/spa/referrals/{referral.reference}/share", data={"organisation": partner_org.id,
                                                                    "reason": "Weekly befriending calls"})
    client.post("/sign-out")
    login(partner)
    assert client.get(f"/spa/referrals/{referral.reference}").status_code == 200
    assert client.get(f"/spa/referrals/{other.reference}").status_code == 404
    assert referral.reference in client.get("/spa/shared").get_data(as_text=True)
    assert client.post(f"/spa/referrals/{referral.reference}/close", data={"outcome": "supported"}).status_code == 403
    assert client.get("/spa/").status_code == 403
    client.post("/sign-out")
    login(stranger)
    assert client.get(f"/spa/referrals/{referral.reference}").status_code == 404


@pytest.mark.parametrize("role", ["provider", "manager", "translator", "admin"])
def test_other_roles_cannot_reach_the_spa(client, build, login, make_referral, role):
    referral = make_referral()
    login(build.user(role))
    assert client.get("/spa/").status_code == 403
    assert client.get(f"/spa/referrals/{referral.reference}").status_code == 403
    assert client.post(f"/spa/referrals/{referral.reference}/triage", data={"colour": "red", "reason": "x"}
                       ).status_code == 403


def test_the_public_cannot_reach_the_spa(client, make_referral):
    referral = make_referral()
    assert client.get(f"/spa/referrals/{referral.reference}").status_code == 302
    posted = client.post(f"/spa/referrals/{referral.reference}/close", data={"outcome": "supported"})
    assert posted.status_code == 401 and ">Sign in</h1>" in posted.get_data(as_text=True)


def test_purge_deletes_old_closed_referrals_and_logs_counts_only(db, make_referral, runner, caplog):
    old = make_referral(status="closed", outcome="supported", closed_at=utcnow() - timedelta(days=800))
    recent = make_referral(status="closed", outcome="supported", closed_at=utcnow() - timedelta(days=30))
    still_open = make_referral(created_at=utcnow() - timedelta(days=600))  # open ones: test_open_retention.py
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["referrals", "purge"])
    assert "Deleted 1 closed referrals" in result.output
    remaining = set(db.session.execute(select(Referral.reference)).scalars())
    assert remaining == {recent.reference, still_open.reference}
    assert old.reference not in result.output and "Amina" not in result.output + caplog.text


def test_export_gives_everything_held_about_one_person(db, make_referral, runner):
    referral = make_referral()
    result = runner.invoke(args=["referrals", "export", referral.reference.lower()])
    data = json.loads(result.output)
    assert data["reference"] == referral.reference and data["answers"]["full_name"] == "Amina Example"
    assert db.session.execute(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "export")).scalar_one() == 1
    assert runner.invoke(args=["referrals", "export", "HG-NOPE-00"]).exit_code != 0


def test_key_rotation_re_encrypts_everything(app, db, make_referral, runner):
    referral = make_referral()
    old_key = app.config["PERSONAL_DATA_KEYS"]
    new_key = Fernet.generate_key().decode()
    try:
        app.config["PERSONAL_DATA_KEYS"] = f"{new_key},{old_key}"
        result = runner.invoke(args=["referrals", "rotate-key"])
        assert "Re-encrypted" in result.output
        app.config["PERSONAL_DATA_KEYS"] = new_key  # the old key can now be retired
        db.session.expire_all()
        assert db.session.get(Referral, referral.id).answers["full_name"] == "Amina Example"
    finally:
        app.config["PERSONAL_DATA_KEYS"] = old_key


def test_no_personal_data_in_the_logs(client, make_referral, caplog):
    with caplog.at_level(logging.DEBUG):
        make_referral()
    for secret in ("Amina", "07700", "amina@example.org", "Oak Road"):
        assert secret not in caplog.text


def test_actions_leave_the_commit_to_the_view(db, make_referral, spa_user, in_window):
    referral = make_referral()
    spa.triage(referral, spa_user, "red", "Urgent")
    spa.log_contact(referral, spa_user, "phone", "reached")
    spa.close(referral, spa_user, "supported")
    db.session.rollback()  # as the view does when a later step refuses
    assert referral.status == "new" and referral.colour is None and referral.contact_attempts == []
