"""Password reset and change, and the rules a new password must meet."""
import re

import pytest

from app.accounts.passwords import password_problems
from tests.builders import Builders


def _link(message):
    return re.search(r"http://[^\s]+", message.get_payload(decode=True).decode()).group(0).replace(
        "http://localhost", "")


def test_password_reset_is_single_use_and_signs_out_everywhere(client, app, build, login, smtp_server):
    user = build.user("spa", email="staff@test.example")
    other_device = app.test_client()
    other_device.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
    assert other_device.get("/spa/").status_code == 200
    response = client.post("/reset-password", data={"email": "STAFF@test.example"})
    assert "Check your e-mail" in response.get_data(as_text=True)
    unknown = client.post("/reset-password", data={"email": "nobody@test.example"})
    assert "Check your e-mail" in unknown.get_data(as_text=True)  # no hint whether an account exists
    assert len(smtp_server) == 1
    link = _link(smtp_server[0])
    response = client.post(link, data={"password": "new long passphrase", "confirm": "new long passphrase"})
    assert response.headers["Location"] == "/sign-in"
    assert other_device.get("/spa/").status_code == 302  # signed out everywhere
    assert client.get(link).status_code == 400  # used
    assert client.post("/sign-in", data={"email": user.email, "password": "new long passphrase"}).status_code == 302


def test_change_password_keeps_this_session_but_ends_others(client, app, build, login):
    user = build.user("manager")
    login(user)
    other = app.test_client()
    other.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
    wrong = client.post("/account/password", data={"current": "nope", "password": "fresh passphrase one",
                                                   "confirm": "fresh passphrase one"})
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    client.post("/account/password", data={"current": Builders.PASSWORD, "password": "fresh passphrase one",
                                           "confirm": "fresh passphrase one"})
    assert client.get("/manage/").status_code == 200
    assert other.get("/manage/").status_code == 302


@pytest.mark.parametrize("password, email, problem", [
    ("short", "", "10 characters"), ("aaaaaaaaaaaa", "", "too easy"), ("password123", "", "too easy"),
    ("sam.smith-2026!", "sam.smith@example.org", "email address"),
])
def test_password_rules_are_plain(password, email, problem):
    assert any(problem in str(p) for p in password_problems(password, email))
    assert password_problems("correct horse battery staple", "sam@example.org") == []


def test_sessions_expire(app, client, build, login):
    login(build.user("spa"))
    with client.session_transaction() as session:
        assert session.permanent
    assert app.permanent_session_lifetime.total_seconds() == app.config["PERMANENT_SESSION_LIFETIME"]
