"""Searches that suggest someone may be in crisis (`suicidal`, `I want to kill myself`, in any of the site's
languages), so the results page can put urgent help above everything else.

The terms are data (app/directory/data/crisis_terms.json); a search in any language is checked against all of
them, since people search in their own language whatever language the site is shown in."""
import functools
import json
import unicodedata
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "crisis_terms.json"
# Arabic letters written several ways (hamza on alef, alef maqsura, ta marbuta) and the tatweel.
_ARABIC = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": None})
# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i"})


def _strip_mark(char):
    """Accents on Latin letters and Arabic short vowels go; Bengali vowel signs, which are letters' parts, stay."""
    code = ord(char)
    return 0x0300 <= code <= 0x036F or 0x064B <= code <= 0x065F or code == 0x0670


# Arabic joins "and" and "the" to the word after them: والانتحار is "and the suicide".
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def _word(token):
    for prefix in _ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) > len(prefix) + 2:
            return token[len(prefix):]
    return token


def words(text):
    return [_word(token) for token in normalise(text).split()]


def normalise(text):
    """Lower case, without accents or Arabic diacritics, punctuation as spaces, one space between words."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    text = "".join(char for char in text if not _strip_mark(char))
    text = unicodedata.normalize("NFC", text).translate(_ARABIC).translate(_LETTERS)
    text = "".join(" " if unicodedata.category(char)[0] in "PSZC" else char for char in text)
    return " ".join(text.split())


@functools.cache
def _terms(path=DATA_FILE):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    terms = []
    for listed in data["terms"].values():
        for term in listed:
            prefix = term.endswith("*")
            tokens = words(term.rstrip("*"))
            if tokens:
                terms.append((tuple(tokens), prefix))
    return tuple(terms)


def _matches(tokens, term, prefix):
    size = len(term)
    for start in range(len(tokens) - size + 1):
        window = tokens[start:start + size]
        if tuple(window[:-1]) == term[:-1] and (
                window[-1].startswith(term[-1]) if prefix else window[-1] == term[-1]):
            return True
    return False


def is_crisis(text):
    """True when the search reads like someone in crisis."""
    tokens = words(text)
    if not tokens:
        return False
    return any(_matches(tokens, term, prefix) for term, prefix in _terms())


