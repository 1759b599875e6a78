"""One number, kept in the database, that goes up whenever anything the public pages show changes.

Every worker reads it at the start of a request (one indexed row), so a page cache keyed by it (app/core/pagecache.py)
shows a published change on the very next request, in every worker. Domains name the models that matter with
`watch()`; a commit that added, changed or deleted one of them bumps the number in the same transaction. Bulk
writes that bypass the ORM (`insert()` of many rows) call `touch()` themselves.
"""
from flask import g, has_request_context
from sqlalchemy import Integer, event, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

_WATCHED = set()
_BUMP = "data_version_bump"


class SiteVersion(db.Model):
    __tablename__ = "site_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


def watch(*models):
    """Changes to these models change what the public sees."""
    _WATCHED.update(models)


def touch(session=None):
    """This transaction changed public data without the ORM noticing (a bulk insert): bump at commit."""
    (session or db.session).info[_BUMP] = True


def current(refresh=False):
    """The version as this request sees it (read once a request), or None when it cannot be read."""
    if has_request_context() and not refresh and "data_version" in g:
        return g.data_version
    try:
        value = db.session.connection().exec_driver_sql("SELECT version FROM site_version WHERE id = 1").scalar()
    except SQLAlchemyError:  # not migrated yet, or the database is down: the page meets that itself
        db.session.rollback()
        value = None
    if has_request_context():
        g.data_version = value
    return value


def forget():
    """Read the version again on the next call (the start of each request)."""
    if has_request_context():
        g.pop("data_version", None)


def _after_flush(session, flush_context):
    if session.info.get(_BUMP):
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, tuple(_WATCHED)):
            session.info[_BUMP] = True
            return


def _before_commit(session):
    session.flush()
    if not session.info.pop(_BUMP, False):
        return
    # In the same transaction as the change itself: a reader sees both or neither.
    session.execute(update(SiteVersion).where(SiteVersion.id == 1).values(version=SiteVersion.version + 1))


def _after_rollback(session, previous_transaction):
    if previous_transaction.parent is None:
        session.info.pop(_BUMP, None)


def init_app(app):
    if getattr(init_app, "_listening", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_soft_rollback", _after_rollback)
    init_app._listening = True
