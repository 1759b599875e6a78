"""The audit log records sign-ins, failed sign-ins, sign-outs, password resets, refused referral lookups and views
of the log itself; it names records by their HG- reference; an admin filters it and downloads the rows as CSV."""
from sqlalchemy import select

from app.core.audit import AuditEvent
from tests.builders import Builders


def _events(db, action=None):
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return db.session.execute(statement).scalars().all()


def _no_plain_email(db, email):
    for event in _events(db):
        assert email.lower() not in (event.detail + event.record).lower(), event.detail


def test_a_sign_in_and_a_sign_out_are_recorded(client, db, build, login):
    user = build.user("spa")
    login(user)
    client.post("/sign-out")
    [signed_in] = _events(db, "sign_in")
    [signed_out] = _events(db, "sign_out")
    assert signed_in.user_id == signed_out.user_id == user.id
    assert signed_in.at is not None


def test_a_failed_sign_in_is_recorded_without_the_password(client, db, build):
    user = build.user("spa")
    response = client.post("/sign-in", data={"email": user.email, "password": "not-the-password-1"})
    assert response.status_code == 401
    [failed] = _events(db, "sign_in_failed")
    assert failed.user_id == user.id
    assert "not-the-password-1" not in failed.detail


def test_a_failed_sign_in_for_an_unknown_address_keeps_only_a_digest(client, db):
    client.post("/sign-in", data={"email": "Stranger@Example.org", "password": "guess-password-1"})
    client.post("/sign-in", data={"email": "stranger@example.org", "password": "guess-password-2"})
    first, second = _events(db, "sign_in_failed")
    assert first.user_id is None and first.detail == second.detail  # the same address can be followed
    _no_plain_email(db, "stranger@example.org")
    assert "guess-password" not in first.detail + second.detail


def test_a_password_reset_asked_for_and_done_is_recorded(client, db, build, smtp_server):
    import re
    user = build.user("spa", email="resetme@test.example")
    client.post("/reset-password", data={"email": user.email})
    client.post("/reset-password", data={"email": "nobody-here@test.example"})
    known, unknown = _events(db, "password_reset_request")
    assert known.user_id == user.id and unknown.user_id is None
    _no_plain_email(db, "nobody-here@test.example")
    link = re.search(r"http://[^\s]+", smtp_server[0].get_payload(decode=True).decode()).group(0).replace(
        "http://localhost", "")
    client.post(link, data={"password": "new long passphrase", "confirm": "new long passphrase"})
    [done] = _events(db, "password_reset")
    assert done.user_id == user.id


def test_a_password_change_is_recorded(client, db, build, login):
    user = build.user("manager")
    login(user)
    client.post("/account/password", data={"current": Builders.PASSWORD, "password": "fresh passphrase one",
                                           "confirm": "fresh passphrase one"})
    [changed] = _events(db, "password_change")
    assert changed.user_id == user.id


def test_a_partner_refused_a_referral_is_recorded_with_its_reference(client, db, build, login):
    org = build.organisation()
    partner = build.user("partner", organisations=[org])
    from app.selfreferral import partners
    partners.grant(partner, org, build.user("spa"))
    db.session.commit()
    other = build.referral()
    login(partner)
    assert client.get(f"/spa/referrals/{other.reference}").status_code == 404
    assert client.post(f"/spa/referrals/{other.reference}/triage", data={"colour": "red"}).status_code in (403, 404)
    denied = _events(db, "referral_denied")
    assert denied and denied[0].user_id == partner.id and denied[0].record == other.reference


def test_a_lookup_of_a_reference_that_does_not_exist_is_recorded(client, db, build, login):
    staff = build.user("spa")
    login(staff)
    assert client.get("/spa/referrals/HG-NOPE99").status_code == 404
    [denied] = _events(db, "referral_denied")
    assert denied.user_id == staff.id and denied.record == "HG-NOPE99" and denied.referral_id is None


def test_referral_events_show_the_hg_reference(client, db, build, login):
    login(build.user("spa"))
    referral = build.referral()
    client.get(f"/spa/referrals/{referral.reference}")
    [viewed] = _events(db, "view")
    assert viewed.record == referral.reference


