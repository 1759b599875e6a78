"""Directory rules: reference data, what the public may see, freshness. Search is in app.directory.search."""
from datetime import timedelta

from flask import current_app, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core import dataversion, validation
from app.core.db import utcnow
from app.directory import taxonomy, translations
from app.directory.models import Category, Neighbourhood, Service, service_categories
from app.extensions import db


def neighbourhood_for_postcode(postcode):
    postcode = validation.postcode(postcode)
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
        .options(selectinload(Category.children))
    ).scalars().all()
    return [(category, counts.get(category.code, 0)) for category in categories]


def published_counts_by_category():
    """Number of published services in each category code, a parent counting its children's services.

    Kept per worker until the public data changes (the data version every publish bumps), not counted per page."""
    version = dataversion.current()
    kept = current_app.extensions.get("category_counts")
    if version is not None and kept and kept[0] == version:
        return dict(kept[1])
    counts = _count_published_by_category()
    if version is not None:
        current_app.extensions["category_counts"] = (version, counts)
    return dict(counts)


def _count_published_by_category():
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
    query = (select(Service).where(Service.status == "published")
             .options(selectinload(Service.categories), selectinload(Service.service_locations)))
    if has_request_context() and translations.current_language() != current_app.config["BABEL_DEFAULT_LOCALE"]:
        # Each card shows its translation: one query for the page's listings, not one a card.
        query = query.options(selectinload(Service.translations))
    return query


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


def all_services_for_index():
    return db.session.execute(published_services_query().execution_options(yield_per=500)).scalars()
