import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.accounts.passwords import verify_password
from tests.builders import Builders

# Every protected route, and the roles allowed on it.
PROTECTED = {
    "/provider/": {"provider"},
    "/manage/": {"manager", "admin"},
    "/spa/": {"spa"},
    "/translate/": {"translator", "admin"},
    "/admin/": {"admin"},
    "/admin/audit": {"admin"},
    "/spa/shared": {"partner"},
    "/spa/reports/": {"spa"},
    "/manage/changes": {"manager", "admin"},
    "/manage/problems": {"manager", "admin"},
    "/manage/organisations": {"manager", "admin"},
    "/manage/requests": {"manager", "admin"},
    "/manage/invite": {"manager", "admin"},
    "/manage/stale": {"manager", "admin"},
    "/manage/csv/": {"manager", "admin"},
    "/manage/csv/export.csv": {"manager", "admin"},
    "/account/password": set(ROLES_ALL := ("provider", "manager", "spa", "partner", "translator", "admin")),
    "/spa/reports/export.csv": {"spa"},
}
ROLES = ("provider", "manager", "spa", "partner", "translator", "admin")


def test_passwords_are_hashed_with_argon2(app, build):
    user = build.user("spa")
    assert user.password_hash.startswith("$argon2")
    assert Builders.PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, Builders.PASSWORD)
    assert not verify_password(user.password_hash, "wrong")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_can_sign_in_and_lands_on_its_own_page(client, build, role):
    user = build.user(role)
    response = client.post("/sign-in", data={"email": user.email.upper(), "password": Builders.PASSWORD})
    assert response.status_code == 302
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 200


@pytest.mark.parametrize("path", sorted(PROTECTED))
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(PROTECTED))
def test_every_role_against_every_protected_route(client, build, login, role, path):
    login(build.user(role))
    expected = 200 if role in PROTECTED[path] else 403
    response = client.get(path)
    assert response.status_code == expected
    if expected == 403:
        assert "You do not have permission" in response.get_data(as_text=True)


def test_wrong_password_gets_a_plain_error_and_no_session(client, build):
    user = build.user("manager")
    response = client.post("/sign-in", data={"email": user.email, "password": "not it"})
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "email address or password is not right" in body
    assert client.get("/manage/").status_code == 302


def test_unknown_email_gets_the_same_error(client):
    response = client.post("/sign-in", data={"email": "nobody@test.example", "password": "whatever123"})
    assert response.status_code == 401
    assert "email address or password is not right" in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"email": "", "password": ""}, "Enter your email address"),
    ({"email": "not-an-email", "password": "x"}, "correct format"),
    ({"email": "a@b.example", "password": ""}, "Enter your password"),
    ({"email": "a@b.example" * 50, "password": "x"}, "254 characters or fewer"),
])
def test_sign_in_validation_errors_link_to_the_field(client, data, message):
    response = client.post("/sign-in", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert "govuk-error-summary" in body
    assert "Error:" in body


def test_inactive_user_cannot_sign_in(client, build, db):
    user = build.user("spa")
    user.active = False
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
    assert response.status_code == 401


def test_next_only_redirects_within_the_site(client, build):
    user = build.user("manager")
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/sign-in?next={bad}", data={"email": user.email, "password": Builders.PASSWORD})
        assert "evil" not in response.headers["Location"]
        client.post("/sign-out")
    response = client.post("/sign-in?next=/manage/", data={"email": user.email, "password": Builders.PASSWORD})
    assert response.headers["Location"] == "/manage/"


def test_sign_out_needs_post_and_ends_the_session(client, build, login):
    login(build.user("spa"))
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/spa/").status_code == 302


def test_rotating_the_session_token_signs_out_everywhere(client, build, login, db):
    user = build.user("spa")
    login(user)
    assert client.get("/spa/").status_code == 200
    user.session_token = "rotated"
    db.session.commit()
    assert client.get("/spa/").status_code == 302


def test_forms_are_csrf_protected(app, build):
    app.config["WTF_CSRF_ENABLED"] = True
    user = build.user("spa")
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)


def test_sign_in_is_rate_limited(_session_app, tmp_path):
    from app.extensions import db, limiter
    config = dict(_session_app.config)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", SEARCH_INDEX_DIR=str(tmp_path / "i"),
                  WTF_CSRF_ENABLED=False)
    limited = create_app(config)
    try:
        client = limited.test_client()
        statuses = [client.post("/sign-in", data={"email": "x@test.example", "password": "nope-nope"}).status_code
                    for _ in range(11)]
        assert statuses[:10] == [401] * 10
        assert statuses[10] == 429
        assert "Too many attempts" in client.post("/sign-in", data={"email": "x@test.example"}).get_data(as_text=True)
    finally:
        # The limiter is one object per process; leave it as the other tests expect it.
        limiter.reset()
        limiter.enabled = False
        with limited.app_context():
            db.engine.dispose()


def test_users_create_command(runner, build, db):
    org = build.organisation(slug="kentish-kitchen")
    result = runner.invoke(args=["users", "create", "New.Provider@Test.example", "--role", "provider",
                                 "--org", "kentish-kitchen", "--password", "a-long-password"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(select(User).where(User.email == "new.provider@test.example")).scalar_one()
    assert user.roles == {"provider"} and [o.id for o in user.organisations] == [org.id]


@pytest.mark.parametrize("args, message", [
    (["--role", "wizard", "--password", "a-long-password"], "Invalid value for '--role'"),
    (["--role", "spa", "--password", "short"], "10 characters or more"),
    (["--role", "provider", "--org", "no-such-org", "--password", "a-long-password"], "No organisation"),
])
def test_users_create_rejects_bad_input(runner, args, message):
    result = runner.invoke(args=["users", "create", "someone@test.example", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_users_create_refuses_a_duplicate(runner, build):
    user = build.user("spa")
    result = runner.invoke(args=["users", "create", user.email, "--role", "spa", "--password", "a-long-password"])
    assert result.exit_code != 0 and "already exists" in result.output
