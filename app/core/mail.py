"""E-mail goes through an outbox table: written in the same transaction as the change it reports,
then sent over SMTP. A mail server that is down never loses the change; `flask outbox send` retries."""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import DateTime, Integer, LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core import crypto
from app.extensions import db
from app.core.db import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@crypto.encrypted("envelope")
class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Recipient, subject and body may be personal: encrypted like everything else about a person.
    envelope = mapped_column(LargeBinary, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    created_at = mapped_column(DateTime, default=utcnow)
    sent_at = mapped_column(DateTime, nullable=True)


def queue(to, subject, body, kind=""):
    """Add a message to the outbox in the current transaction (the caller commits)."""
    message = OutboxMessage(envelope=crypto.encrypt({"to": to, "subject": subject, "body": body}), kind=kind)
    db.session.add(message)
    return message


def queue_email(to, subject, template, *, language=None, kind=None, **context):
    """Render `template` in `language` (the site's default if None) and add it to the outbox in the current
    transaction. `subject` may be a lazy string: it is rendered in the same language. The caller commits."""
    with force_locale(language or current_app.config.get("BABEL_DEFAULT_LOCALE", "en")):
        body = render_template(template, **context)
        return queue(to, str(subject), body, kind=kind or template.rsplit("/", 1)[-1].split(".")[0])


def _send_one(message):
    envelope = crypto.decrypt(message.envelope)
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = envelope["to"]
    email["Subject"] = envelope["subject"]
    email["Message-ID"] = make_msgid(domain="hidden-gems.example")
    email.set_content(envelope["body"])
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def send_pending(limit=50):
    """Try every pending message once. Returns (sent, failed). Never raises for a mail problem."""
    sent = failed = 0
    pending = db.session.execute(
        select(OutboxMessage).where(OutboxMessage.status == "pending").order_by(OutboxMessage.id).limit(limit)
    ).scalars().all()
    for message in pending:
        message.attempts += 1
        try:
            _send_one(message)
        except (OSError, smtplib.SMTPException) as exc:
            # The reason only: never the address or the content.
            message.last_error = type(exc).__name__
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            failed += 1
            log.warning("Outbox message %s not sent (attempt %s): %s", message.id, message.attempts,
                        type(exc).__name__)
        else:
            message.status, message.sent_at = "sent", utcnow()
            sent += 1
        db.session.commit()
    return sent, failed
