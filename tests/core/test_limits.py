"""Rate limits: per account, session and journey, with a generous per-address ceiling; no count for success."""
import pytest

from app import create_app
from tests.builders import Builders
from tests.selfreferral.conftest import VALID


@pytest.fixture
def limited(_session_app, tmp_path, db):
    """An app with the limiter on (it is one object per process: left off again afterwards)."""
    from app.extensions import limiter
    config = dict(_session_app.config)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", SEARCH_INDEX_DIR=str(tmp_path / "i"),
                  WTF_CSRF_ENABLED=False, PROXY_COUNT=1)  # as behind one reverse proxy
    app = create_app(config)
    try:
        yield app
    finally:
        limiter.reset()
        limiter.enabled = False
        with app.app_context():
            db.engine.dispose()


def _sign_in(client, email, password, address):
    return client.post("/sign-in", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_sign_in_attempts_are_counted_per_account_from_any_address(limited):
    client = limited.test_client()
    statuses = [_sign_in(client, "victim@test.example", "wrong-guess", f"10.0.0.{n}") for n in range(1, 13)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    # Another account from the same addresses is not locked out by it.
    assert _sign_in(client, "other@test.example", "wrong-guess", "10.0.0.1") == 401


def test_successful_sign_ins_are_not_counted(limited, build):
    user = build.user("spa")
    email = user.email
    from app.extensions import db
    db.session.commit()
    for _ in range(15):
        client = limited.test_client()
        assert _sign_in(client, email, Builders.PASSWORD, "10.1.1.1") == 302


def _refer(client, address):
    env = {"REMOTE_ADDR": address}
    client.post("/refer/start", environ_base=env)
    for step, data in VALID.items():
        assert client.post(f"/refer/{step}", data=data, environ_base=env).status_code == 302
    import re
    body = client.get("/refer/check", environ_base=env).get_data(as_text=True)
    token = re.search(r'name="journey" value="([^"]+)"', body).group(1)
    return client.post("/refer/send", data={"journey": token}, environ_base=env)


def test_a_shared_address_is_not_blocked_after_five_referrals(limited):
    with limited.app_context():
        statuses = [_refer(limited.test_client(), "192.0.2.10").status_code for _ in range(8)]
    assert statuses == [302] * 8


def test_one_browser_session_is_limited(limited):
    client = limited.test_client()
    with limited.app_context():
        statuses = [_refer(client, f"192.0.2.{n}").status_code for n in range(1, 8)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]


def test_the_per_address_ceiling_still_applies(limited):
    limited.config["RATELIMIT_REFERRAL_PER_ADDRESS"] = "3 per hour"  # this app only
    with limited.app_context():
        statuses = [_refer(limited.test_client(), "192.0.2.20").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_behind_a_proxy_each_client_address_is_counted(limited):
    limited.config.update(RATELIMIT_SIGN_IN_PER_ADDRESS="2 per hour")  # this app only
    client = limited.test_client()

    def attempt(n, forwarded):
        return client.post("/sign-in", data={"email": f"user{n}@test.example", "password": "wrong-guess"},
                           environ_base={"REMOTE_ADDR": "10.9.9.9"}, headers={"X-Forwarded-For": forwarded}).status_code
    # Everyone arrives from the proxy's address; the proxy says who they are.
    assert [attempt(n, f"198.51.100.{n}") for n in range(1, 6)] == [401] * 5


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(_session_app, tmp_path, db):
    from app.extensions import limiter
    config = dict(_session_app.config)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", SEARCH_INDEX_DIR=str(tmp_path / "i"),
                  RATELIMIT_SIGN_IN_PER_ADDRESS="2 per hour", PROXY_COUNT=0)
    app = create_app(config)
    try:
        client = app.test_client()
        statuses = [client.post("/sign-in", data={"email": f"u{n}@test.example", "password": "wrong-guess"},
                                headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code for n in range(3)]
        assert statuses == [401, 401, 429]
    finally:
        limiter.reset()
        limiter.enabled = False
        with app.app_context():
            db.engine.dispose()
