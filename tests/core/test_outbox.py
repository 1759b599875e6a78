"""The outbox against a real SMTP server: each message goes out once, however many senders run at once."""
import threading
from datetime import timedelta

from sqlalchemy import select

from app.core import clock, mail
from app.core.mail import OutboxMessage


def _queue(db, count):
    for i in range(count):
        mail.queue(f"person{i}@example.org", f"Message {i}", "Hello", kind="test")
    db.session.commit()


def test_parallel_senders_send_each_message_once(app, db, smtp_server):
    _queue(db, 12)
    start = threading.Barrier(4)
    errors = []

    def sender():
        try:
            with app.app_context():
                start.wait()
                mail.send_pending()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(m["To"] for m in smtp_server) == sorted(f"person{i}@example.org" for i in range(12))
    db.session.expire_all()
    assert {m.status for m in db.session.execute(select(OutboxMessage)).scalars()} == {"sent"}


def test_outbox_send_sends_what_waits_and_recovers_abandoned_sends(app, db, runner, smtp_server):
    _queue(db, 3)
    abandoned, in_progress, waiting = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    # A sender that died mid-send 20 minutes ago, and one that is busy with its message right now.
    abandoned.status, abandoned.claimed_at = "sending", clock.now_utc() - timedelta(minutes=20)
    in_progress.status, in_progress.claimed_at = "sending", clock.now_utc() - timedelta(seconds=30)
    db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert result.output == "Sent 2; 0 still waiting.\n"
    assert sorted(m["To"] for m in smtp_server) == ["person0@example.org", "person2@example.org"]
    db.session.expire_all()
    assert [m.status for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()] == [
        "sent", "sending", "sent"]


def test_a_failed_send_stays_pending_and_counts_the_attempt(app, db, runner):
    _queue(db, 1)
    result = runner.invoke(args=["outbox", "send"])  # nothing listens on the test MAIL_PORT
    assert result.output == "Sent 0; 1 still waiting.\n"
    message = db.session.execute(select(OutboxMessage)).scalar_one()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "ConnectionRefusedError")


def test_sending_what_was_queued_here_stops_at_an_unreachable_server(app, db):
    _queue(db, 3)
    assert mail.send_queued() == (0, 3)  # nothing listens on the test MAIL_PORT
    attempts = db.session.execute(select(OutboxMessage.attempts).order_by(OutboxMessage.id)).scalars().all()
    assert attempts == [1, 0, 0]  # the other two wait for `flask outbox send`, not for another timeout
    assert mail.send_queued() == (0, 0)  # and they are not this caller's to retry


def test_mail_rolled_back_with_its_change_is_never_sent(app, db, smtp_server):
    mail.queue("someone@example.org", "Never", "Hello")
    db.session.rollback()
    _queue(db, 1)
    assert mail.send_queued() == (1, 0)
    assert [m["To"] for m in smtp_server] == ["person0@example.org"]


def test_a_refused_message_uses_up_its_attempts_without_holding_back_the_rest(app, db):
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class RefuseBad(Message):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("bad"):
                return "550 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(RefuseBad(), hostname="127.0.0.1", port=port)
    controller.start()
    old_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = port
    try:
        mail.queue("bad@example.org", "Hi", "Hello")
        mail.queue("good@example.org", "Hi", "Hello")
        db.session.commit()
        first = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().first()
        first.attempts = mail.MAX_ATTEMPTS - 1
        db.session.commit()
        assert mail.send_pending(give_up_on_connection_error=True) == (1, 1)
    finally:
        controller.stop()
        app.config["MAIL_PORT"] = old_port
    assert [m["To"] for m in received] == ["good@example.org"]
    db.session.expire_all()
    assert db.session.execute(select(OutboxMessage.status).order_by(OutboxMessage.id)).scalars().all() == [
        "failed", "sent"]


def test_reclaim_sends_at_once_what_a_killed_sender_left_claimed(app, db, runner, smtp_server):
    # A web worker killed (kill -9) between claiming its message and the mail server's answer.
    _queue(db, 2)
    killed, waiting = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()
    killed.status, killed.claimed_at, killed.attempts = "sending", clock.now_utc() - timedelta(seconds=5), 1
    db.session.commit()
    assert runner.invoke(args=["outbox", "send"]).output == "Sent 1; 0 still waiting.\n"  # it may still be busy
    assert [m["To"] for m in smtp_server] == ["person1@example.org"]
    # Once the site is stopped or restarted, nothing can still be sending it.
    assert runner.invoke(args=["outbox", "send", "--reclaim"]).output == "Sent 1; 0 still waiting.\n"
    assert runner.invoke(args=["outbox", "send", "--reclaim"]).output == "Sent 0; 0 still waiting.\n"
    assert sorted(m["To"] for m in smtp_server) == ["person0@example.org", "person1@example.org"]
    db.session.expire_all()
    assert db.session.get(OutboxMessage, killed.id).status == "sent"
    assert db.session.get(OutboxMessage, killed.id).attempts == 2
