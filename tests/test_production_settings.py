"""The site runs as production unless APP_ENV=development, and production refuses unsafe settings."""
import pytest
from flask import session

from app import create_app
from tests.conftest import TEST_KEY

DEFAULT_SECRET = "dev-only-change-me"
SITE = "https://gems.borough.example"
CONTACTS = {"SPA_DUTY_EMAIL": "duty@borough.example", "CHILDREN_SERVICES_PHONE": "020 7123 4567",
            "CONTACT_PHONE": "020 7123 0000", "CONTACT_EMAIL": "gems@borough.example",
            "DATA_PROTECTION_EMAIL": "dpo@borough.example"}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """create_app from the environment alone, as gunicorn and `flask` do, with a throwaway database."""
    for name in ("APP_ENV", "SECRET_KEY", "PERSONAL_DATA_KEYS", "SESSION_COOKIE_SECURE", "SITE_URL", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'site.sqlite'}")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SEARCH_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    for name, value in CONTACTS.items():
        monkeypatch.setenv(name, value)

    def _create(**environ):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return create_app()
    return _create


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET, ""])
def test_production_refuses_the_default_or_a_missing_secret_key(site, secret):
    environ = {"APP_ENV": "production", "PERSONAL_DATA_KEYS": TEST_KEY, "SITE_URL": SITE}
    if secret is not None:
        environ["SECRET_KEY"] = secret
    with pytest.raises(RuntimeError) as refused:
        site(**environ)
    message = str(refused.value)
    assert "SECRET_KEY" in message and "PERSONAL_DATA_KEYS" not in message and "\n" not in message


def test_production_refuses_to_start_without_personal_data_keys(site):
    with pytest.raises(RuntimeError, match="PERSONAL_DATA_KEYS") as refused:
        site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", SITE_URL=SITE)
    assert "SECRET_KEY" not in str(refused.value).replace("PERSONAL_DATA_KEYS", "")


def test_without_app_env_the_site_is_production(site):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        site()


def test_production_with_a_secret_and_keys_starts_with_secure_cookies(site):
    app = site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY,
               SITE_URL=SITE)
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]

    @app.route("/remember-something")
    def remember_something():
        session["seen"] = True
        return ""

    cookie = app.test_client().get("/remember-something", base_url=SITE).headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_development_accepts_the_default_secret_without_secure_cookies(site):
    app = site(APP_ENV="development")
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET
    assert not app.config["SESSION_COOKIE_SECURE"]


@pytest.mark.parametrize("site_url", [None, "", "gems.borough.example", "ftp://gems.borough.example"])
def test_production_refuses_to_start_without_a_site_url(site, site_url):
    environ = {"APP_ENV": "production", "SECRET_KEY": "a-long-random-production-secret", "PERSONAL_DATA_KEYS": TEST_KEY}
    if site_url is not None:
        environ["SITE_URL"] = site_url
    with pytest.raises(RuntimeError, match="SITE_URL") as refused:
        site(**environ)
    assert "SECRET_KEY" not in str(refused.value) and "PERSONAL_DATA_KEYS" not in str(refused.value)


def test_production_answers_only_for_the_site_urls_host(site):
    app = site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY,
               SITE_URL=SITE + "/")
    assert app.config["SITE_URL"] == SITE and app.config["TRUSTED_HOSTS"] == ["gems.borough.example"]
    client = app.test_client()
    assert client.get("/sign-in", base_url="http://localhost").status_code == 400
    assert client.get("/sign-in", base_url=SITE).status_code == 200


def test_trusted_hosts_can_be_listed(site):
    app = site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY,
               SITE_URL=SITE, TRUSTED_HOSTS="gems.borough.example, .internal.example")
    assert app.config["TRUSTED_HOSTS"] == ["gems.borough.example", ".internal.example"]
    assert app.test_client().get("/sign-in", base_url="http://web-1.internal.example").status_code == 200


def test_production_refuses_rate_limits_kept_in_each_process(site, monkeypatch):
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI") as refused:
        site(APP_ENV="production", SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY,
             SITE_URL=SITE)
    assert "SECRET_KEY" not in str(refused.value)


@pytest.mark.parametrize("name", sorted(CONTACTS))
def test_production_refuses_to_start_without_the_services_real_contacts(site, monkeypatch, name):
    """A placeholder duty inbox or phone number would send someone who needs help nowhere."""
    monkeypatch.delenv(name)
    with pytest.raises(RuntimeError) as refused:
        site(SECRET_KEY="a-long-random-production-secret", PERSONAL_DATA_KEYS=TEST_KEY, SITE_URL=SITE)
    assert name in str(refused.value) and "020 7946" not in str(refused.value)


def test_development_keeps_placeholder_contacts(site, monkeypatch):
    for name in CONTACTS:
        monkeypatch.delenv(name)
    app = site(APP_ENV="development")
    assert app.config["CONTACT_PHONE"] == "020 7946 0000" and app.config["SPA_DUTY_EMAIL"]
