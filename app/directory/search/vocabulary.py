"""The site's own words for a listing in every language it offers: its category names and audience words, as the
catalogues translate them. Indexed with each language's analyser, they let an Arabic search for الطعام (Food)
find an English listing in the Food category before anyone has translated the listing itself."""
from flask import current_app
from flask_babel import force_locale, gettext

from app.directory.search.schema import TRANSLATED_LANGUAGES


def indexed_languages():
    """The languages offered in the switcher that the index has a field for (English is indexed anyway)."""
    from app.i18n.locale import available_languages
    return [code for code in available_languages() if code in TRANSLATED_LANGUAGES]


def _memo():
    """Translated words by (language, English text), kept until a catalogue or a translator's edit changes."""
    from app.i18n.catalogues import catalogue_stamp
    stamp = catalogue_stamp()
    state = current_app.extensions.get("search_vocabulary")
    if state is None or state[0] != stamp:
        state = current_app.extensions["search_vocabulary"] = (stamp, {}, indexed_languages())
    return state


def translated_words(english_names):
    """{language: its words for these English names (category and audience names)} for every offered language."""
    _stamp, memo, languages = _memo()
    found = {}
    for code in languages:
        words = []
        for name in english_names:
            key = (code, name)
            if key not in memo:
                with force_locale(code):
                    text = gettext(name)
                memo[key] = text if text != name else ""
            if memo[key]:
                words.append(memo[key])
        found[code] = " ".join(words)
    return found
