"""Which published listings an API request asks for, a page at a time, in a stable order.

Lists are ordered by UUID (a search by relevance, as the site's search ranks it), so no item appears on
two pages while the data stands still. Each page is loaded with a fixed number of statements, whatever
its size: the relations a page shows are eager-loaded, those it does not are never loaded.
"""
import logging
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.core.db import code_list_contains
from app.directory import search
from app.directory.models import (
    Category,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    service_categories,
)
from app.directory.postcodes import miles_between
from app.extensions import db

log = logging.getLogger(__name__)
LIST_COLUMNS = {"audiences": Service.audience, "formats": Service.formats, "accessibility": Service.accessibility}
EQUAL_COLUMNS = {"access_methods": Service.access_method, "capacity": Service.capacity_status,
                 "cost_types": Service.cost_type}
SEARCH_LIMIT = 20_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def total_pages(self):
        return max(1, -(-self.total // self.per_page))

    def envelope(self, contents):
        return {"total_items": self.total, "total_pages": self.total_pages, "page_number": self.page,
                "size": len(contents), "first_page": self.page == 1, "last_page": self.page >= self.total_pages,
                "empty": not contents, "contents": contents}


def brief_options():
    return (joinedload(Service.organisation), lazyload(Service.categories), lazyload(Service.service_locations),
            lazyload(Service.schedules))


def full_options():
    return (joinedload(Service.organisation), selectinload(Service.categories),
            selectinload(Service.service_locations).joinedload(ServiceAtLocation.location),
            selectinload(Service.schedules).joinedload(Schedule.location), selectinload(Service.translations),
            selectinload(Service.closures))


def _term_condition(term):
    code, tax = term.code, term.taxonomy.code
    if tax == "categories":
        codes = [code] + [t.code for t in _children(term)]
        return Service.id.in_(select(service_categories.c.service_id)
                              .join(Category, Category.id == service_categories.c.category_id)
                              .where(Category.code.in_(codes)))
    if tax in LIST_COLUMNS:
        return code_list_contains(LIST_COLUMNS[tax], code)
    return EQUAL_COLUMNS[tax] == code


def _children(term):
    from app.directory.oruk.taxonomies import TERMS
    return [t for t in TERMS if t.taxonomy is term.taxonomy and t.parent_code == term.code]


def _taxonomy_condition(tax):
    if tax.code == "categories":
        return Service.id.in_(select(service_categories.c.service_id))
    if tax.code in LIST_COLUMNS:
        return LIST_COLUMNS[tax.code] != ""
    return EQUAL_COLUMNS[tax.code].is_not(None)


def _schedule_condition(q):
    parts = [Schedule.service_id == Service.id, Schedule.kind == "weekly"]
    if q.day is not None:
        parts.append(Schedule.weekday == q.day)
    if q.start_time is not None:
        parts.append(Schedule.opens_at >= q.start_time)
    if q.end_time is not None:
        parts.append(Schedule.closes_at <= q.end_time)
    return exists().where(and_(*parts))


def conditions(q):
    """SQL conditions on Service for every filter but search and nearness."""
    found = [Service.status == "published"]
    if q.term is not None:
        found.append(_term_condition(q.term))
    if q.taxonomy is not None:
        found.append(_taxonomy_condition(q.taxonomy))
    if q.organization_id:
        found.append(Service.organisation_id.in_(select(Organisation.id).where(Organisation.uuid == q.organization_id)))
    if q.minimum_age is not None:  # "a minimum age of at least" the value: no minimum counts as 0
        found.append(func.coalesce(Service.min_age, 0) >= q.minimum_age)
    if q.maximum_age is not None:  # "a maximum age equal to or below" the value: no maximum never is
        found.append(and_(Service.max_age.is_not(None), Service.max_age <= q.maximum_age))
    if q.day is not None or q.start_time is not None or q.end_time is not None:
        found.append(_schedule_condition(q))
    if q.modified_after is not None:
        found.append(Service.updated_at >= q.modified_after)
    return found


def _near_location_ids(q):
    """Ids of places within the asked distance of the postcode."""
    rows = db.session.execute(select(Location.id, Location.latitude, Location.longitude)
                              .where(Location.latitude.is_not(None), Location.longitude.is_not(None))).all()
    return [row.id for row in rows
            if miles_between(q.near.latitude, q.near.longitude, row.latitude, row.longitude) <= q.proximity]


def _searched_ids(text):
    """Published listing ids for a search, best first, from the site's own search (typos, synonyms, languages)."""
    from app.directory import translations
    request = search.SearchRequest(text=text)
    try:
        outcome = search.query_index(text, page=1, per_page=SEARCH_LIMIT, language=translations.current_language())
    except search.IndexUnavailable as exc:
        log.warning("Search index unavailable, the API searches the database instead: %s", str(exc)[:200])
        from app.directory.search.fallback import database_search
        outcome = database_search(request, SEARCH_LIMIT, None)
    return [hit.service_id for hit in outcome.hits]


def _ordered_page(query_ids, ranked, paging):
    allowed = set(db.session.execute(query_ids).scalars())
    ordered = [service_id for service_id in ranked if service_id in allowed]
    start = (paging.page - 1) * paging.per_page
    return ordered[start:start + paging.per_page], len(ordered)


def services_page(q):
    """A Page of Service objects; full services carry everything service_full shows."""
    where = conditions(q)
    if q.near is not None:
        near_ids = _near_location_ids(q)
        where.append(Service.id.in_(select(ServiceAtLocation.service_id)
                                    .where(ServiceAtLocation.location_id.in_(near_ids))))
    options = full_options() if q.full_service else brief_options()
    paging = q.paging
    if q.search.strip():
        page_ids, total = _ordered_page(select(Service.id).where(*where), _searched_ids(q.search), paging)
        by_id = {s.id: s for s in db.session.execute(select(Service).where(Service.id.in_(page_ids))
                                                     .options(*options)).unique().scalars()}
        return Page([by_id[i] for i in page_ids if i in by_id], total, paging.page, paging.per_page)
    total = db.session.execute(select(func.count()).select_from(Service).where(*where)).scalar_one()
    # The page's ids first (walking the (status, uuid) index), then only those rows: sorting whole rows to skip
    # thousands of them was most of a late page's time.
    page_ids = db.session.execute(select(Service.id).where(*where).order_by(Service.uuid).limit(paging.per_page)
                                  .offset((paging.page - 1) * paging.per_page)).scalars().all()
    items = db.session.execute(select(Service).where(Service.id.in_(page_ids)).options(*options)
                               .order_by(Service.uuid)).unique().scalars().all() if page_ids else []
    return Page(list(items), total, paging.page, paging.per_page)


def links_page(q):
    """A Page of ServiceAtLocation rows of published listings, with their service and location."""
    where = conditions(q)
    if q.near is not None:
        where.append(ServiceAtLocation.location_id.in_(_near_location_ids(q)))
    base = select(ServiceAtLocation).join(Service, Service.id == ServiceAtLocation.service_id).where(*where)
    if q.search.strip():
        where.append(Service.id.in_(_searched_ids(q.search)))
        base = base.where(where[-1])
    total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    paging = q.paging
    page_ids = db.session.execute(base.with_only_columns(ServiceAtLocation.id).order_by(ServiceAtLocation.uuid)
                                  .limit(paging.per_page).offset((paging.page - 1) * paging.per_page)).scalars().all()
    items = db.session.execute(
        select(ServiceAtLocation).where(ServiceAtLocation.id.in_(page_ids))
        .options(joinedload(ServiceAtLocation.location),
                 joinedload(ServiceAtLocation.service).options(*brief_options()))
        .order_by(ServiceAtLocation.uuid)
    ).unique().scalars().all() if page_ids else []
    return Page(list(items), total, paging.page, paging.per_page)


def published_service(uuid):
    return db.session.execute(select(Service).where(Service.uuid == uuid, Service.status == "published")
                              .options(*full_options())).unique().scalar_one_or_none()


def published_link(uuid):
    return db.session.execute(
        select(ServiceAtLocation).join(Service, Service.id == ServiceAtLocation.service_id)
        .where(ServiceAtLocation.uuid == uuid, Service.status == "published")
        .options(joinedload(ServiceAtLocation.location), joinedload(ServiceAtLocation.service).options(*full_options()))
    ).unique().scalar_one_or_none()


def data_version():
    """(the latest change to any listing or organisation, how many are published): cheap, and it changes
    whenever what the API shows may have changed (an archived listing lowers the count)."""
    # The newest change to any listing (indexed; a draft's edit only costs a cache miss), and how many are published.
    service_latest = db.session.execute(select(func.max(Service.updated_at))).scalar()
    count = db.session.execute(select(func.count()).select_from(Service)
                               .where(Service.status == "published")).scalar_one()
    org_latest = db.session.execute(select(func.max(Organisation.updated_at))).scalar()
    return max(filter(None, (service_latest, org_latest)), default=None), count
