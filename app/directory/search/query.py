"""The filters a resident chose as a query, and running a search: the text half is textquery.py."""
from dataclasses import dataclass, field

from flask import current_app
from whoosh import collectors, sorting
from whoosh.query import And, AndMaybe, Every, NumericRange, Or, Term

from app.directory import opening
from app.directory.postcodes import miles_between
from app.directory.search import facets, spelling
from app.directory.search.schema import FACET_FIELDS
from app.directory.search.sync import IndexUnavailable, open_index
from app.directory.search.textquery import query_words, search_languages, text_query

__all__ = ["Filters", "Hit", "Outcome", "filter_query", "query_index", "query_words"]


@dataclass
class Filters:
    category: str | None = None
    neighbourhood: str | None = None
    day: int | None = None
    open_now: bool = False
    free: bool = False
    format: str | None = None
    language: str | None = None
    access: tuple = ()
    age: int | None = None
    taking: bool = False

    def active(self):
        return any([self.category, self.neighbourhood, self.day is not None, self.open_now, self.free, self.format,
                    self.language, self.access, self.age is not None, self.taking])


@dataclass
class Hit:
    service_id: int
    distance: float | None = None


@dataclass
class Outcome:
    hits: list
    total: int
    facets: dict = field(default_factory=dict)
    open_now_count: int = 0
    matched_all_words: bool = True
    suggestion: str | None = None
    stems: set = field(default_factory=set)
    corrected: str | None = None


# Filters

def filter_query(filters, now=None):
    """Every chosen filter as one query, or None when none is chosen."""
    f = filters
    chosen = [("categories", f.category), ("neighbourhood", f.neighbourhood),
              ("days", None if f.day is None else str(f.day)), ("cost", "free" if f.free else None),
              ("formats", f.format), ("languages", f.language)]
    parts = [Term(name, value) for name, value in chosen if value]
    parts += [Term("accessibility", feature) for feature in f.access]
    if f.age is not None:
        parts += [NumericRange("min_age", None, f.age), NumericRange("max_age", f.age, None)]
    if f.taking:
        parts.append(Term("capacity", "taking"))
    if f.open_now:
        parts.append(open_now_query(now))
    return And(parts) if parts else None


def open_now_query(now):
    weekly, event_token = opening.now_tokens(now)
    return Or([Term("open_slots", weekly), Term("open_slots", event_token)])


# Running

class _RecordingCollector(collectors.WrappingCollector):
    """Notes every matching document while the child collector keeps the top N, so the total and
    facet counts need no second pass over the index."""

    def __init__(self, child):
        super().__init__(child)
        self.seen = []

    def collect(self, sub_docnum):
        self.seen.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)


def _run(searcher, query, restrict, limit, order):
    child = searcher.collector(limit=limit, sortedby=order, optimize=False)
    recorder = _RecordingCollector(child)
    outer = collectors.FilterCollector(recorder, allow=restrict) if restrict is not None else recorder
    searcher.search_with_collector(query, outer)
    return outer.results(), recorder.seen


def query_index(text, filters=None, near=None, sort="relevance", page=1, per_page=20, now=None, language=None,
                correct=True):
    """Search published services. Returns an Outcome; raises IndexUnavailable.

    `correct=False` searches the words exactly as typed (no typo correction), for "Search instead for"."""
    ix = open_index()
    try:
        return _search(ix, text, filters, near, sort, page, per_page, now, language, correct)
    except Exception as exc:  # noqa: BLE001  a table of contents can open while the files it names are damaged or gone
        raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc


def _search(ix, text, filters, near, sort, page, per_page, now, language, correct):
    with ix.searcher() as searcher:
        memo = facets.reader_cache(searcher)
        all_words, any_word, stems_seen, corrected = text_query(text, searcher, language, correct)
        if all_words is None and query_words(text):
            return Outcome(hits=[], total=0, facets={name: {} for name in FACET_FIELDS}, stems=set())
        by_distance = sort == "distance" and near is not None
        restrict = filter_query(filters or Filters(), now)
        results, matched, matched_all = _matching(searcher, all_words, any_word, restrict, now,
                                                  limit=None if by_distance else page * per_page,
                                                  order=_order(sort, all_words is not None))
        total = len(matched)
        hits = _page_of_hits(searcher, memo, results, near, by_distance, slice((page - 1) * per_page, page * per_page))
        facet_counts, open_now_count = facets.counts(searcher, memo, matched, now)
        suggestion = (spelling.suggestion(searcher, query_words(text), search_languages(text, language))
                      if total == 0 and text else None)
        return Outcome(hits=hits, total=total, facets=facet_counts, open_now_count=open_now_count,
                       matched_all_words=matched_all, suggestion=suggestion, stems=stems_seen,
                       corrected=corrected if total else None)


def _matching(searcher, all_words, any_word, restrict, now, limit, order):
    """(top results, every matched document number, whether all the words matched).

    Without text every listing the filters allow matches. When no listing has all the words,
    listings with any of them are shown instead."""
    query = _favour_recently_checked(all_words, now) if all_words is not None else Every()
    results, matched = _run(searcher, query, restrict, limit, order)
    if not matched and any_word is not None and any_word is not all_words:
        results, matched = _run(searcher, any_word, restrict, limit, order)
        return results, matched, False
    return results, matched, True


def _favour_recently_checked(query, now):
    if now is None:
        return query
    # Listings checked within the out-of-date window outrank those that are not.
    months = current_app.config["OUT_OF_DATE_AFTER_MONTHS"]
    recent = int((now.timestamp() - months * 30.44 * 86400) // 86400)
    return AndMaybe(query, NumericRange("verified", recent, None, boost=0.5))


def _order(sort, has_text):
    if sort == "recent":
        return [sorting.FieldFacet("verified", reverse=True), sorting.FieldFacet("name_sort")]
    if not has_text or sort == "distance":
        return [sorting.FieldFacet("name_sort")]
    return None  # by score; ties keep index order, so pages are stable


def _page_of_hits(searcher, memo, results, near, by_distance, window):
    if by_distance:
        return _nearest_first(results, facets.places(searcher, memo), near, window)
    return _in_order(results[window], searcher, memo, near)


def _miles_to_nearest(near, points):
    return min((miles_between(near.latitude, near.longitude, lat, lon) for lat, lon in points), default=None)


def _nearest_first(results, places, near, window):
    """The window of all results, nearest first; listings with no place last, then in the search's order."""
    ranked = []
    for hit in results:
        distance = _miles_to_nearest(near, places.get(hit.docnum) or [])
        ranked.append((distance is None, distance or 0.0, hit.rank, hit["id"]))
    ranked.sort()
    return [Hit(int(doc_id), None if missing else dist) for missing, dist, _rank, doc_id in ranked[window]]


def _in_order(window, searcher, memo, near):
    hits = [Hit(int(hit["id"])) for hit in window]
    if near is not None:
        places = facets.places(searcher, memo)
        for hit, raw in zip(hits, window, strict=True):
            hit.distance = _miles_to_nearest(near, places.get(raw.docnum) or [])
    return hits
