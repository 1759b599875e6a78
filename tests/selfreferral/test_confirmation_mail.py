"""The e-mail copy of a referral: sent once, by the request that made it, without waiting on a dead mail server."""
import socket
import threading
import time

import pytest
from sqlalchemy import func, select

from app.core import mail
from app.core.mail import OutboxMessage


@pytest.fixture
def others_waiting(db):
    """Three other people's messages already queued (say, while the mail server was down)."""
    for i in range(3):
        mail.queue(f"someone{i}@example.org", "Earlier message", "Hello", kind="test")
    db.session.commit()


@pytest.fixture
def dead_mail_server(app):
    """A server that accepts the connection and then never says a word, like one that has hung."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = listener.getsockname()
        try:
            yield
        finally:
            app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old


def test_the_request_sends_only_its_own_confirmation(client, db, refer, journey_token, others_waiting, smtp_server,
                                                     runner):
    refer()
    client.post("/refer/send", data={"journey": journey_token()})
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]
    assert runner.invoke(args=["outbox", "send"]).output == "Sent 3; 0 still waiting.\n"


def test_a_double_submit_sends_one_confirmation(app, client, db, refer, journey_token, smtp_server):
    refer()
    token = journey_token()
    cookie = client.get_cookie("session").value
    start = threading.Barrier(4)
    statuses = []

    def send():
        other = app.test_client()
        other.set_cookie("session", cookie)
        start.wait()
        statuses.append(other.post("/refer/send", data={"journey": token}).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [302] * 4
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]


def test_a_hung_mail_server_does_not_hold_up_the_resident(app, client, db, refer, journey_token, others_waiting,
                                                          dead_mail_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_REQUEST_TIMEOUT", 1)
    refer()
    started = time.monotonic()
    response = client.post("/refer/send", data={"journey": journey_token()})
    assert response.status_code == 302 and response.headers["Location"] == "/refer/sent"
    assert time.monotonic() - started < 4
    db.session.expire_all()
    rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)).all()
    # The others' mail was not touched; the resident's copy waits for `flask outbox send`.
    assert [tuple(row) for row in rows] == [("pending", 0)] * 3 + [("pending", 1)]
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 4


def test_requests_use_a_short_mail_timeout(app):
    assert 0 < app.config["MAIL_REQUEST_TIMEOUT"] <= 5
