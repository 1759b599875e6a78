"""Who changed which translation, the translators' overrides of the shipped catalogues, and each language pack's
review state."""
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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


class TranslationOverride(db.Model):
    """One version of a translator's text for one message, laid over the shipped catalogue when it loads.

    Kept in the database, not in translations/*.po, so a deploy from git keeps it. Every save adds a version;
    only the newest (current) is served, the older ones are the history.
    """

    __tablename__ = "translation_override"
    # Two workers saving the same message at once cannot both write the same version.
    __table_args__ = (UniqueConstraint("language", "message_key", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(20))
    message_key: Mapped[str] = mapped_column(String(12))  # catalogues.message_key: context + msgid(s)
    context: Mapped[str] = mapped_column(Text, default="")
    msgid: Mapped[str] = mapped_column(Text)
    msgid_plural: Mapped[str] = mapped_column(Text, default="")
    strings = mapped_column(JSON)  # one text, or one per plural form
    # What the shipped catalogue said when this was written: a later change there (from git) wins.
    shipped_strings = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
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
    # Why a reviewed pack went back to awaiting review: which text changed, by whom, when.
    note: Mapped[str] = mapped_column(Text, default="", server_default="")

    reviewed_by = relationship("User")


class AddedLanguage(db.Model):
    """A language an admin started on the web. Its catalogue file is rebuilt from the template wherever it is
    missing (a fresh deploy, another app server), and its translations live in translation_override."""

    __tablename__ = "added_language"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    added_at = mapped_column(DateTime, default=utcnow)
