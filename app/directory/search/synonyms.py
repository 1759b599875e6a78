"""Everyday words a resident types, expanded into the words listings use, in every language.

Each language ships a list (synonyms_data/<code>.txt: "trigger | trigger => expansion, expansion"); translators
edit it in /translate/<code>/synonyms, and their edits are kept in the database over the shipped file
(synonym_store.py), so a deploy keeps them. Expansion happens when a search runs, so an edit counts from the
next search in every worker: each search checks the edits' version stamp (one indexed query) and reloads the
lists only when it changed.
"""
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.directory.search.analysis import WORD, normalise_arabic

DATA_DIR = Path(__file__).resolve().parent / "synonyms_data"
SYNONYMS_FILE = DATA_DIR / "en.txt"
# A word as a resident types it: letters (with their combining marks), digits, hyphens and apostrophes.
_WORD = re.compile(rf"(?:{WORD.pattern}|['_-])+", re.UNICODE)


def words(text):
    return [w.strip("'-").lower() for w in _WORD.findall(text or "") if w.strip("'-")]


@functools.lru_cache(maxsize=20_000)
def fold(word):
    """A word as triggers are compared: Latin accents and Arabic short vowels, alef forms and "the" left out
    (comida/comída, الطعام/طعام); Bengali's vowel signs, which are part of its letters, stay."""
    decomposed = unicodedata.normalize("NFKD", normalise_arabic(word))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not 0x0300 <= ord(c) <= 0x036F))


@dataclass(frozen=True)
class Group:
    key: str
    triggers: tuple
    expansions: tuple
    shipped_line: str = ""  # the line in the shipped file, or "" for a group a translator added
    removed: bool = False  # a translator removed it: searches leave it out

    def line(self):
        return " | ".join(self.triggers) + " => " + ", ".join(self.expansions)


def parse_line(raw):
    """(triggers, expansions) from "a | b => c, d", or None for a comment, blank or malformed line."""
    line = raw.strip()
    if not line or line.startswith("#") or "=>" not in line:
        return None
    left, right = line.split("=>", 1)
    triggers = tuple(" ".join(words(t)) for t in left.split("|") if words(t))
    expansions = tuple(e.strip().lower() for e in right.split(",") if e.strip())
    return (triggers, expansions) if triggers and expansions else None


def group_key(language, line):
    return hashlib.sha1(f"{language}\n{line}".encode(), usedforsecurity=False).hexdigest()[:12]


def shipped_file(language):
    return DATA_DIR / f"{language}.txt"


@functools.cache
def shipped_groups(language):
    """The groups in a language's shipped file, in file order ([] when it has none)."""
    path = shipped_file(language)
    if not path.exists():
        return []
    groups = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        parsed = parse_line(raw)
        if parsed:
            groups.append(Group(group_key(language, raw.strip()), parsed[0], parsed[1], raw.strip()))
    return groups


def entries_from(groups):
    """[(trigger words tuple, [expansion phrases])], longest triggers first."""
    entries = []
    for group in groups:
        for trigger in group.triggers:
            trigger_words = tuple(fold(w) for w in words(trigger))
            if trigger_words:
                entries.append((trigger_words, list(group.expansions)))
    entries.sort(key=lambda entry: -len(entry[0]))
    return entries


def load(path=SYNONYMS_FILE):
    """The English shipped list's entries (no database): kept for scripts and tests that read the file."""
    language = Path(path).stem
    return entries_from(shipped_groups(language))


def _entries(language):
    from app.directory.search import synonym_store
    return synonym_store.effective_entries(language)


def languages_for(language):
    """The lists a search in a page's language uses: that language's, then English (people mix them)."""
    return [language, "en"] if language and language != "en" else ["en"]


def expand(query_words, language=None):
    """[(positions covered, expansion phrases, the list's language)] for every trigger found in the words, longest
    first within each list, the page language's list before English's."""
    found, used = [], set()
    query_words = [fold(w) for w in query_words]
    for code in languages_for(language):
        for trigger, expansions in _entries(code):
            size = len(trigger)
            for start in range(len(query_words) - size + 1):
                span = set(range(start, start + size))
                if tuple(query_words[start:start + size]) == trigger and not span & used:
                    found.append((sorted(span), expansions, code))
                    used |= span
    return found


def vocabulary(language=None):
    """Every single word that can trigger an expansion in the lists a search in this language uses."""
    from app.directory.search import synonym_store
    return frozenset().union(*(synonym_store.effective_vocabulary(code) for code in languages_for(language)))
