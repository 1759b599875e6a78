"""Directory rules: reference data, what the public may see, freshness, search with a fallback."""
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.directory import search, taxonomy
from app.directory.models import Category, Neighbourhood, Organisation, Service, service_categories
from app.extensions import db
from app.core.db import utcnow

log = logging.getLogger(__name__)

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise_postcode(raw):
    """'nw5 2ab' -> 'NW5 2AB'; None when it is not a UK postcode."""
    if not raw:
        return None
    compact = re.sub(r"\s+", "", str(raw)).upper()
    match = POSTCODE_RE.match(compact)
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def neighbourhood_for_postcode(postcode):
    postcode = normalise_postcode(postcode)
    if not postcode:
        return None
    outward = postcode.split()[0]
    best, best_len = None, 0
    for hood in db.session.execute(select(Neighbourhood)).scalars():
        for prefix in hood.outward_codes:
            # 'WC1' covers WC1H, WC1N...; 'NW1' must not cover NW10.
            if (outward == prefix or (outward.startswith(prefix) and outward[len(prefix):].isalpha())) \
                    and len(prefix) > best_len:
                best, best_len = hood, len(prefix)
    return best


def seed_reference_data():
    """Create or update categories and neighbourhoods from code and config. Safe to run repeatedly."""
    existing = {c.code: c for c in db.session.execute(select(Category)).scalars()}
    for position, (code, name, description, subs) in enumerate(taxonomy.CATEGORIES):
        parent = existing.get(code) or Category(code=code)
        parent.name, parent.description = _source_text(name), _source_text(description)
        parent.position, parent.parent = position * 100, None
        db.session.add(parent)
        for sub_position, (sub_code, sub_name) in enumerate(subs):
            child = existing.get(sub_code) or Category(code=sub_code)
            child.name = _source_text(sub_name)
            child.position = position * 100 + sub_position
            child.parent = parent
            db.session.add(child)
    hoods = {h.code: h for h in db.session.execute(select(Neighbourhood)).scalars()}
    for position, item in enumerate(current_app.config["NEIGHBOURHOODS"]):
        hood = hoods.get(item["code"]) or Neighbourhood(code=item["code"])
        hood.name, hood.outward_codes, hood.position = item["name"], item["outward_codes"], position
        db.session.add(hood)
    db.session.commit()


def _source_text(lazy):
    """The English source of a lazy string, so the database holds the msgid and pages translate it."""
    return lazy._args[0] if hasattr(lazy, "_args") and lazy._args else str(lazy)


def top_categories_with_counts():
    counts = published_counts_by_category()
    categories = db.session.execute(
        select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)
    ).scalars().all()
    return [(category, counts.get(category.code, 0)) for category in categories]


def published_counts_by_category():
    """Number of published services in each category code, a parent counting its children's services."""
    rows = db.session.execute(
        select(Category.code, Category.parent_id, service_categories.c.service_id)
        .join(service_categories, service_categories.c.category_id == Category.id)
        .join(Service, Service.id == service_categories.c.service_id)
        .where(Service.status == "published")
    ).all()
    parents = {c.id: c.code for c in db.session.execute(select(Category)).scalars()}
    seen = {}
    for code, parent_id, service_id in rows:
        seen.setdefault(code, set()).add(service_id)
        if parent_id:
            seen.setdefault(parents[parent_id], set()).add(service_id)
    return {code: len(ids) for code, ids in seen.items()}


def get_category(code):
    if not code or len(code) > 60:
        return None
    return db.session.execute(select(Category).where(Category.code == code)).scalar_one_or_none()


def published_services_query():
    return (select(Service).where(Service.status == "published")
            .options(selectinload(Service.categories), selectinload(Service.service_locations)))


def services_in_category(category, page=1, per_page=20):
    codes = [category.code] + [child.code for child in category.children]
    query = (published_services_query()
             .where(Service.id.in_(select(service_categories.c.service_id)
                                   .join(Category, Category.id == service_categories.c.category_id)
                                   .where(Category.code.in_(codes))))
             .order_by(Service.name, Service.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def get_published_service(slug):
    if not slug or len(slug) > 160:
        return None
    return db.session.execute(
        select(Service).where(Service.slug == slug, Service.status == "published")
    ).scalar_one_or_none()


def freshness(service, now=None):
    """'fresh', 'stale' (flag to the provider) or 'out_of_date' (warn the public)."""
    if service.last_verified_at is None:
        return "out_of_date"
    now = now or utcnow()
    age = now - service.last_verified_at
    if age > timedelta(days=30.44 * current_app.config["OUT_OF_DATE_AFTER_MONTHS"]):
        return "out_of_date"
    if age > timedelta(days=30.44 * current_app.config["STALE_AFTER_MONTHS"]):
        return "stale"
    return "fresh"


SORTS = ("relevance", "distance", "recent")
MAX_QUERY_LENGTH = 200


@dataclass
class SearchRequest:
    text: str = ""
    filters: search.Filters = field(default_factory=search.Filters)
    near_text: str = ""
    near: object = None
    sort: str = "relevance"
    page: int = 1
    errors: dict = field(default_factory=dict)
    shortened: bool = False

    @classmethod
    def from_args(cls, args):
        """Read the search state from a query string. Bad values give a message, never an exception."""
        from app.directory import postcodes
        from app.directory.taxonomy import ACCESSIBILITY_FEATURES, DELIVERY_LANGUAGES, FORMATS

        def one(name, allowed=None, max_length=60):
            value = args.get(name, "")
            if not isinstance(value, str):
                return None
            value = value.strip()[:max_length]
            if not value or (allowed is not None and value not in allowed):
                return None
            return value

        raw_text = args.get("q", "") or ""
        req = cls(text=raw_text[:MAX_QUERY_LENGTH].strip(), shortened=len(raw_text) > MAX_QUERY_LENGTH)
        category_codes = set(taxonomy.all_category_codes())
        hood_codes = {h["code"] for h in current_app.config["NEIGHBOURHOODS"]}
        f = req.filters
        f.category = one("category", category_codes)
        f.neighbourhood = one("neighbourhood", hood_codes)
        day = one("day", {str(d) for d in range(7)})
        f.day = int(day) if day is not None else None
        f.open_now = args.get("open") == "now"
        f.free = args.get("cost") == "free"
        f.format = one("format", set(FORMATS))
        f.language = one("language", set(DELIVERY_LANGUAGES))
        f.access = tuple(sorted({a for a in args.getlist("access") if a in ACCESSIBILITY_FEATURES}))[:5]
        f.taking = args.get("taking") == "yes"
        age = (args.get("age") or "").strip()[:10]
        if age:
            if age.isdigit() and 0 <= int(age) <= 120:
                f.age = int(age)
            else:
                req.errors["age"] = _l("Enter an age as a whole number, like 45")
        req.near_text = (args.get("near") or "").strip()[:12]
        if req.near_text:
            try:
                req.near = postcodes.lookup(req.near_text)
            except postcodes.PostcodeError as exc:
                req.errors["near"] = (_l("Enter a full UK postcode, like NW5 2AB, or the first part, like NW5")
                                      if exc.kind == "malformed" else
                                      _l("We could not find that postcode. Check it, or try just the first part, "
                                         "like NW5. We can only place postcodes in London."))
        sort = one("sort", set(SORTS))
        req.sort = sort or ("distance" if req.near and not req.text else "relevance")
        if req.sort == "distance" and not req.near:
            req.sort = "relevance"
        try:
            req.page = min(max(int(args.get("page", 1)), 1), 500)
        except (TypeError, ValueError):
            req.page = 1
        return req

    def has_criteria(self):
        return bool(self.text or self.filters.active() or self.near)


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
    from app.core import clock

    now = now or clock.local_now()
    try:
        from app.directory.translations import current_language
        outcome = search.query_index(request.text, request.filters, near=request.near, sort=request.sort,
                                     page=request.page, per_page=per_page, now=now, language=current_language())
        used_index = True
    except search.IndexUnavailable as exc:
        log.warning("Search index unavailable, using the database instead: %s", str(exc)[:200])
        outcome = _database_search(request, per_page, now)
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


def _doc_matches(doc, filters, now_tokens):
    def has(field_name, code):
        return code in (doc[field_name] or "").split(",")

    f = filters
    checks = [
        not f.category or has("categories", f.category),
        not f.neighbourhood or has("neighbourhood", f.neighbourhood),
        f.day is None or has("days", str(f.day)),
        not f.free or doc["cost"] == "free",
        not f.format or has("formats", f.format),
        not f.language or has("languages", f.language),
        all(has("accessibility", a) for a in f.access),
        f.age is None or doc["min_age"] <= f.age <= doc["max_age"],
        not f.taking or doc["capacity"] == "taking",
        not f.open_now or any(has("open_slots", token) for token in now_tokens),
    ]
    return all(checks)


def _database_search(request, per_page, now):
    """The same search without the index: every word must appear somewhere (no typos or synonyms)."""
    from app.directory import opening
    from app.directory.postcodes import miles_between

    query = published_services_query().join(Organisation)
    for word in search.query_words(request.text):
        pattern = f"%{word}%"
        query = query.where(or_(Service.name.ilike(pattern), Service.description.ilike(pattern),
                                Organisation.name.ilike(pattern)))
    tokens = opening.now_tokens(now)
    matched = []
    for service in db.session.execute(query.order_by(Service.name, Service.id)).scalars():
        doc = search.document_for(service)
        if doc and _doc_matches(doc, request.filters, tokens):
            matched.append((service, doc))
    facets = {name: {} for name in search.FACET_FIELDS}
    open_count = 0
    for _service, doc in matched:
        for name in search.FACET_FIELDS:
            for value in filter(None, str(doc[name]).split(",")):
                facets[name][value] = facets[name].get(value, 0) + 1
        open_count += any(t in doc["open_slots"].split(",") for t in tokens)
    hits = []
    for service, doc in matched:
        distance = None
        if request.near:
            distance = min((miles_between(request.near.latitude, request.near.longitude, lat, lon)
                            for lat, lon in doc["places"]), default=None)
        hits.append(search.Hit(service.id, distance))
    if request.sort == "distance":
        hits.sort(key=lambda h: (h.distance is None, h.distance or 0))
    elif request.sort == "recent":
        by_id = {service.id: service for service, _ in matched}
        hits.sort(key=lambda h: by_id[h.service_id].last_verified_at or datetime.min, reverse=True)
    start = (request.page - 1) * per_page
    return search.Outcome(hits=hits[start:start + per_page], total=len(hits), facets=facets,
                          open_now_count=open_count)


def all_services_for_index():
    return db.session.execute(published_services_query().execution_options(yield_per=500)).scalars()


def report_problem(service, problem, problem_label, message, email):
    """Store a member of the public's report, and e-mail the organisation's providers about it."""
    from app.core import mail
    from app.directory.models import ProblemReport
    report = ProblemReport(service=service, problem=problem, message=message.strip())
    report.reporter_email = email
    db.session.add(report)
    for provider in service.organisation.providers:
        if provider.active:
            mail.queue_email(provider.email, _l("A problem was reported with %(name)s", name=service.name),
                             "directory/email/problem_report.txt", language="en", service=service,
                             problem_label=problem_label, message=message)
    db.session.commit()
    return report
