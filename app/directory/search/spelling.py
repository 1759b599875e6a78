"""Typos: the nearest real words to one the index does not know, and a "did you mean" for an empty search.

Candidates are the words of listing names, organisations and category names (in every language: the `spell`
field) and the words the synonym lists know ("lonely" is in no listing, but residents type it). A swap of two
letters counts as one slip ("lonley", "anxeity"), and among equally near words the one more listings use wins,
so "lonley" becomes "lonely", not "long".
"""
from app.directory.search import synonyms

SYNONYM_WEIGHT = 3  # a synonym trigger counts as a word this many listings use


def edit_distance(a, b, limit):
    """Damerau-Levenshtein distance (a swap of neighbours is one edit), or limit + 1 once it cannot be within it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row = row, [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
        before = previous
        if min(row) > limit:
            return limit + 1
    return row[-1]


def allowed_distance(word):
    """One slip in a 5-7 letter word, two in a longer one; none in a shorter one (too many near words)."""
    return 0 if len(word) < 5 else 1 if len(word) < 8 else 2


def _candidates(searcher, word, languages, limit):
    """{candidate: weight} near a word: the spell field's words (weight: how many listings use them) and the
    synonym triggers of the search's languages."""
    found = {}
    if searcher is not None:
        reader = searcher.reader()
        for known in searcher.corrector("spell").suggest(word, limit=12, maxdist=limit, prefix=1):
            found[known] = reader.doc_frequency("spell", known)
    for known in synonyms.vocabulary(languages[0] if languages else None):
        if known[:1] == word[:1] and abs(len(known) - len(word)) <= limit:
            found[known] = max(found.get(known, 0), SYNONYM_WEIGHT)
    found.pop(word, None)
    return found


def _ranked(searcher, word, languages, limit):
    ranked = []
    for known, weight in _candidates(searcher, word, languages, limit).items():
        distance = edit_distance(word, known, limit)
        if distance <= limit:
            ranked.append((distance, -weight, known))
    ranked.sort()
    return [known for _distance, _weight, known in ranked]


def corrections(searcher, word, languages=()):
    """Up to three real words within the allowed slips of a word the index does not know, best first."""
    if searcher is None or not allowed_distance(word):
        return []
    return _ranked(searcher, word, languages, allowed_distance(word))[:3]


def suggestion(searcher, words, languages=()):
    """The typed words with each unknown one replaced by its nearest real word, or None if none changed."""
    changed, corrected = False, []
    known = synonyms.vocabulary(languages[0] if languages else None)
    reader = searcher.reader()
    for word in words:
        real = word in known or reader.doc_frequency("spell", word)
        options = _ranked(searcher, word, languages, 3) if len(word) >= 4 and not real else []
        if options:
            corrected.append(options[0])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None
