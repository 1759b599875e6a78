"""Listings in other languages."""
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
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
