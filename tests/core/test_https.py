"""HSTS only on HTTPS, and X-Forwarded-* trusted only from as many proxies as PROXY_COUNT says."""
import pytest

from app import create_app
from app.core import limits
from tests.conftest import _test_config

HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture
def site(app, tmp_path):
    """A second app, as create_app builds it for a given PROXY_COUNT, with a page that shows the rate-limit key."""
    made_apps = []

    def _site(proxy_count):
        config = _test_config(tmp_path) | {"PROXY_COUNT": proxy_count}
        made = create_app(config)
        made.add_url_rule("/address-key-test", "address_key_test", lambda: limits.address_key())
        made_apps.append(made)
        return made.test_client()
    yield _site
    # Every request reads the translations' stamp from the database: close the second app's connections.
    from app.extensions import db
    for made in made_apps:
        with made.app_context():
            db.engine.dispose()


def test_hsts_is_sent_behind_a_trusted_https_proxy(site):
    response = site(1).get("/address-key-test", headers={"X-Forwarded-Proto": "https",
                                                         "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert response.get_data(as_text=True) == "address:203.0.113.9"


def test_no_hsts_over_plain_http_behind_a_proxy(site):
    response = site(1).get("/address-key-test", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_the_app_itself_is_reached_over_https(client):
    assert client.get("/healthz", base_url="https://localhost").headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


def test_without_a_proxy_forged_forwarding_headers_change_nothing(site):
    response = site(0).get("/address-key-test", headers={"X-Forwarded-Proto": "https",
                                                         "X-Forwarded-For": "203.0.113.9"},
                           environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert "Strict-Transport-Security" not in response.headers
    assert response.get_data(as_text=True) == "address:198.51.100.7"
