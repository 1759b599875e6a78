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
# "published": the version that was live before the history began (recorded on first need, or by migration 0017).
REVISION_KINDS = ("create", "edit", "capacity", "verify", "restore", "import", "manager_edit", "published")


def _load(text):
    return json.loads(text) if text else None


def _dump(value):
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


class Revision(db.Model):
    """A change to a service (with its places and times) or an organisation, or a version that went live.

    A provider's change waits as 'pending' until a directory manager applies it: `snapshot` is the whole
    listing as the provider left it, `base` the values the proposed fields had when the provider started
    (its keys are the fields the change proposes) and `base_version` the version they started from.
    Every version that went live keeps `before` and `after`, so any earlier one can be restored.
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
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_json = mapped_column(Text, nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the version it became, once live
    before_json = mapped_column(Text, nullable=True)
    after_json = mapped_column(Text, nullable=True)
    # A manager's edits before approving: {field: {"proposed": the provider's text, "approved": what went live}}.
    edits_json = mapped_column(Text, nullable=True)

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

    @property
    def base(self):
        """The proposed fields' values when the change was started; None for a change from before 0017."""
        return _load(self.base_json)

    @base.setter
    def base(self, value):
        self.base_json = _dump(value)

    @property
    def before(self):
        return _load(self.before_json)

    @before.setter
    def before(self, value):
        self.before_json = _dump(value)

    @property
    def after(self):
        """The whole live listing once this version went live (older rows: their snapshot)."""
        return _load(self.after_json) if self.after_json else (self.snapshot if self.status == "applied" else None)

    @after.setter
    def after(self, value):
        self.after_json = _dump(value)

    @property
    def edits(self):
        return _load(self.edits_json) or {}

    @edits.setter
    def edits(self, value):
        self.edits_json = _dump(value or None)


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
