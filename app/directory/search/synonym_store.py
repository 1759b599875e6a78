"""Translators' synonym edits as a layer over the shipped lists, kept in the database (as app/i18n/overrides.py
does for catalogue strings).

A worker keeps each language's merged list in memory with the edits' version stamp (the newest id and time,
both indexed), and reads the lists again when a search finds the stamp changed: an edit counts from the next
search in every worker, with no restart. An edit made over a shipped group gives way when a deploy changes
that group's line in the shipped file (the newer text from git wins)."""
import logging
import threading
import time

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.directory.models import SearchSynonymEdit
from app.directory.search.synonyms import Group, entries_from, shipped_groups, words
from app.extensions import db

log = logging.getLogger(__name__)
_lock = threading.Lock()
STATE = "search_synonyms"


class ConcurrentEdit(Exception):
    """Someone else saved the same group at the same moment."""


def _read(query, fallback):
    """A read that cannot take a search down: with no database (or before the migration) the shipped lists serve."""
    try:
        return query()
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("Synonym edits could not be read: searching with the shipped lists", exc_info=True)
        return fallback


def stamp():
    newest_id = select(func.max(SearchSynonymEdit.id)).scalar_subquery()
    newest_at = select(func.max(SearchSynonymEdit.at)).scalar_subquery()
    return _read(lambda: tuple(db.session.execute(select(newest_id, newest_at)).one()), None)


def current_edits(language):
    def query():
        rows = db.session.execute(select(SearchSynonymEdit).where(
            SearchSynonymEdit.language == language, SearchSynonymEdit.current.is_(True))
            .order_by(SearchSynonymEdit.id)).scalars()
        return list(rows)
    return _read(query, [])


def groups(language, with_removed=False):
    """The groups a language's searches use now: the shipped ones as edited, then those translators added
    (and, `with_removed`, those removed, which can be changed back)."""
    shipped = shipped_groups(language)
    edits = {row.group_key: row for row in current_edits(language)}
    merged = []
    for group in shipped:
        row = edits.pop(group.key, None)
        if row is None or row.shipped_line != group.shipped_line:
            merged.append(group)
        elif with_removed or not row.removed:
            merged.append(Group(group.key, tuple(row.triggers), tuple(row.expansions), group.shipped_line,
                                row.removed))
    for row in edits.values():
        # An edit over a line git has since changed is dropped.
        if not row.shipped_line and (with_removed or not row.removed):
            merged.append(Group(row.group_key, tuple(row.triggers), tuple(row.expansions), removed=row.removed))
    return merged


def _state():
    """This worker's merged lists, reloaded when the edits' stamp has changed (checked once per request)."""
    from flask import g, has_request_context
    in_request = has_request_context()
    state = current_app.extensions.get(STATE)
    # In a request: once per request. Elsewhere (commands, benchmarks): at most once a second.
    checked = g.get("search_synonyms_checked") if in_request else (
        state is not None and time.monotonic() - state["checked_at"] < 1.0)
    if state is None or not checked:
        current = stamp()
        if state is None or state["stamp"] != current:
            with _lock:
                state = current_app.extensions[STATE] = {"stamp": current, "entries": {}, "vocabulary": {}}
        state["checked_at"] = time.monotonic()
        if in_request:
            g.search_synonyms_checked = True
    return state


def _forget_check():
    from flask import g
    g.pop("search_synonyms_checked", None)


def init_app(app):
    app.before_request(_forget_check)


def effective_entries(language):
    state = _state()
    found = state["entries"].get(language)
    if found is None:
        found = state["entries"][language] = entries_from(groups(language))
    return found


def effective_vocabulary(language):
    state = _state()
    found = state["vocabulary"].get(language)
    if found is None:
        found = state["vocabulary"][language] = frozenset(
            word for trigger, _expansions in effective_entries(language) for word in trigger)
    return found


def history(language, key, limit=10):
    return db.session.execute(select(SearchSynonymEdit).where(
        SearchSynonymEdit.language == language, SearchSynonymEdit.group_key == key)
        .order_by(SearchSynonymEdit.version.desc()).limit(limit)).scalars().all()


def record(language, key, triggers, expansions, user, removed=False, shipped_line=""):
    """Add a new current version of a group; the caller commits. Raises ConcurrentEdit on a clash."""
    newest = db.session.execute(select(func.max(SearchSynonymEdit.version)).where(
        SearchSynonymEdit.language == language, SearchSynonymEdit.group_key == key)).scalar() or 0
    db.session.execute(update(SearchSynonymEdit).where(
        SearchSynonymEdit.language == language, SearchSynonymEdit.group_key == key,
        SearchSynonymEdit.current.is_(True)).values(current=False))
    row = SearchSynonymEdit(language=language, group_key=key, triggers=list(triggers), expansions=list(expansions),
                            removed=removed, shipped_line=shipped_line, version=newest + 1, current=True,
                            user_id=getattr(user, "id", None))
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ConcurrentEdit from None
    return row


def trigger_owner(language, trigger, except_key=None):
    """The group that already has this trigger (as words), or None."""
    wanted = tuple(words(trigger))
    for group in groups(language):
        if group.key != except_key and any(tuple(words(t)) == wanted for t in group.triggers):
            return group
    return None
