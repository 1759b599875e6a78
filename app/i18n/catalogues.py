"""Reading the gettext catalogues: how complete each language pack is."""
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po
from flask import current_app


def translations_dir():
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def completeness(po_path):
    """(translated, fuzzy, untranslated): fuzzy counts as untranslated; plurals need every form."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    translated = fuzzy = untranslated = 0
    for message in catalog:
        if not message.id:
            continue  # the header
        if message.fuzzy:
            fuzzy += 1
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if strings and all(strings):
            translated += 1
        else:
            untranslated += 1
    return translated, fuzzy, untranslated


def completeness_report():
    report = []
    for code in current_app.config["LANGUAGES"]:
        po_path = translations_dir() / code / "LC_MESSAGES" / "messages.po"
        locale = Locale.parse(code)
        row = {"code": code, "name": locale.get_display_name("en"), "native": locale.get_display_name(locale),
               "exists": po_path.exists()}
        if po_path.exists():
            translated, fuzzy, untranslated = completeness(po_path)
            total = translated + fuzzy + untranslated
            row.update(translated=translated, fuzzy=fuzzy, untranslated=untranslated,
                       percent=round(100 * translated / total) if total else 100)
        report.append(row)
    return report
