"""A search as the public page asks for it: read from the query string, run on the index (or the
database when the index is unavailable), and returned with the listings themselves."""
import logging
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import clock
from app.core.requests import int_arg, whole_number
from app.directory import postcodes, taxonomy, translations
from app.directory.listings import published_services_query
from app.directory.models import Service
from app.directory.search.fallback import database_search
from app.directory.search.query import Filters, query_index
from app.directory.search.sync import IndexUnavailable
from app.extensions import db

log = logging.getLogger(__name__)

SORTS = ("relevance", "distance", "recent")
MAX_QUERY_LENGTH = 200


@dataclass
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    near_text: str = ""
    near: object = None
    sort: str = "relevance"
    page: int = 1
    errors: dict = field(default_factory=dict)
    shortened: bool = False
    exact: bool = False  # the words as typed, not corrected ("Search instead for ...")

    @classmethod
    def from_args(cls, args):
        """Read the search state from a query string. Bad values give a message, never an exception."""
        raw_text = args.get("q", "") or ""
        req = cls(text=raw_text[:MAX_QUERY_LENGTH].strip(), shortened=len(raw_text) > MAX_QUERY_LENGTH,
                  exact=args.get("exact") == "1")
        _read_filters(args, req)
        _read_near(args, req)
        sort = _one(args, "sort", set(SORTS))
        req.sort = sort or ("distance" if req.near and not req.text else "relevance")
        if req.sort == "distance" and not req.near:
            req.sort = "relevance"
        req.page = int_arg("page", 1, 1, 500, args=args)
        return req

    def has_criteria(self):
        return bool(self.text or self.filters.active() or self.near)


def _one(args, name, allowed=None, max_length=60):
    """One query-string value, or None when it is missing, not a string or not one of `allowed`."""
    value = args.get(name, "")
    if not isinstance(value, str):
        return None
    value = value.strip()[:max_length]
    if not value or (allowed is not None and value not in allowed):
        return None
    return value


def _read_filters(args, req):
    f = req.filters
    f.category = _one(args, "category", set(taxonomy.all_category_codes()))
    f.neighbourhood = _one(args, "neighbourhood", {h["code"] for h in current_app.config["NEIGHBOURHOODS"]})
    day = _one(args, "day", {str(d) for d in range(7)})
    f.day = int(day) if day is not None else None
    f.open_now = args.get("open") == "now"
    f.free = args.get("cost") == "free"
    f.format = _one(args, "format", set(taxonomy.FORMATS))
    f.language = _one(args, "language", set(taxonomy.DELIVERY_LANGUAGES))
    f.access = tuple(sorted({a for a in args.getlist("access") if a in taxonomy.ACCESSIBILITY_FEATURES}))[:5]
    f.taking = args.get("taking") == "yes"
    age = (args.get("age") or "").strip()[:10]
    if age:
        f.age = whole_number(age, 0, 120)
        if f.age is None:
            req.errors["age"] = _l("Enter an age as a whole number, like 45")


def _read_near(args, req):
    req.near_text = (args.get("near") or "").strip()[:12]
    if not req.near_text:
        return
    try:
        req.near = postcodes.lookup(req.near_text)
    except postcodes.PostcodeError as exc:
        req.errors["near"] = (_l("Enter a full UK postcode, like NW5 2AB, or the first part, like NW5")
                              if exc.kind == "malformed" else
                              _l("We could not find that postcode. Check it, or try just the first part, "
                                 "like NW5. We can only place postcodes in London."))


@dataclass
class SearchResults:
    items: list
    total: int
    facets: dict
    open_now_count: int
    matched_all_words: bool
    suggestion: str | None
    stems: set
    used_index: bool
    per_page: int
    corrected: str | None = None

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))


def search_services(request, per_page=20, now=None):
    """Run a search; falls back to a slower database search when the index is unavailable."""
    now = now or clock.local_now()
    try:
        outcome = query_index(request.text, request.filters, near=request.near, sort=request.sort,
                              page=request.page, per_page=per_page, now=now, language=translations.current_language(),
                              correct=not request.exact)
        used_index = True
    except IndexUnavailable as exc:
        log.warning("Search index unavailable, using the database instead: %s", str(exc)[:200])
        outcome = database_search(request, per_page, now)
        used_index = False
    ids = [hit.service_id for hit in outcome.hits]
    by_id = {}
    if ids:
        by_id = {s.id: s for s in db.session.execute(published_services_query().where(Service.id.in_(ids))).scalars()}
    items = [(by_id[hit.service_id], hit.distance) for hit in outcome.hits if hit.service_id in by_id]
    return SearchResults(items=items, total=outcome.total, facets=outcome.facets,
                         open_now_count=outcome.open_now_count, matched_all_words=outcome.matched_all_words,
                         suggestion=outcome.suggestion, stems=outcome.stems, used_index=used_index,
                         per_page=per_page, corrected=outcome.corrected)
