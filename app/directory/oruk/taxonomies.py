"""Our code lists as ORUK taxonomies and taxonomy terms, with ids derived from their codes (never stored).

Categories are hierarchical (a top category is the parent of its sub-categories); the other lists are flat.
An importer maps terms back to codes with `term_by_id(...).code`.
"""
from dataclasses import dataclass
from functools import cached_property

from flask import current_app, g, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.directory import taxonomy
from app.directory.oruk.ids import derived

# (code, name, description, {term code: name} or None for the categories)
_LISTS = [
    ("categories", _l("Hidden Gems categories"), _l("What a listing offers, in two levels."), None),
    ("audiences", _l("Groups a listing is for"), _l("The communities or groups a listing is meant for."),
     taxonomy.AUDIENCES),
    ("formats", _l("How it runs"), _l("In person, online or by phone."), taxonomy.FORMATS),
    ("access_methods", _l("How to start"), _l("Whether people refer themselves, drop in or need a referral."),
     taxonomy.ACCESS_METHODS),
    ("accessibility", _l("Accessibility"), _l("Features that make a place or session easier to use."),
     taxonomy.ACCESSIBILITY_FEATURES),
    ("capacity", _l("Availability"), _l("Whether a listing is taking new people."), taxonomy.CAPACITY_STATUSES),
    ("cost_types", _l("Cost"), _l("Free, low cost or paid."), taxonomy.COST_TYPES),
]


@dataclass(frozen=True)
class Taxonomy:
    code: str
    name: object
    description: object

    @cached_property
    def id(self):
        return derived("taxonomy", self.code)


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: object
    description: object = ""
    parent_code: str | None = None

    @cached_property
    def id(self):
        return term_id(self.taxonomy.code, self.code)

    @cached_property
    def parent_id(self):
        return term_id(self.taxonomy.code, self.parent_code) if self.parent_code else None


def term_id(taxonomy_code, code):
    return derived("taxonomy_term", taxonomy_code, code)


def _build():
    taxonomies, terms = [], []
    for code, name, description, values in _LISTS:
        tax = Taxonomy(code, name, description)
        taxonomies.append(tax)
        if values is None:
            for top, top_name, top_description, subs in taxonomy.CATEGORIES:
                terms.append(Term(tax, top, top_name, top_description))
                terms.extend(Term(tax, sub, sub_name, parent_code=top) for sub, sub_name in subs)
        else:
            terms.extend(Term(tax, term_code, term_name) for term_code, term_name in values.items())
    return taxonomies, terms


TAXONOMIES, TERMS = _build()
_TAXONOMY_BY_ID = {t.id: t for t in TAXONOMIES}
_TERM_BY_ID = {t.id: t for t in TERMS}
_TERM_BY_KEY = {(t.taxonomy.code, t.code): t for t in TERMS}


def taxonomy_by_id(value):
    return _TAXONOMY_BY_ID.get(value)


def term_by_id(value):
    return _TERM_BY_ID.get(value)


def term(taxonomy_code, code):
    return _TERM_BY_KEY.get((taxonomy_code, code))


def terms_of_service(service):
    """Every term a listing carries, in a fixed order (categories first)."""
    keys = [("categories", c.code) for c in service.categories]
    keys += [("audiences", code) for code in service.audience or ()]
    keys += [("formats", code) for code in service.formats or ()]
    keys += [("access_methods", service.access_method), ("capacity", service.capacity_status),
             ("cost_types", service.cost_type)]
    keys += [("accessibility", code) for code in service.accessibility or ()]
    return [found for found in (_TERM_BY_KEY.get(key) for key in keys) if found is not None]


def _site():
    return current_app.config["SITE_URL"]


def _memo(kind):
    """A dict kept for this request only: a page of 50 services names the same few terms hundreds of times,
    and translating each again would cost more than the rest of the page."""
    if not has_request_context():
        return {}
    # Keyed by language as well: `g` can outlive a request where an app context is held open (the tests).
    return g.setdefault(f"oruk_{kind}", {}).setdefault(str(get_locale()), {})


def text(lazy):
    """A lazy label in the current language, translated once a request."""
    if not hasattr(lazy, "_args"):
        return str(lazy)
    memo = _memo("text")
    key = id(lazy)
    if key not in memo:
        memo[key] = str(lazy)
    return memo[key]


def taxonomy_json(tax):
    return {"id": tax.id, "name": str(tax.name), "description": str(tax.description),
            "uri": f"{_site()}/api/#taxonomy-{tax.code}", "version": "1"}


def term_json(found):
    memo = _memo("terms")
    if found.id not in memo:
        name = text(found.name)
        data = {"id": found.id, "name": name, "description": text(found.description) if found.description else name,
                "code": found.code, "taxonomy": text(found.taxonomy.name), "taxonomy_id": found.taxonomy.id,
                "term": name}
        if found.parent_code:
            data["parent_id"] = found.parent_id
        if found.taxonomy.code == "categories":
            data["term_uri"] = f"{_site()}/categories/{found.code}"
        memo[found.id] = data
    return dict(memo[found.id])
