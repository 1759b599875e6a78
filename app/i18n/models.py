"""Who changed which translation, and each language pack's review state."""
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db


class TranslationEdit(db.Model):
    __tablename__ = "translation_edit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(20), index=True)
    msgid: Mapped[str] = mapped_column(Text)
    old_text: Mapped[str] = mapped_column(Text, default="")
    new_text: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(12), default="editor")  # editor | upload
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    at = mapped_column(DateTime, default=utcnow, index=True)

    user = relationship("User")


class LanguageReview(db.Model):
    __tablename__ = "language_review"
    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="awaiting")  # awaiting | reviewed
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    reviewed_at = mapped_column(DateTime, nullable=True)

    reviewed_by = relationship("User")
