"""The site runs as production unless APP_ENV=development, and production refuses unsafe settings."""
import pytest
from flask import session

from app import create_app
from tests.conftest import TEST_KEY

DEFAULT_SECRET = "dev-only-change-me"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """create_app from the environment alone, as gunicorn and `flask` do, with a throwaway database."""
    for name in ("APP_ENV", "SECRET_KEY", "PERSONAL_DATA_KEYS", "SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'site.sqlite'}")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(tmp_path / "index"))

    def _create(**environ):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return create_app()
    return _create


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET, ""])
def test_production_refuses_the_default_or_a_missing_secret_key(site, secret):
    environ = {"APP_ENV": "production", "PERSONAL_DATA_KEYS": TEST_KEY}
    if secret is not None:
        environ["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError) as refused:
        site(**environ)
    message = str(refused.value)
    assert "SECRET_KEY" in message and "PERSONAL_DATA_KEYS" not in message and "\n" not in message


def test_production_refuses_to_start_without_personal_data_keys(site):
    with pytest.raises(RuntimeError, match="PERSONAL_DATA_KEYS") as refused:
        site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret")
    assert "SECRET_KEY" not in str(refused.value).replace("PERSONAL_DATA_KEYS", "")


def test_without_app_env_the_site_is_production(site):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        site()


def test_production_with_a_secret_and_keys_starts_with_secure_cookies(site):
    app = site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]

    @app.route("/remember-something")
    def remember_something():
        session["seen"] = True
        return ""

    cookie = app.test_client().get("/remember-something").headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_development_accepts_the_default_secret_without_secure_cookies(site):
    app = site(APP_ENV="development")
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET
    assert not app.config["SESSION_COOKIE_SECURE"]
