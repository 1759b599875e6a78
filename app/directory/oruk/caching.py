"""ETag, Last-Modified and 304s for the API, from a data version that costs two small queries."""
import functools
import hashlib
from datetime import UTC

from flask import request

from app.directory.models import Revision
from app.directory.oruk import queries
from app.extensions import db

MAX_AGE = 60  # seconds a client may reuse an answer before asking again (with its ETag)


def _version():
    """(when the data last changed, a version string). Places have no timestamp of their own, but every change
    to one is recorded as a revision, so the newest revision counts too."""
    latest, count = queries.data_version()
    revision, submitted, decided = db.session.execute(
        db.select(db.func.max(Revision.id), db.func.max(Revision.submitted_at), db.func.max(Revision.decided_at))).one()
    latest = max(filter(None, (latest, submitted, decided)), default=None)
    return latest, f"{latest}|{count}|{revision}"


def conditional(view):
    """Answer 304 when the client's copy is current; otherwise run the view and stamp its answer."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from app.directory.oruk.views import json_response
        latest, version = _version()
        key = f"{version}|{request.path}|{request.query_string.decode('latin-1')}"
        etag = hashlib.sha256(key.encode()).hexdigest()[:32]
        last_modified = latest.replace(tzinfo=UTC, microsecond=0) if latest else None
        fresh = _not_modified(etag, last_modified)
        response = json_response(None, status=304) if fresh else view(*args, **kwargs)
        response.set_etag(etag)
        if last_modified:
            response.last_modified = last_modified
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
        return response

    return wrapper


def _not_modified(etag, last_modified):
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return bool(since and last_modified and last_modified <= since)
