"""Listings in other languages."""
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core.db import utcnow
from app.directory.models import statuses
from app.directory.models.statuses import ChangeStatus
from app.extensions import db


class ServiceTranslation(db.Model):
    """A listing's words in another language, written by its provider or a translator."""

    __tablename__ = "service_translation"
    __table_args__ = (UniqueConstraint("service_id", "language"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str | None] = mapped_column(Text, nullable=True)  # app/directory/rendered.py
    access_text: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    service = relationship("Service", backref="translations")


class TranslationChange(db.Model):
    """A provider's translation waiting for a directory manager (or sent back to them with a reason). Only an
    approved one becomes the ServiceTranslation the public reads; this table is never shown or searched."""

    __tablename__ = "translation_change"
    __table_args__ = (statuses.check_constraint(ChangeStatus),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    access_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    eligibility: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(12), default=ChangeStatus.PENDING.value,
                                        server_default=ChangeStatus.PENDING.value, index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    submitted_at = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    decided_at = mapped_column(DateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    service = relationship("Service")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

    @validates("status")
    def _allowed_status(self, key, value):
        return statuses.check("change", self.status, value)
