"""Facet counts for a result set, and a memo per index version so each search does little work.

The matched set becomes a bitmask, ANDed with each facet value's cached bitmask.
"""
import threading

from app.directory import opening
from app.directory.search.schema import FACET_FIELDS
from app.directory.search.sync import index_dir

_cache = {}
_cache_lock = threading.Lock()


def reader_cache(searcher):
    """Per-index-version memo: term bitmasks for facet counts, and listing places for distances."""
    reader = searcher.reader()
    key = (str(index_dir().resolve()), reader.generation(), searcher.doc_count_all())
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


def places(searcher, memo):
    """{document number: [(latitude, longitude), ...]} for every listing in the index."""
    if memo["places"] is None:
        memo["places"] = {docnum: fields.get("places") or [] for docnum, fields in searcher.reader().iter_docs()}
    return memo["places"]


def counts(searcher, memo, matched, now=None):
    """({facet field: {value: number of matched listings}}, how many are open at `now`; 0 without `now`)."""
    matched_mask = _mask(matched, searcher.doc_count_all())
    open_now = _open_count(searcher, memo, matched_mask, now) if now is not None else 0
    return _facet_counts(searcher, memo, matched_mask), open_now


def _facet_counts(searcher, memo, matched_mask):
    found = {}
    for name in FACET_FIELDS:
        found[name] = {}
        for value in _facet_values(searcher, memo, name):
            count = (matched_mask & _term_mask(searcher, memo, name, value)).bit_count()
            if count:
                found[name][value] = count
    return found


def _open_count(searcher, memo, matched_mask, now):
    """Matched listings open at `now`: in a weekly session or a one-off event."""
    weekly, event_token = opening.now_tokens(now)
    open_mask = _term_mask(searcher, memo, "open_slots", weekly)
    reader = searcher.reader()
    if reader.doc_frequency("open_slots", event_token):
        open_mask |= _mask(reader.postings("open_slots", event_token).all_ids(), searcher.doc_count_all())
    return (matched_mask & open_mask).bit_count()
