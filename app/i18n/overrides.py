"""Translators' edits as a layer over the shipped catalogues, kept in the database.

The shipped .po/.mo files are read-only at run time (a deploy from git replaces them). Each save adds a version
of one message to translation_override; the newest is merged over the compiled catalogue when a worker loads a
language. A worker notices a new version by the table's highest id, one query on two indexed columns a request.

An override gives way when the shipped catalogue has changed that message since it was written (a newer text
committed to git wins), and is a harmless no-op once `flask translate export` has put it in the .po file.
"""
import logging

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.extensions import db
from app.i18n.models import AddedLanguage, TranslationOverride

log = logging.getLogger(__name__)


class ConcurrentEdit(Exception):
    """Someone else saved the same message at the same moment."""


def is_plural(message):
    return isinstance(message.id, (list, tuple))


def shipped_strings(message, num_plurals):
    """What the compiled catalogue serves for a .po message: nothing for a fuzzy one (compile leaves it out)."""
    count = num_plurals if is_plural(message) else 1
    if message.fuzzy:
        return [""] * count
    strings = list(message.string) if is_plural(message) else [message.string]
    return [s or "" for s in strings] + [""] * (count - len(strings))


def in_force(override, shipped):
    """True when the override still speaks for this message: the shipped text is the one it was written over
    (or already the override's own text)."""
    return shipped in (list(override.shipped_strings or []), list(override.strings or []))


def _read(query, fallback):
    """A read of the overrides that cannot take a page down: if the database fails (or is not migrated yet),
    the shipped catalogues are served and the page's own queries meet the problem, as they would anyway."""
    try:
        return query()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("Translators' edits could not be read: serving the shipped catalogues", exc_info=True)
        return fallback


def stamp():
    """Changes whenever an override is saved (the newest id and time, both indexed, so two cheap look-ups) or a
    language is added on the web (the count of a table of a few rows)."""
    # Scalar subqueries: each max() is then read from its index's end (one select with both would scan).
    newest_id = select(func.max(TranslationOverride.id)).scalar_subquery()
    newest_at = select(func.max(TranslationOverride.at)).scalar_subquery()
    added = select(func.count()).select_from(AddedLanguage).scalar_subquery()
    return _read(lambda: tuple(db.session.execute(select(newest_id, newest_at, added)).one()), None)


def current(code):
    """The newest version of each overridden message of a language, by message key."""
    def query():
        rows = db.session.execute(select(TranslationOverride).where(
            TranslationOverride.language == code, TranslationOverride.current.is_(True))).scalars()
        return {row.message_key: row for row in rows}
    return _read(query, {})


def effective(message, num_plurals, found):
    """(strings, overridden) for a .po message, given the language's current overrides (from current())."""
    from app.i18n.catalogues import message_key
    shipped = shipped_strings(message, num_plurals)
    override = found.get(message_key(message))
    if override is not None and in_force(override, shipped):
        return list(override.strings), True
    return shipped, False


def record(code, message, strings, shipped, user, source="editor"):
    """Add a new current version of a message; the caller commits. Raises ConcurrentEdit on a clash."""
    from app.i18n.catalogues import message_key
    key = message_key(message)
    newest = db.session.execute(select(func.max(TranslationOverride.version)).where(
        TranslationOverride.language == code, TranslationOverride.message_key == key)).scalar() or 0
    db.session.execute(update(TranslationOverride).where(
        TranslationOverride.language == code, TranslationOverride.message_key == key,
        TranslationOverride.current.is_(True)).values(current=False))
    ids = list(message.id) if is_plural(message) else [message.id]
    row = TranslationOverride(language=code, message_key=key, context=message.context or "", msgid=ids[0],
                              msgid_plural=ids[1] if len(ids) > 1 else "", strings=list(strings),
                              shipped_strings=list(shipped), version=newest + 1, current=True, source=source,
                              user_id=getattr(user, "id", None))
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ConcurrentEdit from None
    return row


def merge_into(translations, code):
    """Lay a language's current overrides over its compiled catalogue (a babel Translations, changed in place)."""
    catalog = translations._catalog
    for override in current(code).values():
        base = f"{override.context}\x04{override.msgid}" if override.context else override.msgid
        keys = [(base, index) for index in range(len(override.strings))] if override.msgid_plural else [base]
        if in_force(override, [catalog.get(k, "") for k in keys]):
            for k, text in zip(keys, override.strings, strict=True):
                catalog[k] = text


def init_app(app):
    """A translator's save changes every page in that language: the public pages' cache starts again."""
    from app.core import dataversion
    from app.i18n.models import LanguageReview
    dataversion.watch(TranslationOverride, LanguageReview, AddedLanguage,
                      counters=(dataversion.PAGES, dataversion.TRANSLATIONS))
