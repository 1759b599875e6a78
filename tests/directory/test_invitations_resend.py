"""Sending an invitation again (/manage/invitations): a new link, the old one stops working, not more often than
every 10 minutes, and each invitation is in the audit log."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.directory.models import Invitation

NOW = datetime(2026, 11, 30, 10, 0)


def _link(message):
    return re.search(r"http://[^\s]+", message.get_payload(decode=True).decode()).group(0).replace(
        "http://localhost", "")


def _events(db, action):
    return [(e.user_id, e.detail) for e in
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()]


@pytest.fixture
def invited(client, build, login, db, smtp_server, frozen_clock):
    """An admin signed in; a manager's invitation, e-mailed at NOW."""
    frozen_clock(NOW)
    org = build.organisation(name="Kentish Kitchen")
    manager = build.user("manager")
    login(manager)
    assert client.post("/manage/invite", data={"email": "cook@kitchen.example",
                                               "organisations": [str(org.id)]}).status_code == 302
    client.post("/sign-out")
    admin = build.user("admin")
    login(admin)
    invitation = db.session.execute(select(Invitation)).scalar_one()
    return {"invitation": invitation, "manager": manager, "admin": admin, "org": org,
            "first_link": _link(smtp_server[0])}


def test_the_invitation_is_audited_with_ids_only(db, invited):
    invitation, org = invited["invitation"], invited["org"]
    assert _events(db, "invitation_send") == [(invited["manager"].id,
                                               f"invitation={invitation.id} organisations={org.id}")]
    assert "cook@" not in str(_events(db, "invitation_send"))


def test_the_list_shows_invitations_waiting_with_a_send_again_button(client, invited, html_page):
    page = html_page(client.get("/manage/invitations"))
    assert page.status_code == 200 and page.heading == "Invitations to providers"
    section = page.select_one("section.hg-listing-row")
    assert "cook@kitchen.example" in section.get_text() and "Kentish Kitchen" in section.get_text()
    form = section.select_one("form")
    assert form["action"] == f"/manage/invitations/{invited['invitation'].id}/resend"
    assert "Send again" in form.get_text()


def test_sending_again_too_soon_is_refused_then_allowed_and_the_old_link_stops_working(
        app, client, db, invited, smtp_server, frozen_clock, html_page):
    invitation = invited["invitation"]
    frozen_clock(NOW + timedelta(minutes=4))
    page = html_page(client.post(f"/manage/invitations/{invitation.id}/resend"))
    assert page.status_code == 400 and page.title.startswith("Error:")
    assert "You can send it again in 6 minutes" in page.text(".govuk-error-summary")
    assert len(smtp_server) == 1
    frozen_clock(NOW + timedelta(minutes=10))
    response = client.post(f"/manage/invitations/{invitation.id}/resend", follow_redirects=True)
    assert response.status_code == 200
    assert "The link in the earlier e-mail no longer works" in response.get_data(as_text=True)
    assert len(smtp_server) == 2 and smtp_server[1]["To"] == "cook@kitchen.example"
    new_link = _link(smtp_server[1])
    assert new_link != invited["first_link"]
    assert _events(db, "invitation_resend") == [(invited["admin"].id, f"invitation={invitation.id}")]
    # Straight after, the limit applies again.
    assert client.post(f"/manage/invitations/{invitation.id}/resend").status_code == 400
    visitor = app.test_client()
    old = visitor.get(invited["first_link"])
    assert old.status_code == 400 and "this link no longer works" in old.get_data(as_text=True)
    assert visitor.post(invited["first_link"], data={"name": "Cook", "password": "apple river cloud",
                                                     "confirm": "apple river cloud"}).status_code == 400
    response = visitor.post(new_link, data={"name": "Cook", "password": "apple river cloud",
                                            "confirm": "apple river cloud"})
    assert response.status_code == 302 and response.headers["Location"] == "/provider/"
    accepted = _events(db, "invitation_accept")
    assert len(accepted) == 1 and accepted[0][1].startswith(f"invitation={invitation.id} user=")


def test_an_accepted_invitation_is_not_listed_or_sent_again(app, client, db, invited, frozen_clock, html_page):
    invitation = invited["invitation"]
    visitor = app.test_client()
    visitor.post(invited["first_link"], data={"name": "Cook", "password": "apple river cloud",
                                              "confirm": "apple river cloud"})
    page = html_page(client.get("/manage/invitations"))
    assert page.select("section.hg-listing-row") == []
    assert page.text("main p.govuk-body:last-of-type") == "No invitations are waiting to be accepted."
    frozen_clock(NOW + timedelta(hours=1))
    response = client.post(f"/manage/invitations/{invitation.id}/resend")
    assert response.status_code == 400 and "already been accepted" in response.get_data(as_text=True)
    assert client.post("/manage/invitations/999999/resend").status_code == 404


def test_only_the_directory_team_and_admins_send_invitations_again(client, build, login, invited, frozen_clock):
    frozen_clock(NOW + timedelta(hours=1))
    client.post("/sign-out")
    login(build.user("provider", "spa", "translator", "partner"))
    assert client.get("/manage/invitations").status_code == 403
    assert client.post(f"/manage/invitations/{invited['invitation'].id}/resend").status_code == 403


def test_links_from_before_versions_were_kept_still_work(app, client, build, db):
    """An invitation e-mailed before this release has no version in its link: it is version 1."""
    from app.accounts import links
    invitation = Invitation(email="early@example.org", organisation_ids=[str(build.organisation().id)])
    db.session.add(invitation)
    db.session.commit()
    with app.test_request_context():
        token = links.serializer("invitation").dumps({"i": invitation.id, "e": invitation.email})
    assert client.get(f"/invitations/{token}").status_code == 200
