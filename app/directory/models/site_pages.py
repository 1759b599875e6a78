"""The site's information pages (privacy notice, accessibility statement, contact), one row per language."""
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db


class SitePage(db.Model):
    """A page's title and body (limited Markdown) in one language, as a manager last saved it."""

    __tablename__ = "site_page"
    __table_args__ = (UniqueConstraint("slug", "language"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    updated_at = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # None: the shipped default text, never edited.
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)

    updated_by = relationship("User")
