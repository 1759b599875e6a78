"""Everyday words a resident types, expanded into the words listings use (data: synonyms.txt)."""
import functools
import re
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.txt"
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


def words(text):
    return [w.strip("'-").lower() for w in _WORD.findall(text or "") if w.strip("'-")]


@functools.cache
def load(path=SYNONYMS_FILE):
    """[(trigger words tuple, [expansion phrases])], longest triggers first."""
    entries = []
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=>" not in line:
            continue
        left, right = line.split("=>", 1)
        expansions = [e.strip().lower() for e in right.split(",") if e.strip()]
        for trigger in left.split("|"):
            trigger_words = tuple(words(trigger))
            if trigger_words:
                entries.append((trigger_words, expansions))
    entries.sort(key=lambda entry: -len(entry[0]))
    return entries


def expand(query_words):
    """[(positions covered, expansion phrases)] for every trigger found in the words, longest first."""
    found, used = [], set()
    for trigger, expansions in load():
        size = len(trigger)
        for start in range(len(query_words) - size + 1):
            span = set(range(start, start + size))
            if tuple(query_words[start:start + size]) == trigger and not span & used:
                found.append((sorted(span), expansions))
                used |= span
    return found


@functools.cache
def vocabulary(path=SYNONYMS_FILE):
    """Every single word that can trigger an expansion."""
    return frozenset(word for trigger, _expansions in load(path) for word in trigger)

