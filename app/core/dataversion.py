"""Numbers, kept in the database, that go up whenever what the public pages show changes.

Every worker reads them at the start of a request (one small table, one statement), so a page cache keyed by
them (app/core/pagecache.py) shows a published change on the very next request, in every worker. Two counters:
PAGES (anything a public page shows) and TRANSLATIONS (translators' edits: the catalogues are reloaded only for
those, not for every listing published). Domains name the models that matter with `watch()`; a commit that
added, changed or deleted one of them bumps its counters in the same transaction. Bulk writes that bypass the
ORM (`insert()` of many rows) call `touch()` themselves.
"""
from flask import g, has_request_context
from sqlalchemy import Integer, event, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

PAGES, TRANSLATIONS = 1, 2
_WATCHED = {}  # model: the counters its changes bump
_BUMP = "data_version_bump"


class SiteVersion(db.Model):
    __tablename__ = "site_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def watch(*models, counters=(PAGES,)):
    """Changes to these models change what the public sees."""
    for model in models:
        _WATCHED[model] = frozenset(_WATCHED.get(model, frozenset()) | set(counters))


def touch(session=None, counters=(PAGES,)):
    """This transaction changed public data without the ORM noticing (a bulk insert): bump at commit."""
    (session or db.session).info.setdefault(_BUMP, set()).update(counters)


def _read():
    try:
        rows = db.session.connection().exec_driver_sql("SELECT id, version FROM site_version").all()
    except SQLAlchemyError:  # not migrated yet, or the database is down: the page meets that itself
        db.session.rollback()
        return {}
    return dict(rows)


def current(counter=PAGES):
    """A counter as this request sees it (the table is read once a request), or None when it cannot be read."""
    if not has_request_context():
        return _read().get(counter)
    if "data_version" not in g:
        g.data_version = _read()
    return g.data_version.get(counter)


def forget():
    """Read the counters again on the next call (the start of each request)."""
    if has_request_context():
        g.pop("data_version", None)


def _after_flush(session, flush_context):
    for obj in (*session.new, *session.dirty, *session.deleted):
        counters = _WATCHED.get(type(obj))
        if counters:
            session.info.setdefault(_BUMP, set()).update(counters)


def _before_commit(session):
    session.flush()
    for counter in sorted(session.info.pop(_BUMP, ())):
        # In the same transaction as the change itself: a reader sees both or neither.
        session.execute(update(SiteVersion).where(SiteVersion.id == counter)
                        .values(version=SiteVersion.version + 1))


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_BUMP, None)


def init_app(app):
    app.before_request(forget)
    if getattr(init_app, "_listening", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    init_app._listening = True
