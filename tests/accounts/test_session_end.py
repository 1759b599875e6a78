"""Signing out, changing a password and deactivation end every copy of a session, on the server: a copied
session cookie or remember-me cookie gets the sign-in page afterwards."""
import pytest
from flask_login.utils import encode_cookie

from tests.builders import Builders

NEW_PASSWORD = "fresh passphrase one"


def _copy_of(app, client):
    """Another browser holding a copy of this one's cookies."""
    thief = app.test_client()
    for name in ("session", app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _remembered(app, user):
    """A browser with only a remember-me cookie for this user, as login_user(remember=True) would set."""
    browser = app.test_client()
    browser.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), encode_cookie(user.get_id()))
    return browser


def _signed_out(response):
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def _sign_out(client, app, user):
    assert client.post("/sign-out").status_code == 302


def _change_password(client, app, user):
    response = client.post("/account/password", data={"current": Builders.PASSWORD, "password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302


def _deactivate(client, app, user):
    result = app.test_cli_runner().invoke(args=["users", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    # Even if the account is let back in, the old copies stay dead.
    result = app.test_cli_runner().invoke(args=["users", "activate", user.email])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("end", [_sign_out, _change_password, _deactivate], ids=lambda f: f.__name__[1:])
def test_a_copied_session_stops_working(app, client, build, login, end):
    user = build.user("spa")
    login(user)
    copy, remembered = _copy_of(app, client), _remembered(app, user)
    assert copy.get("/spa/").status_code == 200 and remembered.get("/spa/").status_code == 200
    end(client, app, user)
    assert _signed_out(copy.get("/spa/"))
    assert _signed_out(remembered.get("/spa/"))


def test_after_a_password_change_this_browser_stays_signed_in(client, build, login):
    login(build.user("spa"))
    _change_password(client, None, None)
    assert client.get("/spa/").status_code == 200


def test_signing_out_ends_the_session_in_this_browser_too(client, build, login):
    login(build.user("spa"))
    _sign_out(client, None, None)
    assert _signed_out(client.get("/spa/"))


def test_a_deactivated_user_cannot_sign_in(client, build, runner):
    user = build.user("spa")
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    response = client.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
    assert response.status_code == 401
    assert runner.invoke(args=["users", "deactivate", "nobody@test.example"]).exit_code != 0
