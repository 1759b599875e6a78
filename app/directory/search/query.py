"""Turning what a resident typed and the filters they chose into a query, and running it.

Searches build Whoosh query objects directly: nothing a resident types is ever parsed as query syntax.
"""
from dataclasses import dataclass, field

from flask import current_app
from whoosh import collectors, sorting
from whoosh.query import And, AndMaybe, Every, NumericRange, Or, Term

from app.directory import opening
from app.directory.postcodes import miles_between
from app.directory.search import facets, spelling, synonyms
from app.directory.search.schema import FACET_FIELDS, TEXT_FIELDS, TRANSLATED_LANGUAGES, stems, translated_analyzer
from app.directory.search.sync import IndexUnavailable, open_index

MAX_WORDS = 12
# Words so common in listings that requiring them would hide the obvious answer ("help with debt").
WEAK_WORDS = frozenset({
    "help", "helps", "support", "group", "groups", "service", "services", "club", "class", "classes", "local", "near",
    "me", "people", "someone", "something", "need", "needs", "want", "find", "looking", "advice",
})
ORIGINAL_BOOST, CORRECTION_BOOST, SYNONYM_BOOST = 3.0, 0.8, 0.3


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


def query_words(text):
    return synonyms.words(str(text or "")[:500])[:MAX_WORDS]


# Text

def text_query(text, searcher=None, language=None):
    """(query requiring every meaningful word, query wanting any word, stems to highlight, corrected text).

    Each typed word matches its stem in the name, categories, organisation and description
    (boosted in that order). A word the index does not know is treated as a typo and replaced by
    the index's own nearest words, ranked lower. Everyday words expand through synonyms.txt,
    ranked lower still. Very common words are wanted but not required.
    """
    typed = query_words(text)
    # Correct typos first, so a corrected word also gets its synonyms ("meditatoin" -> meditation -> calm).
    words, corrections = _corrected_words(typed, searcher, language)
    related = {}
    for span, phrases in synonyms.expand(words):
        for pos in span:
            related[pos] = phrases
    groups, stems_seen = [], set()
    for pos, word in enumerate(typed):
        options, word_stems = _word_options(word, corrections.get(pos), related.get(pos, ()), language)
        stems_seen |= word_stems
        if options:
            groups.append((word in WEAK_WORDS, Or(options)))
    if not groups:
        return None, None, set(), None
    all_words, any_word = _combine(groups)
    return all_words, any_word, stems_seen, (" ".join(words) if corrections else None)


def _corrected_words(typed, searcher, language):
    """(the words with typos replaced by their best correction, {position: corrections})."""
    reader = searcher.reader() if searcher is not None else None
    words, corrections = [], {}
    for pos, word in enumerate(typed):
        found = spelling.corrections(searcher, word) if _unknown(word, reader, language) else []
        if found:
            corrections[pos] = found
        words.append(found[0] if found else word)
    return words, corrections


def _unknown(word, reader, language):
    """A likely typo: a word neither the index (in English or the reader's language) nor synonyms.txt knows."""
    word_stems = stems(word)
    if not word_stems or word in synonyms.vocabulary():
        return False
    if language in TRANSLATED_LANGUAGES and reader is not None and any(
            reader.doc_frequency(f"t_{language}", t.text) for t in translated_analyzer(language)(word)):
        return False
    return reader is not None and not any(reader.doc_frequency(name, stem) for stem in word_stems
                                          for name in TEXT_FIELDS)


def _word_options(typed_word, corrections, phrases, language):
    """(the ways one typed word may match, the stems they match): the word or its corrections, its
    translation-field terms, and the best of its synonyms."""
    options, stems_seen = [], set()
    if corrections:
        for fixed in corrections:
            fixed_stems = stems(fixed)
            options += _terms(fixed_stems, CORRECTION_BOOST)
            stems_seen |= set(fixed_stems)
    else:
        original = stems(typed_word)
        options += _terms(original, ORIGINAL_BOOST)
        stems_seen |= set(original)
    if language in TRANSLATED_LANGUAGES:
        options += _translated_terms(typed_word, language)
    related = []
    for rank, phrase in enumerate(phrases):
        # synonyms.txt lists the most relevant expansion first.
        query = _phrase_query(phrase, SYNONYM_BOOST / (1 + 0.25 * rank))
        if query is not None:
            related.append(query)
            stems_seen |= {s for w in synonyms.words(phrase) for s in stems(w)}
    if related:
        # The best related word counts, not their sum: a listing with the typed word itself wins.
        options.append(Or(related) if len(related) > 1 else related[0])
    return options, stems_seen


def _terms(word_stems, boost):
    return [Term(name, stem, boost=field_boost * boost) for stem in word_stems
            for name, field_boost in TEXT_FIELDS.items()]


def _translated_terms(word, language, boost=ORIGINAL_BOOST):
    name = f"t_{language}"
    analyzer = translated_analyzer(language)
    return [Term(name, token.text, boost=boost) for token in analyzer(word)]


def _phrase_query(phrase, boost):
    # Related words are looked up in one combined field: fewer terms, and they rank below typed words anyway.
    parts = []
    for word in synonyms.words(phrase):
        word_stems = stems(word)
        if word_stems:
            parts.append(Or([Term(name, stem, boost=boost * weight) for stem in word_stems
                             for name, weight in (("name", 3.0), ("categories_text", 2.0), ("alltext", 1.0))]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _combine(groups):
    """(every strong word required and weak words wanted, any word at all) from [(is weak, query)].

    With one word both are the same object, which query_index uses to skip a second search."""
    strong = [q for weak, q in groups if not weak]
    weak = [q for is_weak, q in groups if is_weak]
    any_word = Or([q for _w, q in groups]) if len(groups) > 1 else groups[0][1]
    if not strong:
        strong, weak = weak, []
    required = strong[0] if len(strong) == 1 else And(strong)
    all_words = AndMaybe(required, Or(weak)) if weak else required
    return all_words, any_word


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


def query_index(text, filters=None, near=None, sort="relevance", page=1, per_page=20, now=None, language=None):
    """Search published services. Returns an Outcome; raises IndexUnavailable."""
    ix = open_index()
    try:
        return _search(ix, text, filters, near, sort, page, per_page, now, language)
    except Exception as exc:  # noqa: BLE001  a table of contents can open while the files it names are damaged or gone
        raise IndexUnavailable(f"{type(exc).__name__}: {exc}") from exc


def _search(ix, text, filters, near, sort, page, per_page, now, language):
    with ix.searcher() as searcher:
        memo = facets.reader_cache(searcher)
        all_words, any_word, stems_seen, corrected = text_query(text, searcher, language)
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
        suggestion = spelling.suggestion(searcher, query_words(text)) if total == 0 and text else None
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
