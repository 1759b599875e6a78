"""The reset form must not tell, by how long it takes, whether an address has an account."""
import statistics
import time
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from app.core.mail import OutboxMessage

KNOWN, UNKNOWN = "staff@test.example", "nobody@test.example"
ROUNDS = 30


def _post_ms(url, email):
    data = urllib.parse.urlencode({"email": email}).encode()
    start = time.perf_counter()
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        body = response.read().decode()
    elapsed = (time.perf_counter() - start) * 1000
    assert "Check your e-mail" in body
    return elapsed


def _medians(url):
    for email in (KNOWN, UNKNOWN, KNOWN, UNKNOWN):  # warm up
        _post_ms(url, email)
    known, unknown = [], []
    for _ in range(ROUNDS):  # interleaved, so drift in the machine's load hits both alike
        known.append(_post_ms(url, KNOWN))
        unknown.append(_post_ms(url, UNKNOWN))
    return statistics.median(known), statistics.median(unknown)


@pytest.fixture
def after_response(app, monkeypatch):
    # As in production: the test client never closes a response, so the suite otherwise sends before answering.
    monkeypatch.setitem(app.config, "MAIL_SEND_AFTER_RESPONSE", True)


def _wait_for(received, count):
    deadline = time.monotonic() + 20
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(received)


def test_known_and_unknown_addresses_take_the_same_time(app, build, live_server, smtp_server, artifacts_dir,
                                                       after_response):
    build.user("spa", email=KNOWN)
    known, unknown = _medians(live_server + "/reset-password")
    line = f"reset form, median of {ROUNDS} over HTTP: known {known:.1f} ms, unknown {unknown:.1f} ms\n"
    (artifacts_dir / "reset_timing.txt").write_text(line)
    print(line)
    assert _wait_for(smtp_server, ROUNDS + 2) == ROUNDS + 2  # the known address was really sent its e-mails
    assert abs(known - unknown) < 20 and known < unknown * 3 + 5, line


def test_a_pages_mail_is_sent_once_the_page_is_delivered(app, client, build, db, smtp_server, after_response):
    build.user("spa", email=KNOWN)
    response = client.post("/reset-password", data={"email": KNOWN})
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert smtp_server == []  # not while the person waits for the page
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # nor even looked up and queued
    response.close()  # what the WSGI server does once the page is sent
    assert [message["To"] for message in smtp_server] == [KNOWN]
    assert "/reset-password/" in smtp_server[0].get_payload(decode=True).decode()


def test_mail_a_closed_page_could_not_send_waits_in_the_outbox(app, client, build, db, runner, after_response):
    build.user("spa", email=KNOWN)
    client.post("/reset-password", data={"email": KNOWN}).close()  # nothing listens on the test MAIL_PORT
    assert runner.invoke(args=["outbox", "send"]).output == "Sent 0; 1 still waiting.\n"


def test_a_failure_after_the_response_is_logged_without_the_address(app, client, caplog, monkeypatch,
                                                                    after_response):
    from app.accounts import services

    def request_reset(email):
        raise ValueError(email)

    monkeypatch.setattr(services, "request_reset", request_reset)
    response = client.post("/reset-password", data={"email": KNOWN})
    assert response.status_code == 200
    response.close()
    assert "request_reset after the response failed: ValueError" in caplog.text and KNOWN not in caplog.text
