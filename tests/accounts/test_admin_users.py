"""The admin's user page (/admin/users/<id>): deactivate and reactivate, add and remove roles, remove
organisations; each change audited, and an admin cannot lock themselves out."""
from sqlalchemy import select

from app.core.audit import AuditEvent
from tests.accounts.test_session_end import _copy_of, _signed_out


def _events(db, action):
    return [(e.user_id, e.detail) for e in
            db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()]


def _signed_in_admin(build, login):
    admin = build.user("admin")
    login(admin)
    return admin


def test_the_list_links_to_each_user_page(client, build, login):
    _signed_in_admin(build, login)
    user = build.user("spa")
    assert f'href="/admin/users/{user.id}"' in client.get("/admin/").get_data(as_text=True)
    page = client.get(f"/admin/users/{user.id}")
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    assert client.get("/admin/users/999999").status_code == 404


def test_deactivating_ends_a_copied_session_and_is_audited(app, client, build, login, db):
    admin = build.user("admin")
    user = build.user("spa")
    user_browser = app.test_client()
    assert user_browser.post("/sign-in", data={"email": user.email, "password": build.PASSWORD}).status_code == 302
    copy = _copy_of(app, user_browser)
    assert copy.get("/spa/").status_code == 200
    login(admin)
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "no", "confirm": "yes"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Deactivated" in response.get_data(as_text=True)
    assert _signed_out(copy.get("/spa/")) and _signed_out(user_browser.get("/spa/"))
    db.session.refresh(user)
    assert not user.active
    assert _events(db, "user_deactivate") == [(admin.id, f"user={user.id}")]
    response = client.post(f"/admin/users/{user.id}/active", data={"active": "yes"}, follow_redirects=True)
    assert "Reactivated" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.active
    assert _signed_out(copy.get("/spa/"))  # the old copy stays dead
    assert _events(db, "user_activate") == [(admin.id, f"user={user.id}")]


def test_removing_a_role_ends_sessions_and_adding_one_works(app, client, build, login, db):
    admin = build.user("admin")
    user = build.user("spa", "manager")
    user_browser = app.test_client()
    user_browser.post("/sign-in", data={"email": user.email, "password": build.PASSWORD})
    login(admin)
    response = client.post(f"/admin/users/{user.id}/roles/remove", data={"role": "spa"}, follow_redirects=True)
    assert response.status_code == 200 and "Removed the role" in response.get_data(as_text=True)
    assert _signed_out(user_browser.get("/manage/"))
    db.session.refresh(user)
    assert user.roles == {"manager"}
    response = client.post(f"/admin/users/{user.id}/roles", data={"role": "translator"}, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.roles == {"manager", "translator"}
    assert _events(db, "user_role_remove") == [(admin.id, f"user={user.id} role=spa")]
    assert _events(db, "user_role_add") == [(admin.id, f"user={user.id} role=translator")]


def test_removing_an_organisation(client, build, login, db):
    admin = _signed_in_admin(build, login)
    org = build.organisation()
    user = build.user("provider", organisations=[org])
    assert org.name in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{user.id}/organisations/remove",
                           data={"organisation": org.id, "confirm": "yes"}, follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.organisations == []
    assert _events(db, "user_org_remove") == [(admin.id, f"user={user.id} organisation={org.id}")]


def test_an_admin_cannot_lock_themselves_out(client, build, login, db):
    admin = _signed_in_admin(build, login)
    response = client.post(f"/admin/users/{admin.id}/active", data={"active": "no", "confirm": "yes"})
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    response = client.post(f"/admin/users/{admin.id}/roles/remove", data={"role": "admin"})
    assert response.status_code == 400
    assert "You cannot remove your own administrator role" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active and admin.roles == {"admin"}
    assert client.get("/admin/").status_code == 200
    assert _events(db, "user_deactivate") == [] and _events(db, "user_role_remove") == []


def test_removing_another_of_ones_own_roles_keeps_this_session(client, build, login, db):
    admin = build.user("admin", "spa")
    login(admin)
    assert client.post(f"/admin/users/{admin.id}/roles/remove", data={"role": "spa"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_bad_input_is_a_clear_400(client, build, login):
    _signed_in_admin(build, login)
    user = build.user("spa")
    for path, data in (("active", {}), ("active", {"active": "maybe"}), ("roles", {"role": "wizard"}),
                       ("roles", {"role": "spa"}), ("roles/remove", {"role": "manager"}),
                       ("organisations/remove", {"organisation": "x"}),
                       ("organisations/remove", {"organisation": "999999"})):
        response = client.post(f"/admin/users/{user.id}/{path}", data=data)
        assert response.status_code == 400, (path, data)
        assert "govuk-error-summary" in response.get_data(as_text=True), (path, data)


def test_only_admins(client, build, login):
    login(build.user("spa", "manager"))
    user = build.user("spa")
    assert client.get(f"/admin/users/{user.id}").status_code == 403
    assert client.post(f"/admin/users/{user.id}/active", data={"active": "no"}).status_code == 403
