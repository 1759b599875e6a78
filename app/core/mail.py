"""E-mail goes through an outbox table: written in the same transaction as the change it reports,
then sent over SMTP. A mail server that is down never loses the change; the scheduled sender (`flask jobs
run`, every 30 seconds) or `flask outbox send` retries.

A message is claimed (pending -> sending, one conditional UPDATE) before it is sent, so two senders
running at once never send it twice. A web request sends only what it queued itself, once committed and
once its page has been delivered, with a short timeout; `flask outbox send` sends everything else.
"""
import functools
import logging
import re
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import after_this_request, current_app, render_template
from flask_babel import force_locale, get_locale
from sqlalchemy import DateTime, Integer, LargeBinary, String, event, func, inspect, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.core import crypto
from app.core.clock import local_today, now_utc
from app.core.db import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# A sender that died between claiming and finishing: `flask outbox send` offers its message again after this.
CLAIM_EXPIRES = timedelta(minutes=15)
QUEUED, COMMITTED = "outbox_queued", "outbox_committed"


@crypto.encrypted("envelope")
class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Recipient, subject and body may be personal: encrypted like everything else about a person.
    envelope = mapped_column(LargeBinary, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), default="")
    # pending -> sending (claimed by one sender) -> sent, back to pending to retry, or failed.
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at = mapped_column(DateTime, default=utcnow)
    claimed_at = mapped_column(DateTime, nullable=True)
    sent_at = mapped_column(DateTime, nullable=True)


def queue(to, subject, body, kind="", language=None):
    """Add a message to the outbox in the current transaction (the caller commits)."""
    envelope = {"to": to, "subject": subject, "body": body, "language": language}
    message = OutboxMessage(envelope=crypto.encrypt(envelope), kind=kind)
    db.session.add(message)
    db.session.info.setdefault(QUEUED, []).append(message)
    return message


def queue_email(to, subject, template, *, language=None, kind=None, **context):
    """Render `template` in `language` (the site's default if None) and add it to the outbox in the current
    transaction. `subject` may be a lazy string: it is rendered in the same language. The caller commits.

    Every message ends with the date it was written and the site's address (email/_footer.txt)."""
    language = language or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    with force_locale(language):
        body = render_template(template, **context).rstrip()
        footer = render_template("email/_footer.txt", site_url=current_app.config.get("SITE_URL") or "",
                                 today=local_today()).strip()
        body, subject = f"{body}\n\n{footer}\n", str(subject)
        if (get_locale() and get_locale().text_direction) == "rtl":
            body, subject = isolate_ltr_runs(body), isolate_ltr_runs(subject)
        return queue(to, subject, body, kind=kind or template.rsplit("/", 1)[-1].split(".")[0], language=language)


# Runs that must read left to right inside right-to-left text: references, addresses, e-mail addresses,
# and numbers in parts (07700 900321, 116 123, 09:00) whose parts would otherwise swap places.
_LTR_RUN = re.compile(r"\bHG-[A-Z0-9-]+|https?://\S+|[^\s@<>()]+@[^\s@<>()]+\.\w+|\+?\d+(?:[ :.\-–]\d+)+")
LRI, PDI = "\u2066", "\u2069"


def isolate_ltr_runs(text):
    """Plain text for a right-to-left e-mail: each left-to-right run between LRI and PDI marks."""
    return _LTR_RUN.sub(lambda m: LRI + m.group(0).rstrip(".,") + PDI + m.group(0)[len(m.group(0).rstrip(".,")):],
                        text)


@event.listens_for(db.session, "after_commit")
def _committed(session):
    session.info.setdefault(COMMITTED, []).extend(session.info.pop(QUEUED, []))


@event.listens_for(db.session, "after_rollback")
def _rolled_back(session):
    session.info.pop(QUEUED, None)


def init_app(app):
    app.before_request(_forget_mail_queued_elsewhere)
    app.after_request(_send_after_request)


def _forget_mail_queued_elsewhere():
    # A request starts with a new session in production; where one outlives a request (tests hold an app
    # context open), what was queued before is someone else's to send.
    if db.session.registry.has():
        db.session.info.pop(QUEUED, None)
        db.session.info.pop(COMMITTED, None)


def _send_after_request(response):
    if not db.session.registry.has():  # only requests that used the database can have queued mail
        return response
    if not current_app.config.get("MAIL_SEND_AFTER_RESPONSE", True):
        send_queued()
        return response
    ids = _committed_ids()
    if ids:
        # Sent once the server has delivered the page (WSGI close), so a page that sends mail answers as fast
        # as one that does not: the reset form's timing must not tell whether an address has an account.
        response.call_on_close(functools.partial(_send_in_new_context, current_app._get_current_object(), ids))
    return response


def _send_in_new_context(app, ids):
    with app.app_context():  # the request's context and session are gone by now
        _send_ids(ids)


def after_response(job, *args):
    """Run `job(*args)` once the page has been delivered, in its own app context, then commit and send the mail
    it queued. The page takes the same time whatever the job finds (the reset form: known address or not)."""
    app = current_app._get_current_object()
    if not app.config.get("MAIL_SEND_AFTER_RESPONSE", True):
        _run(job, args)
        return

    @after_this_request
    def _later(response):
        response.call_on_close(functools.partial(_run_in_new_context, app, job, args))
        return response


def _run_in_new_context(app, job, args):
    with app.app_context():
        _run(job, args)


def _run(job, args):
    try:
        job(*args)
        db.session.commit()
    except Exception as exc:  # the page is already sent: log the kind of failure, never the arguments
        db.session.rollback()
        log.warning("%s after the response failed: %s", job.__name__, type(exc).__name__)
        return
    send_queued()


def _committed_ids():
    committed = db.session.info.pop(COMMITTED, [])
    return [inspect(message).identity[0] for message in committed if inspect(message).persistent]


def send_queued():
    """Send what this request or command queued and committed itself. A mail server that is down or hung costs
    one short timeout; whatever is not sent stays pending for `flask outbox send`. Returns (sent, not sent);
    never raises: mail must not break the page that reported the change."""
    return _send_ids(_committed_ids())


def _send_ids(ids):
    if not ids:
        return 0, 0
    try:
        sent, _failed = _send(ids, current_app.config["MAIL_REQUEST_TIMEOUT"], give_up_on_connection_error=True)
    except Exception:
        db.session.rollback()
        log.warning("Outbox send failed; %s message(s) stay queued", len(ids))
        sent = 0
    return sent, len(ids) - sent


def send_pending(limit=50, give_up_on_connection_error=False, reclaim_after=CLAIM_EXPIRES):
    """Offer again messages whose sender died mid-send (claimed longer than `reclaim_after` ago), then try every
    pending message once (or until the server turns out unreachable, with `give_up_on_connection_error`: the
    scheduled sender, which tries again in 30 seconds). Returns (sent, failed). Never raises for a mail problem.

    A web worker killed between its claim and the mail server's answer leaves its message claimed; by default
    it waits out CLAIM_EXPIRES, since a sender may still be busy with it. `reclaim_after=timedelta(0)` offers
    it at once: only for when no other sender can be running (the site stopped, or restarted after a crash).
    A sender killed after the mail server took the message but before recording it means one more copy."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= now_utc() - reclaim_after)
        .values(status="pending").execution_options(synchronize_session=False))
    db.session.commit()
    ids = db.session.execute(
        select(OutboxMessage.id).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id).limit(limit)
    ).scalars().all()
    return _send(ids, current_app.config["MAIL_TIMEOUT"], give_up_on_connection_error)


def oldest_unsent_age(now=None):
    """Seconds the oldest message still waiting to go (pending or being sent) has waited, or None."""
    oldest = db.session.execute(select(func.min(OutboxMessage.created_at)).where(
        OutboxMessage.status.in_(("pending", "sending")))).scalar()
    if oldest is None:
        return None
    return max(0, int(((now or now_utc()) - oldest).total_seconds()))


def _claim(message_id):
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending")
        .values(status="sending", claimed_at=now_utc(), attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)).rowcount == 1
    # Committed before talking to the mail server, so any other sender sees the claim and skips the message.
    db.session.commit()
    return claimed


def _send(ids, timeout, give_up_on_connection_error=False):
    sent = failed = 0
    for message_id in ids:
        if not _claim(message_id):
            continue  # another sender has it
        message = db.session.get(OutboxMessage, message_id, populate_existing=True)
        try:
            _send_one(message, timeout)
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            _record_failure(message, exc)
            if give_up_on_connection_error and _unreachable(exc):
                break  # the server is unreachable: the rest would only wait out the same timeout
        else:
            message.status, message.sent_at = "sent", now_utc()
            sent += 1
            db.session.commit()
    return sent, failed


def _record_failure(message, exc):
    # The reason only: never the address or the content.
    message.last_error = type(exc).__name__
    # Only a server that refused the message uses up its attempts: one that could not be reached says nothing
    # about the message, which waits (however long that takes, with the scheduled sender retrying).
    gave_up = message.attempts >= MAX_ATTEMPTS and not _unreachable(exc)
    message.status = "failed" if gave_up else "pending"
    db.session.commit()
    log.warning("Outbox message %s not sent (attempt %s): %s", message.id, message.attempts, type(exc).__name__)


def _unreachable(exc):
    if isinstance(exc, (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _send_one(message, timeout):
    envelope = crypto.decrypt(message.envelope)
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = envelope["to"]
    email["Subject"] = envelope["subject"]
    email["Message-ID"] = make_msgid(domain="hidden-gems.example")
    email["Date"] = formatdate(localtime=False)
    # Older messages in the outbox have no language: they were all written in the default.
    language = envelope.get("language") or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    email.set_content(envelope["body"])
    email["Content-Language"] = str(language).replace("_", "-")  # after set_content, which drops Content-*
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)
