"""Relevance test sets: searches a resident would make against the demo directory, and what they want to see, in
every starter language (data: tests/directory/relevance/<language>.json), run by one runner for each backend.

Each case is (query text, extra query-string filters, the listing a resident wants, how near the top it
must be); a language's cases are searched on that language's pages. The demo data is loaded once per test
(about two seconds), so all cases of a language run in one test that reports every miss together, with the
names the engine ranked first.

A failing case here means the engine ranks badly, not that the case is wrong: do not weaken a case to
make it pass. Change it only if another listing is genuinely as right as the expected one.
"""
import json
from pathlib import Path

import pytest
from flask import g
from werkzeug.datastructures import MultiDict

from app.demo.content import organisations
from app.directory.search import SearchRequest, search_services

DATA_DIR = Path(__file__).resolve().parent / "relevance"
LANGUAGES = ("en", "ar", "bn", "so", "es", "pt", "pl")
# The search engines behind the one interface (search_services). A PostgreSQL backend joins this list.
BACKENDS = ("whoosh",)


def load_cases(language):
    """[(query, filters, expected listing name, top_n)] from relevance/<language>.json."""
    data = json.loads((DATA_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return [(case["q"], case.get("filters", {}), case["expect"], case["top"]) for case in data["cases"]]


CASES = load_cases("en")


# Listings in the demo data that are not published: no search may show them, even by their exact name.
HIDDEN = [
    "Switching to vaping: online Q&A",  # draft
    "Peer mentoring for care leavers",  # draft
    "Zine-making afternoon",  # draft
    "E-bike loan scheme",  # draft
    "Monday walking football",  # archived
    "Life drawing for beginners",  # archived
    "Telephone coaching",  # archived
]


def _demo_statuses():
    return {service["name"]: service.get("status", "published")
            for org in organisations() for service in org["services"]}


def _search(text, filters, per_page=20, language="en"):
    args = MultiDict({"q": text})
    for key, value in filters.items():
        for item in value if isinstance(value, list) else [value]:
            args.add(key, item)
    from flask import current_app  # the fixture's app; only the request (and its language) is new
    g.pop("_flask_babel", None)
    with current_app.test_request_context("/search", query_string={"lang": language}):
        results = search_services(SearchRequest.from_args(args), per_page=per_page)
    g.pop("_flask_babel", None)
    return [service.name for service, _distance in results.items]


def _describe(text, filters):
    return repr(text) + (f" {filters}" if filters else "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_there_are_enough_relevance_cases(language):
    assert len(load_cases(language)) >= (40 if language == "en" else 10)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_relevance_cases(app, backend, language):
    from app.demo.loader import load_demo
    from app.extensions import db
    app.config["SEARCH_BACKEND"] = backend
    load_demo()
    db.session.commit()  # as `flask demo load` does; the search index syncs on commit
    statuses = _demo_statuses()
    failures = []
    cases = load_cases(language)
    for text, filters, expected, top_n in cases:
        if statuses.get(expected) != "published":
            failures.append(f"{_describe(text, filters)}: {expected!r} is not a published demo listing")
            continue
        names = _search(text, filters, language=language)
        if expected not in names[:top_n]:
            found = (f"found at {names.index(expected) + 1}" if expected in names
                     else f"not among the {len(names)} results shown")
            failures.append(f"{_describe(text, filters)}: expected {expected!r} in the top {top_n} "
                            f"({found}); got {names[:5]}")
    assert not failures, (f"{len(failures)} of {len(cases)} {language} relevance cases failed ({backend}):\n"
                          + "\n".join(failures))


def test_unpublished_listings_are_never_found_by_their_exact_name(app):
    from app.demo.loader import load_demo
    from app.extensions import db
    load_demo()
    db.session.commit()  # as `flask demo load` does; the search index syncs on commit
    statuses = _demo_statuses()
    shown = []
    for name in HIDDEN:
        assert statuses.get(name) in ("draft", "archived"), f"{name!r} is no longer a draft or archived listing"
        names = _search(name, {}, per_page=500)
        if name in names:
            shown.append(f"{name!r} ({statuses[name]}) found at position {names.index(name) + 1}")
    assert not shown, "unpublished listings appeared in search:\n" + "\n".join(shown)
