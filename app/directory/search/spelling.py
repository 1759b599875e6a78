"""Typos: the nearest words to one the index does not know, and a "did you mean" for an empty search."""
from app.directory.search import synonyms


def edit_distance(a, b, limit):
    """Levenshtein distance, or limit + 1 as soon as the lengths alone rule it out."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[:], i
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
    return row[-1]


def corrections(searcher, word):
    """Words within 1 edit (5-7 letters) or 2 edits (8+) of a word the index does not know: the index's
    own words first, then the everyday words synonyms.txt knows."""
    if searcher is None or len(word) < 5:
        return []
    maxdist = 2 if len(word) >= 8 else 1
    found = searcher.corrector("spell").suggest(word, limit=3, maxdist=maxdist, prefix=1)
    if not found:
        close = sorted((edit_distance(word, known, maxdist), known) for known in synonyms.vocabulary()
                       if known[:1] == word[:1])
        found = [known for distance, known in close if distance <= maxdist][:3]
    return found


def suggestion(searcher, words):
    """The typed words with each unknown one replaced by the index's nearest word, or None if none changed."""
    corrector = searcher.corrector("spell")
    changed, corrected = False, []
    for word in words:
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
