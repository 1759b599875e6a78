"""The search index: one Whoosh index on disk holding published services only.

Kept deliberately narrow (add_to_index, remove_from_index, query_index, rebuild_index)
so another engine can stand behind the same interface. The index is updated after the
database commit, from documents built before it, so it never holds uncommitted data.
"""
import gc
import logging
import os
import shutil
import time
import warnings
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.query import Every

log = logging.getLogger(__name__)

WRITE_TIMEOUT = 20.0  # seconds to wait for another process's write lock


class IndexUnavailable(Exception):
    """The index is missing or unreadable; callers fall back to the database."""


def make_schema():
    stem = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=stem, field_boost=3.0, stored=True),
        categories_text=TEXT(analyzer=stem, field_boost=2.0),
        description=TEXT(analyzer=stem),
        organisation=TEXT(analyzer=stem, field_boost=1.5),
        categories=KEYWORD(commas=True, lowercase=True),
        neighbourhood=KEYWORD(commas=True),
        cost=ID,
        formats=KEYWORD(commas=True),
        languages=KEYWORD(commas=True),
        accessibility=KEYWORD(commas=True),
        capacity=ID,
        min_age=NUMERIC(stored=True),
        max_age=NUMERIC(stored=True),
        slug=STORED,
    )


def _index_dir():
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def _open():
    path = _index_dir()
    if not path.exists():
        raise IndexUnavailable(f"no index at {path}")
    error = None
    # Whoosh leaves a damaged file open; it is closed when the traceback goes, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(path))
        except Exception as exc:  # Whoosh raises many kinds of error on a damaged index
            error = f"{type(exc).__name__}: {exc}"
        gc.collect()
    raise IndexUnavailable(error)


def document_for(service):
    """The indexed form of a service, or None when it must not be found."""
    if service.status != "published":
        return None
    codes = set()
    names = []
    for category in service.categories:
        codes.add(category.code)
        names.append(category.name)
        if category.parent:
            codes.add(category.parent.code)
            names.append(category.parent.name)
    neighbourhoods = sorted({loc.neighbourhood.code for loc in service.locations if loc.neighbourhood})
    return {
        "id": str(service.id),
        "name": service.name,
        "categories_text": " ".join(names),
        "description": " ".join(filter(None, [service.description, service.access_text, service.eligibility])),
        "organisation": service.organisation.name if service.organisation else "",
        "categories": ",".join(sorted(codes)),
        "neighbourhood": ",".join(neighbourhoods),
        "cost": service.cost_type,
        "formats": ",".join(service.formats),
        "languages": ",".join(service.languages),
        "accessibility": ",".join(service.accessibility),
        "capacity": service.capacity_status,
        "min_age": service.min_age if service.min_age is not None else 0,
        "max_age": service.max_age if service.max_age is not None else 200,
        "slug": service.slug,
    }


def _apply(ix, documents, removals):
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
    _apply(_open(), [doc], [])


def remove_from_index(service_id):
    _apply(_open(), [], [service_id])


def query_index(text, page=1, per_page=20):
    """Return (service ids in rank order, total hits) for the words a resident typed."""
    ix = _open()
    with ix.searcher() as searcher:
        query = parse_query(ix.schema, text)
        results = searcher.search_page(query, max(1, page), pagelen=per_page)
        return [int(hit["id"]) for hit in results], len(results)


def parse_query(schema, text):
    words = _plain_words(text)
    if not words:
        return Every()
    parser = MultifieldParser(["name", "categories_text", "description", "organisation"], schema, group=OrGroup)
    parser.add_plugin(FuzzyTermPlugin())
    # Words become plain terms: operators and syntax typed by a resident are not query syntax.
    terms = []
    for word in words:
        terms.append(word)
        if len(word) >= 8:
            terms.append(f"{word}~2")
        elif len(word) >= 5:
            terms.append(f"{word}~1")
    return parser.parse(" ".join(terms))


def _plain_words(text):
    if not text:
        return []
    cleaned = "".join(ch if ch.isalnum() else " " for ch in str(text)[:500])
    return [word.lower() for word in cleaned.split() if word.lower() not in {"and", "or", "not", "to"}][:20]


def rebuild_index(services):
    """Build a fresh index beside the live one, then swap it in atomically."""
    target = _index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{int(time.time() * 1000)}-{os.getpid()}"
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
    try:
        ix = _open()
        with ix.searcher() as searcher:
            return {"status": "ok", "documents": searcher.doc_count()}
    except IndexUnavailable as exc:
        return {"status": "degraded", "detail": "index unavailable", "reason": str(exc)[:200]}


# Keeping the index in step with the database.

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
        _apply(_open(), documents, removals)
    except IndexUnavailable:
        log.warning("Search index unavailable; %d change(s) will appear after `flask search rebuild`",
                    len(documents) + len(removals))


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
