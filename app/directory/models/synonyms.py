"""Translators' edits to the search synonym lists, kept in the database over the shipped files
(app/directory/search/synonyms_data/<language>.txt), so a deploy from git keeps them."""
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import utcnow
from app.extensions import db


class SearchSynonymEdit(db.Model):
    """One version of one synonym group of a language: a shipped group edited or removed, or a group added.

    Every save adds a version; only the newest (current) counts, the older ones are the history."""

    __tablename__ = "search_synonym_edit"
    # Two workers saving the same group at once cannot both write the same version.
    __table_args__ = (UniqueConstraint("language", "group_key", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    language: Mapped[str] = mapped_column(String(20))
    group_key: Mapped[str] = mapped_column(String(16))
    triggers = mapped_column(JSON)  # the words a resident types
    expansions = mapped_column(JSON)  # the words listings use
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The shipped line this edit was made over ("" for an added group): a later change in git wins.
    shipped_line: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    at = mapped_column(DateTime, default=utcnow, index=True)

    user = relationship("User")
