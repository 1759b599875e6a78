"""Providers joining: invitations, and requests to join, claim or add an organisation."""
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts.models import User
from app.directory.models import JoinRequest, Organisation


def _link(message):
    return re.search(r"http://[^\s]+", message.get_payload(decode=True).decode()).group(0).replace(
        "http://localhost", "")


def test_manager_invites_a_provider_who_sets_a_password(client, build, login, db, smtp_server):
    org = build.organisation(name="Kentish Kitchen")
    login(build.user("manager"))
    response = client.post("/manage/invite", data={"email": "Cook@Kitchen.example", "organisations": [str(org.id)]})
    assert response.status_code == 302
    client.post("/sign-out")
    link = _link(smtp_server[0])
    assert smtp_server[0]["To"] == "cook@kitchen.example"
    page = client.get(link)
    assert "Set up your account" in page.get_data(as_text=True)
    weak = client.post(link, data={"name": "Cook", "password": "short", "confirm": "short"})
    assert weak.status_code == 400 and "10 characters or more" in weak.get_data(as_text=True)
    mismatch = client.post(link, data={"name": "Cook", "password": "apple river cloud", "confirm": "other"})
    assert "do not match" in mismatch.get_data(as_text=True)
    response = client.post(link, data={"name": "Cook", "password": "apple river cloud", "confirm": "apple river cloud"})
    assert response.headers["Location"] == "/provider/"
    user = db.session.execute(select(User).where(User.email == "cook@kitchen.example")).scalar_one()
    assert user.roles == {"provider"} and [o.name for o in user.organisations] == ["Kentish Kitchen"]
    assert "Kentish Kitchen" in client.get("/provider/").get_data(as_text=True)
    # Single use.
    client.post("/sign-out")
    assert "already been used" in client.get(link).get_data(as_text=True)


@pytest.mark.parametrize("token", ["nonsense", "x" * 600, "eyJpIjoxfQ.bad.sig"])
def test_bad_invitation_links_get_a_clear_page(client, token):
    response = client.get(f"/invitations/{token}")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_expired_invitation(client, build, app, db, monkeypatch):
    import time

    import itsdangerous.timed
    from itsdangerous import URLSafeTimedSerializer

    from app.directory.models import Invitation
    invitation = Invitation(email="late@example.org", organisation_ids=[str(build.organisation().id)])
    db.session.add(invitation)
    db.session.commit()

    eight_days_ago = time.time() - 8 * 86400
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: eight_days_ago)
    token = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="invitation").dumps(
        {"i": invitation.id, "e": invitation.email})
    monkeypatch.undo()
    assert "expired" in client.get(f"/invitations/{token}").get_data(as_text=True)


def test_claiming_an_organisation_and_proposing_a_new_one(client, build, login, db, smtp_server):
    build.organisation(name="Brookfield Befrienders", slug="brookfield")
    page = client.get("/join?organisation=brookfield").get_data(as_text=True)
    assert 'value="brookfield" selected' in page
    assert client.post("/join", data={"name": "", "email": "x"}).status_code == 400
    client.post("/join", data={"name": "Lee", "email": "lee@brookfield.example", "organisation": "brookfield"})
    client.post("/join", data={"name": "Ana", "email": "ana@new.example", "organisation": "",
                               "proposed_name": "Archway Allotment Friends",
                               "proposed_details": "Gardening on Sundays"})
    login(build.user("manager"))
    requests = db.session.execute(select(JoinRequest).order_by(JoinRequest.id)).scalars().all()
    assert client.post(f"/manage/requests/{requests[0].id}/approve").status_code == 302
    assert client.post(f"/manage/requests/{requests[1].id}/decline", data={"reason": ""}).status_code == 400
    assert client.post(f"/manage/requests/{requests[1].id}/decline",
                       data={"reason": "We could not find the group."}).status_code == 302
    recipients = [m["To"] for m in smtp_server]
    assert recipients == ["lee@brookfield.example", "ana@new.example"]
    assert "Brookfield Befrienders" in smtp_server[0].get_payload(decode=True).decode()
    assert "could not find the group" in smtp_server[1].get_payload(decode=True).decode()


def test_approving_a_new_group_creates_it(client, build, login, db, smtp_server):
    client.post("/join", data={"name": "Ana", "email": "ana@new.example", "proposed_name": "Archway Allotment Friends"})
    login(build.user("manager"))
    request_id = db.session.execute(select(JoinRequest.id)).scalar_one()
    client.post(f"/manage/requests/{request_id}/approve")
    assert db.session.execute(select(Organisation).where(Organisation.name == "Archway Allotment Friends")).scalar_one()
    assert len(smtp_server) == 1


def test_an_existing_user_accepts_an_invitation_by_confirming(client, build, login, db, smtp_server):
    org = build.organisation(name="Kentish Kitchen")
    staff = build.user("spa", email="staff@kitchen.example")
    login(build.user("manager"))
    client.post("/manage/invite", data={"email": staff.email, "organisations": [str(org.id)]})
    client.post("/sign-out")
    link = _link(smtp_server[0])
    page = BeautifulSoup(client.get(link).get_data(as_text=True), "html.parser")
    assert page.select_one("form button").get_text(strip=True) == "Add the organisations"
    assert client.post(link).headers["Location"] == "/sign-in"
    db.session.expire_all()
    user = db.session.get(User, staff.id)
    assert user.roles == {"spa", "provider"} and [o.name for o in user.organisations] == ["Kentish Kitchen"]
    assert "already been used" in client.get(link).get_data(as_text=True)


def test_declining_without_a_reason_shows_the_error_on_the_requests_page(client, build, login, db, smtp_server,
                                                                          html_page):
    client.post("/join", data={"name": "Ana", "email": "ana@new.example", "proposed_name": "Archway Allotment Friends"})
    login(build.user("manager"))
    request_id = db.session.execute(select(JoinRequest.id)).scalar_one()
    response = client.post(f"/manage/requests/{request_id}/decline", data={"reason": "   "})
    page = html_page(response)
    assert response.status_code == 400 and page.title.startswith("Error:")
    assert page.select_one(".govuk-error-summary a")["href"] == f"#reason-{request_id}"
    assert "Give a reason, so the person knows why" in page.text(f"#reason-{request_id}-error")
    assert page.select_one("h1").get_text() == "Requests to join"  # the list, not a dead end
    too_long = "Because " + "x" * 2100
    response = client.post(f"/manage/requests/{request_id}/decline", data={"reason": too_long})
    page = html_page(response)
    assert response.status_code == 400 and "2,000 characters or fewer" in page.text(f"#reason-{request_id}-error")
    assert page.select_one(f"#reason-{request_id}").get_text() == too_long  # kept, not cut
    assert db.session.get(JoinRequest, request_id).status == "pending" and not smtp_server


def test_the_decline_e_mail_says_where_to_ask_not_to_reply_to_no_reply(client, build, login, db, smtp_server, app):
    client.post("/join", data={"name": "Ana", "email": "ana@new.example", "proposed_name": "Archway Allotment Friends"})
    login(build.user("manager"))
    request_id = db.session.execute(select(JoinRequest.id)).scalar_one()
    client.post(f"/manage/requests/{request_id}/decline", data={"reason": "We could not find the group."})
    body = smtp_server[0].get_payload(decode=True).decode()
    assert "reply to this e-mail" not in body.lower()
    assert f"e-mail the directory team at {app.config['CONTACT_EMAIL']}" in body
