"""The analysers for the site's languages: how text in each becomes the words the index stores.

English and the languages Whoosh stems (Spanish, Portuguese, French...) use Whoosh's own stemmers. Arabic and
Polish use Snowball's (`snowballstemmer`), wrapped as a Whoosh filter: Whoosh's Arabic stemmer (ISRI) cuts words
to their three-letter root, which merges unrelated words (طعام food and مطعم restaurant). Arabic is normalised
first (short vowels, tatweel, the forms of alef, the definite article), so الطعام finds طعام.
Bengali and Somali have no stemmer: plain words, with their synonym lists doing the rest.
"""
import functools
import re

import snowballstemmer
from whoosh.analysis import CharsetFilter, Filter, LanguageAnalyzer, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import has_stemmer
from whoosh.support.charset import accent_map

# A word: letters and digits, with the combining marks Bengali and Devanagari vowels are written with
# (Python's \w leaves them out, so খাবার would split into three pieces) and Arabic's short vowels.
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036F\u0610-\u061A\u064B-\u065F\u0670\u0900-\u0DFF\u200C\u200D])+")
SNOWBALL = {"ar": "arabic", "pl": "polish"}
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_ARABIC_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")


# "the", and "and/with/so/like the", joined to the word: the stemmer misreads some (الديون, debts, became الد).
_ARABIC_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")


def normalise_arabic(text):
    """Without short vowels (tashkeel), the tatweel or the definite article, and with one alef: الإعانات and
    اعانات are one word."""
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    for article in _ARABIC_ARTICLES:
        if text.startswith(article) and len(text) - len(article) >= 3:
            return text[len(article):]
    return text


class ArabicNormaliseFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = normalise_arabic(token.text)
            if token.text:
                yield token


@functools.cache
def _stemmer(algorithm):
    """A stemmer's stemWord with a cache: words repeat, and stemming is the slow part."""
    return functools.lru_cache(maxsize=50_000)(snowballstemmer.stemmer(algorithm).stemWord)


class SnowballFilter(Filter):
    """A Snowball stemmer as a Whoosh filter. It holds only the algorithm's name: the index pickles its schema."""

    def __init__(self, algorithm):
        self.algorithm = algorithm

    def __eq__(self, other):
        return isinstance(other, SnowballFilter) and other.algorithm == self.algorithm

    def __call__(self, tokens):
        stem = _stemmer(self.algorithm)
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


def tokenizer():
    return RegexTokenizer(WORD)


@functools.cache
def analyzer_for(code):
    """The analyser for text in a language (a two-letter code): one object per language, shared."""
    if code == "ar":
        return tokenizer() | LowercaseFilter() | ArabicNormaliseFilter() | SnowballFilter("arabic")
    if code in SNOWBALL:
        return tokenizer() | LowercaseFilter() | SnowballFilter(SNOWBALL[code]) | CharsetFilter(accent_map)
    if has_stemmer(code):
        return LanguageAnalyzer(code, expression=WORD) | CharsetFilter(accent_map)
    return tokenizer() | LowercaseFilter() | StopFilter(stoplist=None, minsize=1) | CharsetFilter(accent_map)


def terms(code, text):
    """The index words a text makes in a language, in order, repeats kept."""
    return [token.text for token in analyzer_for(code)(str(text or ""))]


def script_languages(text):
    """Languages a query's own script names (Arabic letters, Bengali letters), whatever the page's language."""
    found = []
    if re.search(r"[\u0600-\u06FF]", text or ""):
        found.append("ar")
    if re.search(r"[\u0980-\u09FF]", text or ""):
        found.append("bn")
    return found
