"""Revisions of listings and organisations, reports from the public, and reminder bookkeeping."""
import json

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core import crypto
from app.core.db import utcnow
from app.directory.models import statuses
from app.directory.models.statuses import ChangeStatus
from app.extensions import db

REVISION_STATUSES = tuple(status.value for status in ChangeStatus)
REVISION_KINDS = ("create", "edit", "capacity", "verify", "restore", "import", "manager_edit")


class Revision(db.Model):
    """A full snapshot of a service (with its places and times) or an organisation.

    Providers' edits wait as 'pending' until a directory manager applies them; every applied
    snapshot stays as history, so any earlier version can be restored.
    """

    __tablename__ = "revision"
    __table_args__ = (statuses.check_constraint(ChangeStatus),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(20), index=True)  # service | organisation
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="edit")
    status: Mapped[str] = mapped_column(String(12), default=ChangeStatus.PENDING.value, index=True)
    snapshot_json: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    submitted_at = mapped_column(DateTime, default=utcnow, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    decided_at = mapped_column(DateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")

    organisation = relationship("Organisation")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @validates("status")
    def _allowed_status(self, key, value):
        return statuses.check("change", self.status, value)

    @property
    def snapshot(self):
        return json.loads(self.snapshot_json)

    @snapshot.setter
    def snapshot(self, value):
        self.snapshot_json = json.dumps(value, sort_keys=True, default=str)


class ProblemReport(db.Model):
    """'Report a problem with this listing', from anyone."""

    __tablename__ = "problem_report"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    problem: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text, default="")
    reporter_encrypted = mapped_column(LargeBinary, nullable=True)  # optional e-mail address
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_at = mapped_column(DateTime, default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    resolved_at = mapped_column(DateTime, nullable=True)
    # The reporter's interface language, so a reply reaches them in it.
    language: Mapped[str] = mapped_column(String(12), default="en", server_default="en")
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)  # problems.OUTCOMES
    outcome_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    replied_at = mapped_column(DateTime, nullable=True)

    service = relationship("Service")
    resolved_by = relationship("User")

    reporter_email = crypto.EncryptedField("reporter_encrypted", "")


class ReminderLog(db.Model):
    """One freshness digest sent to one provider: never twice in the same week."""

    __tablename__ = "reminder_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    sent_at = mapped_column(DateTime, default=utcnow, index=True)
    service_count: Mapped[int] = mapped_column(Integer, default=0)
