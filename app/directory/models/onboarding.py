"""Invitations to providers, and requests to join, claim or add an organisation."""
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import CodeList, utcnow
from app.extensions import db


class Invitation(db.Model):
    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_ids = mapped_column(CodeList, default=list)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(DateTime, default=utcnow)
    accepted_at = mapped_column(DateTime, nullable=True)

    invited_by = relationship("User")


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
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at = mapped_column(DateTime, default=utcnow)
    decided_at = mapped_column(DateTime, nullable=True)

    organisation = relationship("Organisation")
