"""The search index: one Whoosh index on disk holding published services only.

The rest of the app talks to it through a narrow interface (add_to_index, remove_from_index,
query_index, rebuild_index, index_status) so another engine could stand behind the same calls.
The index is updated after the database commit, from documents built before it, so it never
holds uncommitted data. Searches build Whoosh query objects directly: nothing a resident types
is ever parsed as query syntax.
"""
import gc
import logging
import os
import re
import shutil
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh import collectors, sorting
from whoosh.analysis import CharsetFilter, StandardAnalyzer, StemmingAnalyzer
from whoosh.support.charset import accent_map
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import And, AndMaybe, Every, NumericRange, Or, Term

from app.directory import opening
from app.directory.search import synonyms

log = logging.getLogger(__name__)

WRITE_TIMEOUT = 30.0  # seconds to wait for another process's write lock
TEXT_FIELDS = {"name": 3.0, "categories_text": 2.0, "organisation": 1.5, "description": 1.0}
FACET_FIELDS = ("categories", "neighbourhood", "cost", "formats", "languages", "accessibility", "capacity", "days")
MAX_WORDS = 12
_STEM = StemmingAnalyzer() | CharsetFilter(accent_map)  # café finds cafe


class IndexUnavailable(Exception):
    """The index is missing or unreadable; callers fall back to the database."""


# Listing translations are indexed per language, with that language's stemmer where Whoosh has one.
TRANSLATED_LANGUAGES = ("ar", "bn", "so", "es", "pt", "pl", "fr", "tr", "zh", "ur", "de", "it")


def translated_analyzer(code):
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.lang import has_stemmer
    if has_stemmer(code):
        return LanguageAnalyzer(code) | CharsetFilter(accent_map)
    return StandardAnalyzer(stoplist=None, minsize=1) | CharsetFilter(accent_map)


def make_schema():
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=_STEM, stored=True),
        categories_text=TEXT(analyzer=_STEM),
        description=TEXT(analyzer=_STEM),
        organisation=TEXT(analyzer=_STEM),
        alltext=TEXT(analyzer=_STEM),
        spell=TEXT(analyzer=StandardAnalyzer(minsize=3) | CharsetFilter(accent_map), spelling=True),
        categories=KEYWORD(commas=True),
        neighbourhood=KEYWORD(commas=True),
        cost=ID,
        formats=KEYWORD(commas=True),
        languages=KEYWORD(commas=True),
        accessibility=KEYWORD(commas=True),
        capacity=ID,
        days=KEYWORD(commas=True),
        open_slots=KEYWORD(commas=True),
        min_age=NUMERIC(),
        max_age=NUMERIC(),
        verified=NUMERIC(sortable=True, stored=True),
        **{f"t_{code}": TEXT(analyzer=translated_analyzer(code)) for code in TRANSLATED_LANGUAGES},
        name_sort=ID(sortable=True),
        places=STORED,
    )


# Documents

def _plain(markdown_text):
    text = re.sub(r"[*_#>`\[\]()]", " ", markdown_text or "")
    return re.sub(r"\s+", " ", text).strip()


def document_for(service, today=None):
    """The indexed form of a service, or None when it must not be found."""
    if service.status != "published":
        return None
    codes, names = set(), []
    for category in service.categories:
        codes.add(category.code)
        names.append(category.name)
        if category.parent:
            codes.add(category.parent.code)
            names.append(category.parent.name)
    from app.directory.taxonomy import AUDIENCES
    names += [str(AUDIENCES[code]._args[0]) for code in service.audience if code in AUDIENCES]
    locations = service.locations
    neighbourhoods = sorted({loc.neighbourhood.code for loc in locations if loc.neighbourhood})
    places = [(loc.latitude, loc.longitude) for loc in locations if loc.latitude is not None]
    description = " ".join(filter(None, [_plain(service.description), service.access_text, service.eligibility]))
    slots = opening.weekly_tokens(service.schedules, today) | opening.event_tokens(service.schedules, today)
    verified = service.last_verified_at
    return {
        "id": str(service.id),
        "name": service.name,
        "categories_text": " ".join(names),
        "description": description,
        "organisation": service.organisation.name if service.organisation else "",
        "alltext": " ".join([service.name, " ".join(names), description]),
        "spell": " ".join([service.name, " ".join(names), description]),
        "categories": ",".join(sorted(codes)),
        "neighbourhood": ",".join(neighbourhoods) or "none",
        "cost": service.cost_type,
        "formats": ",".join(service.formats),
        "languages": ",".join(service.languages),
        "accessibility": ",".join(service.accessibility),
        "capacity": service.capacity_status,
        "days": ",".join(str(d) for d in sorted(opening.weekdays(service.schedules))),
        "open_slots": ",".join(sorted(slots)),
        "min_age": service.min_age if service.min_age is not None else 0,
        "max_age": service.max_age if service.max_age is not None else 150,
        "verified": int(verified.timestamp() // 86400) if verified else 0,
        **{f"t_{t.language}": " ".join(filter(None, [t.name, _plain(t.description), t.access_text, t.eligibility]))
           for t in getattr(service, "translations", []) if t.language in TRANSLATED_LANGUAGES},
        "name_sort": service.name.lower()[:100],
        "places": places,
    }


# Opening and writing

def _index_dir():
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def _open():
    path = _index_dir()
    if not path.exists():
        raise IndexUnavailable(f"no index at {path}")
    error = None
    # Whoosh leaves a damaged file open; it is closed when the traceback goes, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        for attempt in range(5):
            try:
                return whoosh_index.open_dir(str(path))
            except FileNotFoundError as exc:
                # Another process committed and removed the table of contents we were about to read.
                error = f"{type(exc).__name__}: {exc}"
                time.sleep(0.01 * (attempt + 1))
            except Exception as exc:  # Whoosh raises many kinds of error on a damaged index
                error = f"{type(exc).__name__}: {exc}"
                break
        gc.collect()
    raise IndexUnavailable(error)


def _apply(ix, documents, removals):
    writer = ix.writer(timeout=WRITE_TIMEOUT)
    try:
        for service_id in removals:
            writer.delete_by_term("id", str(service_id))
        for doc in documents:
            writer.update_document(**doc)
    except Exception:
        writer.cancel()
        raise
    writer.commit()


def add_to_index(service):
    doc = document_for(service)
    if doc is None:
        remove_from_index(service.id)
        return
    _apply(_open(), [doc], [])


def remove_from_index(service_id):
    _apply(_open(), [], [service_id])


def rebuild_index(services):
    """Build a fresh index beside the live one, then swap it in atomically."""
    target = _index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    stamp = f"{int(time.time() * 1000)}-{os.getpid()}-{threading.get_ident()}"
    new_dir = target.parent / f"{target.name}.build-{stamp}"
    new_dir.mkdir()
    ix = whoosh_index.create_in(str(new_dir), make_schema())
    writer = ix.writer(limitmb=256)
    count = 0
    for service in services:
        doc = document_for(service)
        if doc:
            writer.add_document(**doc)
            count += 1
    writer.commit()
    # The live path is a symlink; replacing a symlink is atomic, so readers see old or new, never half.
    link_tmp = target.parent / f".{target.name}.link-{stamp}"
    os.symlink(new_dir.name, link_tmp)
    old_real = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        shutil.rmtree(target)
    os.replace(link_tmp, target)
    if old_real and old_real != new_dir.resolve() and old_real.exists():
        shutil.rmtree(old_real, ignore_errors=True)
    return count


def index_status():
    try:
        ix = _open()
        with ix.searcher() as searcher:
            return {"status": "ok", "documents": searcher.doc_count()}
    except IndexUnavailable as exc:
        return {"status": "degraded", "detail": "index unavailable", "reason": str(exc)[:200]}


# Querying

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


def _stems(word):
    return [token.text for token in _STEM(word)]


# Words so common in listings that requiring them would hide the obvious answer ("help with debt").
WEAK_WORDS = frozenset("help helps support group groups service services club class classes local near me people "
                       "someone something need needs want find looking advice".split())
ORIGINAL_BOOST, CORRECTION_BOOST, SYNONYM_BOOST = 3.0, 0.8, 0.3


def _terms(stems, boost):
    return [Term(name, stem, boost=field_boost * boost) for stem in stems for name, field_boost in TEXT_FIELDS.items()]


def _known(reader, stems):
    return reader is None or any(reader.doc_frequency(name, stem) for stem in stems for name in TEXT_FIELDS)


def _edit_distance(a, b, limit):
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
    return row[-1]


def _corrections(searcher, word):
    """Words within 1 edit (5-7 letters) or 2 edits (8+) of a word the index does not know: the index's
    own words first, then the everyday words synonyms.txt knows."""
    if searcher is None or len(word) < 5:
        return []
    maxdist = 2 if len(word) >= 8 else 1
    found = searcher.corrector("spell").suggest(word, limit=3, maxdist=maxdist, prefix=1)
    if not found:
        close = sorted((_edit_distance(word, known, maxdist), known) for known in synonyms.vocabulary()
                       if known[:1] == word[:1])
        found = [known for distance, known in close if distance <= maxdist][:3]
    return found


def _phrase_query(phrase, boost):
    # Related words are looked up in one combined field: fewer terms, and they rank below typed words anyway.
    parts = []
    for word in synonyms.words(phrase):
        stems = _stems(word)
        if stems:
            parts.append(Or([Term(name, stem, boost=boost * weight) for stem in stems
                             for name, weight in (("name", 3.0), ("categories_text", 2.0), ("alltext", 1.0))]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def _translated_terms(word, language, boost=ORIGINAL_BOOST):
    name = f"t_{language}"
    analyzer = translated_analyzer(language)
    return [Term(name, token.text, boost=boost) for token in analyzer(word)]


def text_query(text, searcher=None, language=None):
    """(query requiring every meaningful word, query wanting any word, stems to highlight).

    Each typed word matches its stem in the name, categories, organisation and description
    (boosted in that order). A word the index does not know is treated as a typo and replaced by
    the index's own nearest words, ranked lower. Everyday words expand through synonyms.txt,
    ranked lower still. Very common words are wanted but not required.
    """
    reader = searcher.reader() if searcher is not None else None
    typed = query_words(text)
    # Correct typos first, so a corrected word also gets its synonyms ("meditatoin" -> meditation -> calm).
    words, corrections = [], {}
    for pos, word in enumerate(typed):
        stems = _stems(word)
        translated_known = language in TRANSLATED_LANGUAGES and reader is not None and any(
            reader.doc_frequency(f"t_{language}", t.text) for t in translated_analyzer(language)(word))
        if stems and word not in synonyms.vocabulary() and not translated_known and not _known(reader, stems):
            found = _corrections(searcher, word)
            if found:
                corrections[pos] = found
                words.append(found[0])
                continue
        words.append(word)

    groups, stems_seen = [], set()
    expansions = synonyms.expand(words)
    covered = {}
    for span, phrases in expansions:
        for pos in span:
            covered[pos] = phrases
    for pos, word in enumerate(words):
        options = []
        original = _stems(typed[pos])
        if pos in corrections:
            for fixed in corrections[pos]:
                fixed_stems = _stems(fixed)
                options += _terms(fixed_stems, CORRECTION_BOOST)
                stems_seen |= set(fixed_stems)
        elif original:
            options += _terms(original, ORIGINAL_BOOST)
            stems_seen |= set(original)
        if language in TRANSLATED_LANGUAGES:
            options += _translated_terms(typed[pos], language)
        related = []
        for rank, phrase in enumerate(covered.get(pos, ())):
            # synonyms.txt lists the most relevant expansion first.
            query = _phrase_query(phrase, SYNONYM_BOOST / (1 + 0.25 * rank))
            if query is not None:
                related.append(query)
                stems_seen |= {s for w in synonyms.words(phrase) for s in _stems(w)}
        if related:
            # The best related word counts, not their sum: a listing with the typed word itself wins.
            options.append(Or(related) if len(related) > 1 else related[0])
        if options:
            groups.append((typed[pos] in WEAK_WORDS, Or(options)))
    if not groups:
        return None, None, set(), None
    strong = [q for weak, q in groups if not weak]
    weak = [q for is_weak, q in groups if is_weak]
    any_word = Or([q for _w, q in groups]) if len(groups) > 1 else groups[0][1]
    if not strong:
        strong, weak = weak, []
    required = strong[0] if len(strong) == 1 else And(strong)
    all_words = AndMaybe(required, Or(weak)) if weak else required
    return all_words, any_word, stems_seen, (" ".join(words) if corrections else None)


def filter_query(filters, now=None):
    parts = []
    if filters.category:
        parts.append(Term("categories", filters.category))
    if filters.neighbourhood:
        parts.append(Term("neighbourhood", filters.neighbourhood))
    if filters.day is not None:
        parts.append(Term("days", str(filters.day)))
    if filters.free:
        parts.append(Term("cost", "free"))
    if filters.format:
        parts.append(Term("formats", filters.format))
    if filters.language:
        parts.append(Term("languages", filters.language))
    for feature in filters.access:
        parts.append(Term("accessibility", feature))
    if filters.age is not None:
        parts.append(NumericRange("min_age", None, filters.age))
        parts.append(NumericRange("max_age", filters.age, None))
    if filters.taking:
        parts.append(Term("capacity", "taking"))
    if filters.open_now:
        parts.append(open_now_query(now))
    return And(parts) if parts else None


def open_now_query(now):
    weekly, event_token = opening.now_tokens(now)
    return Or([Term("open_slots", weekly), Term("open_slots", event_token)])


_cache = {}
_cache_lock = threading.Lock()


def _reader_cache(searcher):
    """Per-index-version memo: term bitmasks for facet counts, and listing places for distances."""
    reader = searcher.reader()
    key = (str(_index_dir().resolve()), reader.generation(), searcher.doc_count_all())
    with _cache_lock:
        memo = _cache.get(key)
        if memo is None:
            _cache.clear()
            memo = _cache[key] = {"masks": {}, "places": None}
    return memo


def _mask(docnums, size):
    bits = bytearray((size >> 3) + 1)
    for d in docnums:
        bits[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(bits, "little")


def _term_mask(searcher, memo, field_name, value):
    key = (field_name, value)
    mask = memo["masks"].get(key)
    if mask is None:
        reader = searcher.reader()
        docs = reader.postings(field_name, value).all_ids() if reader.doc_frequency(field_name, value) else ()
        mask = memo["masks"][key] = _mask(docs, searcher.doc_count_all())
    return mask


def _facet_values(searcher, memo, field_name):
    values = memo["masks"].get(("__values__", field_name))
    if values is None:
        values = memo["masks"][("__values__", field_name)] = [
            term.decode("utf-8") if isinstance(term, bytes) else term
            for term in searcher.reader().lexicon(field_name)]
    return values


def _places(searcher, memo):
    if memo["places"] is None:
        memo["places"] = {docnum: fields.get("places") or [] for docnum, fields in searcher.reader().iter_docs()}
    return memo["places"]


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
    from app.directory.postcodes import miles_between

    filters = filters or Filters()
    ix = _open()
    with ix.searcher() as searcher:
        memo = _reader_cache(searcher)
        all_words, any_word, stems, corrected = text_query(text, searcher, language)
        if all_words is None and query_words(text):
            return Outcome(hits=[], total=0, facets={name: {} for name in FACET_FIELDS}, stems=set())
        query = all_words if all_words is not None else Every()
        if all_words is not None and now is not None:
            # Listings checked within the out-of-date window outrank those that are not.
            months = current_app.config["OUT_OF_DATE_AFTER_MONTHS"]
            recent = int((now.timestamp() - months * 30.44 * 86400) // 86400)
            query = AndMaybe(query, NumericRange("verified", recent, None, boost=0.5))
        restrict = filter_query(filters, now)
        if sort == "recent":
            order = [sorting.FieldFacet("verified", reverse=True), sorting.FieldFacet("name_sort")]
        elif all_words is None or sort == "distance":
            order = [sorting.FieldFacet("name_sort")]
        else:
            order = None  # by score; ties keep index order, so pages are stable

        limit = None if (sort == "distance" and near is not None) else page * per_page
        results, matched = _run(searcher, query, restrict, limit, order)
        matched_all = True
        if not matched and any_word is not None and any_word is not all_words:
            (results, matched), matched_all = _run(searcher, any_word, restrict, limit, order), False
        total = len(matched)

        if sort == "distance" and near is not None:
            places = _places(searcher, memo)
            ranked = []
            for hit in results:
                points = places.get(hit.docnum) or []
                distance = min((miles_between(near.latitude, near.longitude, lat, lon) for lat, lon in points),
                               default=None)
                ranked.append((distance is None, distance or 0.0, hit.rank, hit["id"]))
            ranked.sort()
            hits = [Hit(int(doc_id), None if missing else dist)
                    for missing, dist, _rank, doc_id in ranked[(page - 1) * per_page: page * per_page]]
        else:
            window = results[(page - 1) * per_page: page * per_page]
            hits = [Hit(int(hit["id"])) for hit in window]
            if near is not None:
                places = _places(searcher, memo)
                for hit, raw in zip(hits, window):
                    hit.distance = min((miles_between(near.latitude, near.longitude, lat, lon)
                                        for lat, lon in places.get(raw.docnum) or []), default=None)

        # Facet counts: the matched set as a bitmask, ANDed with each value's cached bitmask.
        size = searcher.doc_count_all()
        matched_mask = _mask(matched, size)
        facet_counts = {}
        for name in FACET_FIELDS:
            counts = {}
            for value in _facet_values(searcher, memo, name):
                count = (matched_mask & _term_mask(searcher, memo, name, value)).bit_count()
                if count:
                    counts[value] = count
            facet_counts[name] = counts
        open_now_count = 0
        if now is not None:
            weekly, event_token = opening.now_tokens(now)
            open_mask = _term_mask(searcher, memo, "open_slots", weekly)
            reader = searcher.reader()
            if reader.doc_frequency("open_slots", event_token):
                open_mask |= _mask(reader.postings("open_slots", event_token).all_ids(), size)
            open_now_count = (matched_mask & open_mask).bit_count()
        suggestion = _suggest(searcher, text) if total == 0 and text else None
        return Outcome(hits=hits, total=total, facets=facet_counts, open_now_count=open_now_count,
                       matched_all_words=matched_all, suggestion=suggestion, stems=stems,
                       corrected=corrected if total else None)


def _suggest(searcher, text):
    """A corrected query built from the index's own words, or None."""
    corrector = searcher.corrector("spell")
    changed, corrected = False, []
    for word in query_words(text):
        if len(word) < 4:
            corrected.append(word)
            continue
        options = corrector.suggest(word, limit=1, maxdist=3, prefix=1)
        if options and options[0] != word:
            corrected.append(options[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def highlight(text, stems, limit=220):
    """The start of `text`, with words whose stem matched the search wrapped in <mark>."""
    text = (text or "")[: limit * 2]
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit] + "…"
    if not stems:
        return escape(text)
    out, last = [], 0
    for token in _STEM(text, chars=True, removestops=False):
        if token.text in stems:
            out.append(escape(text[last:token.startchar]))
            out.append(Markup("<mark>") + escape(text[token.startchar:token.endchar]) + Markup("</mark>"))
            last = token.endchar
    out.append(escape(text[last:]))
    return Markup("").join(out)


# Keeping the index in step with the database.

def _service_ids_touched(session):
    from app.directory.models import Schedule, Service, ServiceAtLocation
    touched = session.info.setdefault("search_touched", set())
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Service) and obj.id is not None:
            touched.add(obj.id)
        elif isinstance(obj, (Schedule, ServiceAtLocation)) and obj.service_id is not None:
            touched.add(obj.service_id)
    return touched


def _after_flush(session, flush_context):
    from app.directory.models import Service
    if session.info.get("skip_search_sync"):
        return  # a bulk job that rebuilds the index itself afterwards
    _service_ids_touched(session)
    deleted = session.info.setdefault("search_deleted", set())
    for obj in session.deleted:
        if isinstance(obj, Service) and obj.id is not None:
            deleted.add(obj.id)


def _before_commit(session):
    from app.directory.models import Service
    session.flush()
    touched = session.info.pop("search_touched", set())
    deleted = session.info.pop("search_deleted", set())
    if not touched and not deleted:
        return
    documents, removals = [], set(deleted)
    live = touched - deleted
    if live:
        for service in session.execute(select(Service).where(Service.id.in_(live))).scalars():
            doc = document_for(service)
            if doc:
                documents.append(doc)
            else:
                removals.add(service.id)
    session.info["search_pending"] = (documents, removals)


def _after_commit(session):
    pending = session.info.pop("search_pending", None)
    if not pending:
        return
    documents, removals = pending
    try:
        _apply(_open(), documents, removals)
    except IndexUnavailable:
        log.warning("Search index unavailable; %d change(s) will appear after `flask search rebuild`",
                    len(documents) + len(removals))


def _after_rollback(session):
    for key in ("search_touched", "search_deleted", "search_pending"):
        session.info.pop(key, None)


def init_app(app):
    if getattr(init_app, "_listening", False):
        return
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_soft_rollback", lambda session, previous: _after_rollback(session))
    init_app._listening = True
