"""E-mailed links come from SITE_URL, never from the request's Host header, and unknown hosts are refused."""
import re

import pytest
from sqlalchemy import select

from app.core import crypto
from app.core.mail import OutboxMessage
from tests.builders import Builders

SITE = "https://gems.borough.example"


def _outbox_links(db):
    bodies = [crypto.decrypt(m.envelope)["body"] for m in db.session.execute(select(OutboxMessage)).scalars()]
    links = [link for body in bodies for link in re.findall(r"https?://\S+", body)]
    # Every e-mail ends with the site's own address; it must be SITE_URL too, whatever the Host.
    assert all(link.startswith(SITE) for link in links), links
    return [link for link in links if link != SITE]


@pytest.fixture
def site_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", SITE)
    # Host checking off, so the test shows the links do not follow Host even when a host gets through.
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", None)
    return SITE


@pytest.mark.parametrize("host", ["evil.example", "localhost", "gems.borough.example:8443"])
def test_reset_link_comes_from_site_url_whatever_the_host(client, build, db, site_url, host):
    build.user("spa", email="staff@test.example")
    response = client.post("/reset-password", data={"email": "staff@test.example"}, headers={"Host": host})
    assert response.status_code == 200
    links = _outbox_links(db)
    assert len(links) == 1 and links[0].startswith(SITE + "/reset-password/"), links


@pytest.mark.parametrize("host", ["evil.example", "localhost"])
def test_invitation_link_comes_from_site_url_whatever_the_host(client, build, db, site_url, host):
    manager, org = build.user("manager"), build.organisation()
    base = f"http://{host}"  # the session cookie belongs to the host it was set for
    assert client.post("/sign-in", data={"email": manager.email, "password": Builders.PASSWORD},
                       base_url=base).status_code == 302
    response = client.post("/manage/invite", data={"email": "cook@kitchen.example", "organisations": [str(org.id)]},
                           base_url=base)
    assert response.status_code == 302
    links = _outbox_links(db)
    assert len(links) == 1 and links[0].startswith(SITE + "/invitations/"), links


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example:5000"])
def test_a_request_for_an_unknown_host_is_refused_with_the_error_page(client, build, db, host, html_page):
    build.user("spa", email="staff@test.example")
    for response in (client.get("/", headers={"Host": host}),
                     client.post("/reset-password", data={"email": "staff@test.example"}, headers={"Host": host})):
        assert response.status_code == 400
        assert html_page(response).heading == "Sorry, there is a problem with that request"
    assert _outbox_links(db) == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000"])
def test_development_hosts_are_served(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200
