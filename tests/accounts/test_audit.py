"""The audit log records sign-ins, failed sign-ins, sign-outs, password resets, refused referral lookups and views
of the log itself; it names records by their HG- reference; an admin filters it and downloads the rows as CSV."""
import csv
import io
from datetime import datetime

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


def _admin(client, build, login):
    admin = build.user("admin")
    login(admin)
    return admin


def test_viewing_the_audit_log_is_itself_recorded(client, db, build, login):
    admin = _admin(client, build, login)
    response = client.get("/admin/audit?action=sign_in")
    assert response.status_code == 200
    [viewed] = _events(db, "audit_view")
    assert viewed.user_id == admin.id and "action=sign_in" in viewed.detail


def test_actions_are_shown_as_labels_not_codes(client, build, login):
    _admin(client, build, login)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Signed in" in html and "<code>sign_in</code>" not in html


def test_the_log_filters_by_action_user_and_dates(client, db, build, login, frozen_clock):
    admin = _admin(client, build, login)
    other = build.user("spa", email="other-staff@test.example")
    db.session.add_all([AuditEvent(user_id=other.id, action="view", record="HG-OLD001", at=datetime(2025, 1, 10, 12)),
                        AuditEvent(user_id=other.id, action="view", record="HG-NEW001", at=datetime(2025, 3, 10, 12)),
                        AuditEvent(user_id=admin.id, action="triage", record="HG-TRI001",
                                   at=datetime(2025, 3, 10, 12))])
    db.session.commit()
    html = client.get(f"/admin/audit?action=view&user={other.id}&from=2025-03-01&to=2025-03-31").get_data(
        as_text=True)
    assert "HG-NEW001" in html and "HG-OLD001" not in html and "HG-TRI001" not in html
    html = client.get("/admin/audit?from=2025-01-10&to=2025-01-10").get_data(as_text=True)
    assert "HG-OLD001" in html and "HG-NEW001" not in html


def test_bad_filters_get_govuk_errors_never_a_5xx(client, build, login):
    _admin(client, build, login)
    for query, field in (("from=2025-02-30", "from"), ("to=yesterday", "to"), ("from=99999-01-01", "from"),
                         ("from=2025-03-02&to=2025-03-01", "to"), ("action=drop_table", "action"),
                         ("user=abc", "user"), ("user=99999999999999999999", "user")):
        response = client.get(f"/admin/audit?{query}")
        assert response.status_code == 400, query
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html and f'href="#{field}"' in html, query
        assert client.get(f"/admin/audit.csv?{query}").status_code in (302, 400), query
    assert client.get("/admin/audit?page=99999").status_code == 200
    assert client.get("/admin/audit?page=-1&from=%00").status_code == 400  # the site's answer to a NUL byte


def test_the_log_is_paginated_and_keeps_its_filters(client, db, build, login):
    admin = _admin(client, build, login)
    db.session.add_all([AuditEvent(user_id=admin.id, action="view", record=f"HG-P{n:05d}") for n in range(105)])
    db.session.commit()
    html = client.get("/admin/audit?action=view").get_data(as_text=True)
    assert "Page 1 of 2" in html and "action=view" in html.split("rel=\"next\"")[0].rsplit("href=", 1)[-1]


def test_the_csv_export_is_filtered_formula_safe_and_audited(client, db, build, login):
    admin = _admin(client, build, login)
    db.session.add_all([AuditEvent(user_id=admin.id, action="view", record="HG-CSV001", detail="=HYPERLINK(1)"),
                        AuditEvent(user_id=admin.id, action="triage", record="HG-CSV002")])
    db.session.commit()
    response = client.get("/admin/audit.csv?action=view")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["When", "Who", "Action", "Record", "Detail"]
    assert [row[3] for row in rows[1:]] == ["HG-CSV001"]
    assert rows[1][2] == "Referral viewed" and rows[1][4] == "'=HYPERLINK(1)"
    [exported] = _events(db, "audit_export")
    assert exported.user_id == admin.id and exported.detail == "action=view"


def test_only_an_admin_sees_or_exports_the_log(client, build, login):
    login(build.user("spa"))
    assert client.get("/admin/audit").status_code in (302, 403)
    assert client.get("/admin/audit.csv").status_code in (302, 403)
