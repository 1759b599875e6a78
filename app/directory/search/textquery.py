"""What a resident typed, as a Whoosh query: each word in English and in the page's language, typos corrected,
everyday words expanded through that language's synonyms and English's.

Nothing a resident types is ever parsed as query syntax: the query objects are built directly.
"""
from whoosh.query import And, AndMaybe, Or, Term

from app.directory.search import spelling, synonyms
from app.directory.search.analysis import script_languages, terms
from app.directory.search.schema import TEXT_FIELDS, TRANSLATED_LANGUAGES, stems

MAX_WORDS = 12
# Words so common in listings that requiring them would hide the obvious answer ("help with debt").
WEAK_WORDS = frozenset({
    "help", "helps", "support", "group", "groups", "service", "services", "club", "class", "classes", "local", "near",
    "me", "people", "someone", "something", "need", "needs", "want", "find", "looking", "advice",
})
ORIGINAL_BOOST, CORRECTION_BOOST, SYNONYM_BOOST = 3.0, 0.8, 0.3
# The first expansion in another language's list is the word's English translation: it ranks nearly as the
# English word typed would (اكتئاب -> depression), above the looser related words.
TRANSLATION_BOOST = 2.0
# Related words are looked up in one combined English field, and in the language's own field.
PHRASE_FIELDS = (("name", 3.0), ("categories_text", 2.0), ("alltext", 1.0))


def query_words(text):
    return synonyms.words(str(text or "")[:500])[:MAX_WORDS]


def search_languages(text, language):
    """The non-English languages whose fields a search looks in: the page's, and any its script names."""
    found = [language] if language in TRANSLATED_LANGUAGES else []
    return found + [code for code in script_languages(text) if code not in found]


def text_query(text, searcher=None, language=None, correct=True):
    """(query requiring every meaningful word, query wanting any word, stems to highlight, corrected text).

    Each typed word matches its stem in the name, categories, organisation and description
    (boosted in that order), and its stem in the page language's field (the listing's translation and the
    site's category words in that language). A word the index does not know is treated as a typo and replaced
    by the index's own nearest words, ranked lower (not when `correct` is false: "Search instead for").
    Everyday words expand through the synonym lists, ranked lower still. Very common words are wanted but not
    required.
    """
    typed = query_words(text)
    languages = search_languages(text, language)
    # Correct typos first, so a corrected word also gets its synonyms ("meditatoin" -> meditation -> calm).
    words, corrections = _corrected_words(typed, searcher, languages) if correct else (typed, {})
    related = {}
    for span, phrases, code in synonyms.expand(words, languages[0] if languages else None):
        for pos in span:
            related[pos] = (phrases, code != "en")
    groups, stems_seen = [], set()
    for pos, word in enumerate(typed):
        options, word_stems = _word_options(word, corrections.get(pos), related.get(pos, ((), False)), languages)
        stems_seen |= word_stems
        if options:
            groups.append((word in WEAK_WORDS, Or(options)))
    if not groups:
        return None, None, set(), None
    all_words, any_word = _combine(groups)
    return all_words, any_word, stems_seen, (" ".join(words) if corrections else None)


def _corrected_words(typed, searcher, languages):
    """(the words with typos replaced by their best correction, {position: corrections})."""
    reader = searcher.reader() if searcher is not None else None
    words, corrections = [], {}
    for pos, word in enumerate(typed):
        found = spelling.corrections(searcher, word, languages) if _unknown(word, reader, languages) else []
        if found:
            corrections[pos] = found
        words.append(found[0] if found else word)
    return words, corrections


def _unknown(word, reader, languages):
    """A likely typo: a word neither the index (in English or the search's languages) nor the synonyms know."""
    word_stems = stems(word)
    if not word_stems or synonyms.fold(word) in synonyms.vocabulary(languages[0] if languages else None):
        return False
    if reader is None:
        return False
    for code in languages:
        if any(reader.doc_frequency(f"t_{code}", term) for term in terms(code, word)):
            return False
    return not any(reader.doc_frequency(name, stem) for stem in word_stems for name in TEXT_FIELDS)


def _word_options(typed_word, corrections, related_phrases, languages):
    """(the ways one typed word may match, the stems they match): the word or its corrections, its
    translation-field terms, its English translation (from another language's list) and the best of its synonyms."""
    options, stems_seen = [], set()
    phrases, translated = related_phrases
    if translated and phrases:
        translation = [_phrase_query(phrases[0], TRANSLATION_BOOST, languages, TEXT_FIELDS.items())]
        options += [q for q in translation if q is not None]
    for fixed in corrections or ():
        fixed_stems = stems(fixed)
        options += _terms(fixed_stems, CORRECTION_BOOST)
        options += _translated_terms(fixed, languages, CORRECTION_BOOST)
        stems_seen |= set(fixed_stems)
    if not corrections:
        original = stems(typed_word)
        options += _terms(original, ORIGINAL_BOOST)
        stems_seen |= set(original)
        options += _translated_terms(typed_word, languages)
    related = []
    for rank, phrase in enumerate(phrases):
        # The lists give the most relevant expansion first.
        query = _phrase_query(phrase, SYNONYM_BOOST / (1 + 0.25 * rank), languages)
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


def _translated_terms(word, languages, boost=ORIGINAL_BOOST):
    return [Term(f"t_{code}", term, boost=boost) for code in languages for term in terms(code, word)]


def _phrase_query(phrase, boost, languages, fields=PHRASE_FIELDS):
    """Every word of an expansion phrase, in English's fields or in one of the languages' own."""
    parts = []
    for word in synonyms.words(phrase):
        options = [Term(name, stem, boost=boost * weight) for stem in stems(word) for name, weight in fields]
        options += _translated_terms(word, languages, boost * 2.0)
        if options:
            parts.append(Or(options))
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
