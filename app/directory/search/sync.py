"""Opening and writing the index, and keeping it in step with the database.

The index is updated after the database commit, from documents built before it, so it never
holds uncommitted data.
"""
import gc
import logging
import os
import shutil
import threading
import time
import warnings
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.query import Every

from app.directory.search.documents import document_for
from app.directory.search.schema import make_schema

log = logging.getLogger(__name__)

WRITE_TIMEOUT = 30.0  # seconds to wait for another process's write lock


class IndexUnavailable(Exception):
    """The index is missing or unreadable; callers fall back to the database."""


def index_dir():
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def open_index():
    path = index_dir()
    if not path.exists():
        raise IndexUnavailable(f"no index at {path}")
    error = None
    # Whoosh leaves a damaged file open; it is closed when the traceback goes, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        for attempt in range(5):
            try:
                return whoosh_index.open_dir(str(path))
            except FileNotFoundError as exc:
                # Another process committed and removed the table of contents we were about to read.
                error = f"{type(exc).__name__}: {exc}"
                time.sleep(0.01 * (attempt + 1))
            except Exception as exc:  # Whoosh raises many kinds of error on a damaged index
                error = f"{type(exc).__name__}: {exc}"
                break
        gc.collect()
    raise IndexUnavailable(error)


def apply_changes(ix, documents, removals):
    writer = ix.writer(timeout=WRITE_TIMEOUT)
    try:
        for service_id in removals:
            writer.delete_by_term("id", str(service_id))
        for doc in documents:
            writer.update_document(**doc)
    except Exception:
        writer.cancel()
        raise
    writer.commit()


def add_to_index(service):
    doc = document_for(service)
    if doc is None:
        remove_from_index(service.id)
        return
    apply_changes(open_index(), [doc], [])


def remove_from_index(service_id):
    apply_changes(open_index(), [], [service_id])


def rebuild_index(services):
    """Build a fresh index beside the live one, then swap it in atomically."""
    target = index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{int(time.time() * 1000)}-{os.getpid()}-{threading.get_ident()}"
    new_dir = target.parent / f"{target.name}.build-{stamp}"
    new_dir.mkdir()
    ix = whoosh_index.create_in(str(new_dir), make_schema())
    writer = ix.writer(limitmb=256)
    count = 0
    for service in services:
        doc = document_for(service)
        if doc:
            writer.add_document(**doc)
            count += 1
    writer.commit()
    # The live path is a symlink; replacing a symlink is atomic, so readers see old or new, never half.
    link_tmp = target.parent / f".{target.name}.link-{stamp}"
    os.symlink(new_dir.name, link_tmp)
    old_real = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        shutil.rmtree(target)
    os.replace(link_tmp, target)
    if old_real and old_real != new_dir.resolve() and old_real.exists():
        shutil.rmtree(old_real, ignore_errors=True)
    return count


def index_status():
    """ok when the index opens and a search reads its documents back, as a resident's search would."""
    try:
        ix = open_index()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            with ix.searcher() as searcher:
                for hit in searcher.search(Every(), limit=1):
                    hit.fields()
                return {"status": "ok", "documents": searcher.doc_count()}
    except Exception as exc:  # noqa: BLE001  a damaged index raises many kinds of error: all mean "rebuild it"
        return {"status": "degraded", "detail": "index unavailable", "reason": f"{type(exc).__name__}: {exc}"[:200]}


# The SQLAlchemy session hooks: note what a flush touched, build documents before the commit,
# write them after it.

def _service_ids_touched(session):
    from app.directory.models import Schedule, Service, ServiceAtLocation
    touched = session.info.setdefault("search_touched", set())
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Service) and obj.id is not None:
            touched.add(obj.id)
        elif isinstance(obj, (Schedule, ServiceAtLocation)) and obj.service_id is not None:
            touched.add(obj.service_id)
    return touched


def _after_flush(session, flush_context):
    from app.directory.models import Service
    if session.info.get("skip_search_sync"):
        return  # a bulk job that rebuilds the index itself afterwards
    _service_ids_touched(session)
    deleted = session.info.setdefault("search_deleted", set())
    for obj in session.deleted:
        if isinstance(obj, Service) and obj.id is not None:
            deleted.add(obj.id)


def _before_commit(session):
    from app.directory.models import Service
    session.flush()
    touched = session.info.pop("search_touched", set())
    deleted = session.info.pop("search_deleted", set())
    if not touched and not deleted:
        return
    documents, removals = [], set(deleted)
    live = touched - deleted
    if live:
        for service in session.execute(select(Service).where(Service.id.in_(live))).scalars():
            doc = document_for(service)
            if doc:
                documents.append(doc)
            else:
                removals.add(service.id)
    session.info["search_pending"] = (documents, removals)


def _after_commit(session):
    pending = session.info.pop("search_pending", None)
    if not pending:
        return
    documents, removals = pending
    try:
        apply_changes(open_index(), documents, removals)
    except IndexUnavailable:
        log.warning("Search index unavailable; %d change(s) will appear after `flask search rebuild`",
                    len(documents) + len(removals))
    except Exception as exc:  # noqa: BLE001  the data is already committed: a broken index must not fail the page
        log.error("Search index could not be updated (%s); %d change(s) will appear after `flask search rebuild`",
                  type(exc).__name__, len(documents) + len(removals))


def _after_rollback(session):
    for key in ("search_touched", "search_deleted", "search_pending"):
        session.info.pop(key, None)


def init_app(app):
    if getattr(init_app, "_listening", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
    init_app._listening = True
