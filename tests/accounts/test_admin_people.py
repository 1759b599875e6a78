"""Admins manage people: deactivation and removal are confirmed first, the last active administrator stays one,
a deactivated person's links stop working, role changes take effect at once, and /admin/ links to the other
staff pages."""
import pytest
from sqlalchemy import select

from app.accounts import services
from app.core.audit import AuditEvent
from tests.accounts.test_session_end import _signed_out


def _actions(db, action):
    return [(e.user_id, e.detail) for e in
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()]


@pytest.fixture
def admin(build, login):
    user = build.user("admin")
    login(user)
    return user


def test_admin_home_links_to_the_audit_log_directory_management_and_translations(client, admin, html_page):
    page = html_page(client.get("/admin/"))
    links = {a["href"] for a in page.select("main a")}
    assert {"/admin/audit", "/manage/", "/translate/", "/manage/invitations", "/admin/partners"} <= links


def test_deactivation_is_confirmed_before_it_happens(client, admin, build, db, html_page):
    user = build.user("provider")
    page = html_page(client.get(f"/admin/users/{user.id}"))
    link = page.select_one("a.govuk-button--warning")
    assert link["href"] == f"/admin/users/{user.id}/deactivate"
    confirm = html_page(client.get(link["href"]))
    assert confirm.status_code == 200 and confirm.select_one("h1").get_text() == f"Deactivate {user.email}?"
    assert confirm.select_one("h1 bdi[dir=ltr]").get_text() == user.email  # kept left to right in Arabic
    assert confirm.title.startswith(f"Deactivate {user.email}?")
    assert "signed out everywhere at once" in confirm.select_one(".govuk-warning-text").get_text()
    form = confirm.select_one("main form")
    assert form["action"] == f"/admin/users/{user.id}/active"
    assert {i["name"]: i["value"] for i in form.select("input[type=hidden]") if i["name"] != "csrf_token"} == \
        {"active": "no", "confirm": "yes"}
    assert confirm.select_one(f"main form a[href='/admin/users/{user.id}']").get_text(strip=True) == "Cancel"
    # A POST without the confirmation (an old page, a crafted form) only asks the question.
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "no"})
    assert response.status_code == 303 and response.headers["Location"] == f"/admin/users/{user.id}/deactivate"
    db.session.refresh(user)
    assert user.active and _actions(db, "user_deactivate") == []
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.active
    # Already deactivated: the question is not asked again.
    assert client.get(f"/admin/users/{user.id}/deactivate").headers["Location"] == f"/admin/users/{user.id}"


def test_a_deactivated_person_cannot_sign_in_and_only_the_right_password_learns_why(app, client, admin, build):
    user = build.user("provider")
    client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"})
    browser = app.test_client()
    wrong = browser.post("/sign-in", data={"email": user.email, "password": "not the password at all"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 401 and "The email address or password is not right" in body and "closed" not in body
    response = browser.post("/sign-in", data={"email": user.email, "password": build.PASSWORD})
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert "Your account has been closed" in body and app.config["CONTACT_EMAIL"] in body
    assert "The email address or password is not right" not in body and "<title>Error:" in body
    client.post(f"/admin/users/{user.id}/active", data={"active": "yes"})
    assert browser.post("/sign-in", data={"email": user.email, "password": build.PASSWORD}).status_code == 302


def test_a_deactivated_persons_reset_link_and_invitation_stop_working(app, client, admin, build, db):
    manager = build.user("manager")
    org = build.organisation()
    user = build.user("provider")
    reset_token = build.password_reset_token(user)
    invitation_token = build.invitation_token(manager, [org], email=user.email)
    client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"})
    visitor = app.test_client()
    reset = visitor.get(f"/reset-password/{reset_token}")
    assert reset.status_code == 400 and "Ask for a new one" in reset.get_data(as_text=True)
    invitation = visitor.get(f"/invitations/{invitation_token}")
    assert invitation.status_code == 400
    assert "This invitation can no longer be used" in invitation.get_data(as_text=True)
    assert visitor.post(f"/invitations/{invitation_token}").status_code == 400
    db.session.refresh(user)
    assert org not in user.organisations and not user.active
    # Nor can they be invited again until reactivated.
    response = client.post("/manage/invite", data={"email": user.email, "organisations": [str(org.id)]})
    assert response.status_code == 400 and "deactivated" in response.get_data(as_text=True)


@pytest.mark.parametrize("actor_is_admin", [True, False], ids=["by an admin", "on the command line"])
def test_the_last_active_administrator_cannot_be_deactivated_or_demoted(app, build, db, actor_is_admin):
    last = build.user("admin", "manager")
    retired = build.user("admin")
    retired.active = False  # an inactive admin does not count
    db.session.commit()
    actor = build.user("spa") if actor_is_admin else None
    with app.test_request_context():
        with pytest.raises(services.AccountError, match="last active administrator"):
            services.set_active(last, False, actor=actor)
        with pytest.raises(services.AccountError, match="last active administrator"):
            services.remove_role(last, "admin", actor=actor)
        services.remove_role(last, "manager", actor=actor)  # other roles may go
        build.user("admin")  # with another active admin, both are allowed
        services.remove_role(last, "admin", actor=actor)
        services.set_active(last, False, actor=actor)
    assert not last.active and last.roles == set()


def test_the_command_line_refuses_to_deactivate_the_last_admin_in_one_line(runner, build):
    admin = build.user("admin")
    result = runner.invoke(args=["users", "deactivate", admin.email])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: You cannot deactivate the last active administrator. Give someone else "
                                     "the administrator role first.")
    result = runner.invoke(args=["users", "remove-role", admin.email, "admin"])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_an_admin_cannot_demote_or_deactivate_themselves_with_a_clear_error(client, admin, db, html_page):
    page = html_page(client.post(f"/admin/users/{admin.id}/active", data={"active": "no", "confirm": "yes"}))
    assert page.status_code == 400 and page.title.startswith("Error:")
    assert "You cannot deactivate your own account" in page.select_one(".govuk-error-summary").get_text()
    page = html_page(client.post(f"/admin/users/{admin.id}/roles/remove", data={"role": "admin"}))
    assert page.status_code == 400
    db.session.refresh(admin)
    assert admin.active and admin.has_role("admin")


def test_a_new_role_works_at_once_in_a_session_already_open(app, client, admin, build):
    user = build.user("translator")
    browser = app.test_client()
    browser.post("/sign-in", data={"email": user.email, "password": build.PASSWORD})
    assert browser.get("/manage/").status_code == 403
    assert client.post(f"/admin/users/{user.id}/roles", data={"role": "manager"}).status_code == 302
    assert browser.get("/manage/").status_code == 200
    assert client.post(f"/admin/users/{user.id}/roles/remove", data={"role": "manager"}).status_code == 302
    assert _signed_out(browser.get("/manage/"))


def test_removing_an_organisation_is_confirmed_and_leaves_the_account(app, client, admin, build, db, html_page):
    org, other = build.organisation(name="Kentish Town Kitchen"), build.organisation(name="Camden Walkers")
    user = build.user("provider", organisations=[org, other])
    page = html_page(client.get(f"/admin/users/{user.id}"))
    link = f"/admin/users/{user.id}/organisations/{org.id}/remove"
    assert page.select_one(f"a[href='{link}']") is not None
    confirm = html_page(client.get(link))
    assert confirm.select_one("h1").get_text() == f"Stop {user.email} looking after Kentish Town Kitchen?"
    assert "Their account stays as it is" in confirm.text("main")
    assert client.get(f"/admin/users/{user.id}/organisations/999999/remove").status_code == 404
    unconfirmed = client.post(f"/admin/users/{user.id}/organisations/remove", data={"organisation": org.id})
    assert unconfirmed.status_code == 303 and unconfirmed.headers["Location"] == link
    db.session.refresh(user)
    assert org in user.organisations
    client.post(f"/admin/users/{user.id}/organisations/remove", data={"organisation": org.id, "confirm": "yes"})
    db.session.refresh(user)
    assert user.organisations == [other] and user.active and user.roles == {"provider"}
    assert app.test_client().post("/sign-in", data={"email": user.email,
                                                    "password": build.PASSWORD}).status_code == 302
    assert _actions(db, "user_org_remove") == [(admin.id, f"user={user.id} organisation={org.id}")]


def test_others_cannot_reach_the_confirmation_pages(client, build, login):
    login(build.user("manager", "spa", "translator"))
    org = build.organisation()
    user = build.user("provider", organisations=[org])
    assert client.get(f"/admin/users/{user.id}/deactivate").status_code == 403
    assert client.get(f"/admin/users/{user.id}/organisations/{org.id}/remove").status_code == 403
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"}).status_code == 403


def test_the_audit_log_holds_ids_and_roles_not_addresses(client, admin, build, db):
    user = build.user("provider", email="someone.private@test.example")
    client.post(f"/admin/users/{user.id}/roles", data={"role": "translator"})
    client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"})
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action.like("user_%"))).scalars().all()
    assert [(e.action, e.user_id, e.detail) for e in events] == [
        ("user_role_add", admin.id, f"user={user.id} role=translator"),
        ("user_deactivate", admin.id, f"user={user.id}")]
    assert all(e.at is not None and "someone.private" not in e.detail + e.record for e in events)
