"""Reading the referrals shared with an organisation is its own grant, given only by SPA staff or an admin.

Looking after an organisation's listings (what a directory manager approves through /join) does not give it.
"""
import re

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.directory.models import JoinRequest


def _link(message):
    return re.search(r"http://[^\s]+", message.get_payload(decode=True).decode()).group(0).replace(
        "http://localhost", "")


def _sees(client, referral):
    page = client.get(f"/spa/referrals/{referral.reference}").status_code
    listed = referral.reference in client.get("/spa/shared").get_data(as_text=True)
    return page, listed


def _as(client, login, user):
    client.post("/sign-out")
    login(user)


def _access(db, user, organisation):
    from app.selfreferral.models import PartnerAccess
    return db.session.execute(select(PartnerAccess).where(PartnerAccess.user_id == user.id,
                                                          PartnerAccess.organisation_id == organisation.id)
                              ).scalar_one_or_none()


def _grants(db):
    from app.selfreferral.models import PartnerAccess
    return db.session.execute(select(PartnerAccess)).scalars().all()


def test_joining_another_organisation_does_not_open_its_referrals(client, db, build, login, smtp_server):
    other = build.organisation(name="Oak Road Advice")
    partner = build.user("partner", email="pat@fairfield.example")
    manager, spa_user = build.user("manager"), build.user("spa")
    referral = build.referral(shared_with=[other])

    # The attack: ask to look after the other organisation's listing; a directory manager approves.
    response = client.post("/join", data={"name": "Pat", "email": partner.email, "organisation": other.slug})
    assert response.status_code == 200
    join_request = db.session.execute(select(JoinRequest)).scalar_one()
    login(manager)
    assert client.post(f"/manage/requests/{join_request.id}/approve").status_code == 302
    client.post("/sign-out")
    assert client.post(_link(smtp_server[-1])).status_code == 302
    db.session.expire_all()
    assert other in partner.organisations  # they do now edit its listings

    login(partner)
    assert _sees(client, referral) == (404, False)

    _as(client, login, spa_user)
    response = client.post("/spa/partners", data={"user": partner.id, "organisation": other.id})
    assert response.status_code == 302
    _as(client, login, partner)
    assert _sees(client, referral) == (200, True)

    _as(client, login, spa_user)
    access = _access(db, partner, other)
    assert client.post("/spa/partners/remove", data={"access": access.id}).status_code == 302
    _as(client, login, partner)
    assert _sees(client, referral) == (404, False)
    actions = db.session.execute(select(AuditEvent.action, AuditEvent.detail).where(
        AuditEvent.action.like("partner_access%")).order_by(AuditEvent.id)).all()
    assert [a for a, _d in actions] == ["partner_access_grant", "partner_access_remove"]
    assert all(partner.email not in d for _a, d in actions)  # the audit names ids and slugs, not people


def test_an_admin_can_grant_and_remove_it_too(client, db, build, login):
    organisation = build.organisation(name="Fairfield Befrienders")
    partner = build.user("partner")
    referral = build.referral(shared_with=[organisation])
    login(build.user("admin"))
    page = client.get("/admin/partners")
    assert page.status_code == 200 and partner.email in page.get_data(as_text=True)
    assert client.post("/admin/partners", data={"user": partner.id, "organisation": organisation.id}
                       ).status_code == 302
    access = _access(db, partner, organisation)
    assert access is not None and access.granted_by.has_role("admin")
    _as(client, login, partner)
    assert _sees(client, referral) == (200, True)
    _as(client, login, build.user("admin"))
    assert client.post("/admin/partners/remove", data={"access": access.id}).status_code == 302
    assert _access(db, partner, organisation) is None


def test_the_page_lists_who_reads_what(client, build, login, db):
    organisation = build.organisation(name="Fairfield Befrienders")
    partner = build.user("partner", email="reader@fairfield.example")
    login(build.user("spa"))
    client.post("/spa/partners", data={"user": partner.id, "organisation": organisation.id})
    body = client.get("/spa/partners").get_data(as_text=True)
    assert "reader@fairfield.example" in body and "Fairfield Befrienders" in body
    # Granting twice keeps one grant.
    assert client.post("/spa/partners", data={"user": partner.id, "organisation": organisation.id}).status_code == 302
    assert len(_grants(db)) == 1


@pytest.mark.parametrize("data, message", [
    ({}, "Choose the partner staff member"),
    ({"user": "abc", "organisation": "1"}, "Choose the partner staff member"),
    ({"user": "999999", "organisation": "1"}, "Choose the partner staff member"),
    ({"user": "provider", "organisation": "org"}, "Choose the partner staff member"),
    ({"user": "partner", "organisation": ""}, "Choose the partner organisation"),
    ({"user": "partner", "organisation": "999999"}, "Choose the partner organisation"),
    ({"user": "partner", "organisation": ["x", "y"]}, "Choose the partner organisation"),
])
def test_a_bad_grant_is_refused_with_an_error_summary(client, build, login, db, html_page, data, message):
    people = {"partner": build.user("partner"), "provider": build.user("provider")}
    organisation = build.organisation()
    data = {k: v if isinstance(v, list) else str(people[v].id) if v in people
            else str(organisation.id) if v == "org" else v for k, v in data.items()}
    login(build.user("spa"))
    response = client.post("/spa/partners", data=data)
    assert response.status_code == 400
    page = html_page(response)
    assert message in page.select_one(".govuk-error-summary").get_text()
    assert _grants(db) == []


@pytest.mark.parametrize("data", [{}, {"access": "999999"}, {"access": "x"}, {"access": str(10**30)}])
def test_removing_a_grant_that_is_not_there_says_so(client, build, login, data):
    login(build.user("spa"))
    response = client.post("/spa/partners/remove", data=data, follow_redirects=True)
    assert response.status_code == 200 and "already been removed" in response.get_data(as_text=True)


def test_providing_listings_alone_shows_no_referrals(client, build, login):
    """A partner who looks after an organisation's listings (provider_organisation) reads none of its referrals."""
    organisation = build.organisation()
    partner = build.user("partner", "provider", organisations=[organisation])
    referral = build.referral(shared_with=[organisation])
    login(partner)
    assert _sees(client, referral) == (404, False)


def test_0009_carries_over_what_todays_partners_read(tmp_path):
    """On deploy a partner keeps their organisations' shared referrals; a provider gains no referral access."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from app import create_app
    from app.extensions import db as _db
    from tests.conftest import PG_URL
    if PG_URL:  # the session's own database, already at head: step back to 0008 first
        from app.config import _database_url
        url = _database_url(PG_URL)
    else:
        url = f"sqlite:///{tmp_path / 'partners.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path),
                      "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    with app.app_context():
        try:
            if PG_URL:
                downgrade(revision="0008")
            else:
                upgrade(revision="0008")
            with _db.engine.begin() as conn:
                for n, role in ((1, "partner"), (2, "provider")):
                    conn.execute(text(
                        'INSERT INTO "user" (id, email, name, password_hash, active, session_token) '
                        "VALUES (:n, :email, '', 'x', true, 'x')"), {"n": 900 + n, "email": f"u{n}@test.example"})
                    conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (:n, :role)"),
                                 {"n": 900 + n, "role": role})
                    conn.execute(text(
                        "INSERT INTO organisation (id, slug, name, description, website, email, phone, charity_number, "
                        "company_number, logo_url) VALUES (:n, :slug, 'Org', '', '', '', '', '', '', '')"),
                        {"n": 900 + n, "slug": f"org-{n}"})
                    conn.execute(text("INSERT INTO provider_organisation (user_id, organisation_id) VALUES (:n, :n)"),
                                 {"n": 900 + n})
            upgrade(revision="0009")
            with _db.engine.connect() as conn:
                rows = conn.execute(text("SELECT user_id, organisation_id, granted_by_id FROM partner_organisation")
                                    ).all()
            assert [tuple(r) for r in rows] == [(901, 901, None)]
        finally:
            with _db.engine.begin() as conn:
                for table in ("partner_organisation", "provider_organisation", "user_role", '"user"', "organisation"):
                    if table != "partner_organisation" or inspect(conn).has_table(table):
                        conn.execute(text(f"DELETE FROM {table} WHERE 1 = 1"))
            upgrade()
            _db.engine.dispose()
