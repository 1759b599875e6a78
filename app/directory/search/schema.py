"""What the index holds: its fields, and the analysers that turn text into the words it stores."""
from whoosh.analysis import CharsetFilter, LowercaseFilter, StemmingAnalyzer, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from app.directory.search.analysis import analyzer_for, tokenizer

# The fields a typed word is looked up in, with their weights.
TEXT_FIELDS = {"name": 3.0, "categories_text": 2.0, "organisation": 1.5, "description": 1.0}
FACET_FIELDS = ("categories", "neighbourhood", "cost", "formats", "languages", "accessibility", "capacity", "days")
STEM = StemmingAnalyzer() | CharsetFilter(accent_map)  # café finds cafe

# Listing translations, and the site's category and audience words, are indexed per language with that
# language's analyser (analysis.py).
TRANSLATED_LANGUAGES = ("ar", "bn", "so", "es", "pt", "pl", "fr", "tr", "zh", "ur", "de", "it")


def stems(word):
    return [token.text for token in STEM(word)]


def translated_analyzer(code):
    return analyzer_for(code)


def make_schema():
    # phrase=False: no search asks for words next to each other (phrases are ANDed words, and highlighting
    # re-reads the text), so word positions are not stored: a smaller index that builds faster.
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=STEM, stored=True, phrase=False),
        categories_text=TEXT(analyzer=STEM, phrase=False),
        description=TEXT(analyzer=STEM, phrase=False),
        organisation=TEXT(analyzer=STEM, phrase=False),
        alltext=TEXT(analyzer=STEM, phrase=False),
        # Real words to correct typos to: names, organisations and category names, in every language.
        spell=TEXT(analyzer=tokenizer() | LowercaseFilter() | StopFilter(minsize=3) | CharsetFilter(accent_map),
                   spelling=True, phrase=False),
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
        **{f"t_{code}": TEXT(analyzer=translated_analyzer(code), phrase=False) for code in TRANSLATED_LANGUAGES},
        name_sort=ID(sortable=True),
        places=STORED,
    )
