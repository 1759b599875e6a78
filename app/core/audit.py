"""The audit log: who read or changed what, and when. It holds no personal answers."""
import hashlib
import hmac

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """Who looked at or changed which referral, and when. Holds no personal answers."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    referral_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    # The record's label people know it by (a referral's HG- reference), never an internal id.
    record: Mapped[str] = mapped_column(String(60), default="", server_default="")
    detail: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")


def log(action, user=None, record="", detail="", referral_id=None):
    """Add an event to the session; the caller commits."""
    event = AuditEvent(user_id=getattr(user, "id", None), action=action[:40], record=(record or "")[:60],
                       detail=(detail or "")[:500], referral_id=referral_id)
    db.session.add(event)
    return event


def email_digest(email):
    """A keyed, non-reversible digest of an address typed by someone who may not be a user: failed attempts on one
    address can be told apart without the log holding the address."""
    key = current_app.config["SECRET_KEY"].encode()
    normalised = (email or "").strip().lower().encode("utf-8", "replace")
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()[:16]
