"""The same search without the index, for when it is missing or damaged: slower, and every word
must appear somewhere (no typos or synonyms). Filters and facets work from the listing's indexed
form, so they agree with the index."""
from datetime import datetime

from sqlalchemy import or_

from app.directory import opening
from app.directory.listings import published_services_query
from app.directory.models import Organisation, Service
from app.directory.postcodes import miles_between
from app.directory.search.documents import document_for
from app.directory.search.query import Hit, Outcome, query_words
from app.directory.search.schema import FACET_FIELDS
from app.extensions import db


def database_search(request, per_page, now):
    """An Outcome for a SearchRequest, found in the database."""
    tokens = opening.now_tokens(now)
    matched = _matching(request, tokens)
    facets, open_count = _counts(matched, tokens)
    hits = [Hit(service.id, _miles_to_nearest(request.near, doc)) for service, doc in matched]
    if request.sort == "distance":
        hits.sort(key=lambda h: (h.distance is None, h.distance or 0))
    elif request.sort == "recent":
        by_id = {service.id: service for service, _ in matched}
        hits.sort(key=lambda h: by_id[h.service_id].last_verified_at or datetime.min, reverse=True)
    start = (request.page - 1) * per_page
    return Outcome(hits=hits[start:start + per_page], total=len(hits), facets=facets, open_now_count=open_count)


def _matching(request, now_tokens):
    """[(service, its indexed form)] for published services with every word that pass the filters, by name."""
    query = published_services_query().join(Organisation)
    for word in query_words(request.text):
        # A word may hold "_" (a letter to the tokeniser), which LIKE would read as any character.
        pattern = "%" + word.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
        query = query.where(or_(Service.name.ilike(pattern, escape="/"), Service.description.ilike(pattern, escape="/"),
                                Organisation.name.ilike(pattern, escape="/")))
    matched = []
    for service in db.session.execute(query.order_by(Service.name, Service.id)).scalars():
        doc = document_for(service)
        if doc and _doc_matches(doc, request.filters, now_tokens):
            matched.append((service, doc))
    return matched


def _doc_matches(doc, filters, now_tokens):
    """The filters of query.filter_query, checked against a listing's indexed form."""
    f = filters
    listed = [("categories", f.category), ("neighbourhood", f.neighbourhood),
              ("days", None if f.day is None else str(f.day)), ("formats", f.format), ("languages", f.language)]
    listed += [("accessibility", feature) for feature in f.access]
    checks = [
        all(_has(doc, name, code) for name, code in listed if code),
        not f.free or doc["cost"] == "free",
        f.age is None or doc["min_age"] <= f.age <= doc["max_age"],
        not f.taking or doc["capacity"] == "taking",
        not f.open_now or any(_has(doc, "open_slots", token) for token in now_tokens),
    ]
    return all(checks)


def _has(doc, field_name, code):
    return code in (doc[field_name] or "").split(",")


def _counts(matched, now_tokens):
    """({facet field: {value: count}}, how many are open now) over the matched listings."""
    facets = {name: {} for name in FACET_FIELDS}
    open_count = 0
    for _service, doc in matched:
        for name in FACET_FIELDS:
            for value in filter(None, str(doc[name]).split(",")):
                facets[name][value] = facets[name].get(value, 0) + 1
        open_count += any(t in doc["open_slots"].split(",") for t in now_tokens)
    return facets, open_count


def _miles_to_nearest(near, doc):
    if not near:
        return None
    return min((miles_between(near.latitude, near.longitude, lat, lon) for lat, lon in doc["places"]), default=None)
