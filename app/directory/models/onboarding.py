"""Invitations to providers, and requests to join, claim or add an organisation."""
from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core.db import CodeList, utcnow
from app.extensions import db

JOIN_REQUEST_STATUSES = ("pending", "approved", "declined")
# The only changes a request's status may make: it is decided once, either way.
JOIN_REQUEST_TRANSITIONS = {"pending": {"approved", "declined"}}


class StatusTransitionError(ValueError):
    pass


class Invitation(db.Model):
    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_ids = mapped_column(CodeList, default=list)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(DateTime, default=utcnow)
    accepted_at = mapped_column(DateTime, nullable=True)
    # Sending it again moves the version on, so the links in earlier e-mails stop working.
    link_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    sent_at = mapped_column(DateTime, nullable=True)  # when it was last sent again; None: only at created_at

    invited_by = relationship("User")

    @property
    def last_sent_at(self):
        return self.sent_at or self.created_at


class JoinRequest(db.Model):
    """Someone asks to look after an organisation's listings, or proposes a new organisation."""

    __tablename__ = "join_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), index=True)
    role_at_org: Mapped[str] = mapped_column(String(120), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                        nullable=True)
    proposed_name: Mapped[str] = mapped_column(String(200), default="")
    proposed_details: Mapped[str] = mapped_column(Text, default="")
    message: Mapped[str] = mapped_column(Text, default="")
    # Stored as text with a CHECK constraint (ck_join_request_status), the same on SQLite and PostgreSQL.
    status: Mapped[str] = mapped_column(
        Enum(*JOIN_REQUEST_STATUSES, name="status", native_enum=False, create_constraint=True, length=12),
        default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(DateTime, default=utcnow)
    decided_at = mapped_column(DateTime, nullable=True)

    organisation = relationship("Organisation")

    @staticmethod
    def may_change(current, new):
        """The one check of a status change; a new request may start in any known status."""
        if current is None:
            return new in JOIN_REQUEST_STATUSES
        return new in JOIN_REQUEST_TRANSITIONS.get(current, set())

    @validates("status")
    def _check_status_change(self, _key, new):
        if not self.may_change(self.status, new):
            raise StatusTransitionError(f"A request to join cannot go from {self.status!r} to {new!r}")
        return new
