"""New languages: a code checked and refused when it is the site's own or one it has, a catalogue started from the
template, and a language started on the web kept in the database so that a deploy from git, which has no file
for it, gets one written again (its translations are translators' overrides)."""
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.i18n import overrides
from app.i18n.catalogues import CatalogueError, po_path, translations_dir, write_catalog


def parse_language(code):
    """A new language's Locale, or CatalogueError: not a language, the site's own language, or one it has."""
    code = (code or "").strip().replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise CatalogueError(str(_l("That is not a language code we know, like fr or ur"))) from None
    if str(locale) != code:
        raise CatalogueError(str(_l("That is not a language code we know, like fr or ur")))
    if code.split("_")[0] == current_app.config["BABEL_DEFAULT_LOCALE"].split("_")[0]:
        raise CatalogueError(str(_l("The site is written in that language: it needs no catalogue")))
    if po_path(code).exists():
        raise CatalogueError(str(_l("That language already has a catalogue")))
    return locale


def _empty_catalogue(locale):
    """A language's catalogue with every message of the template and no translations (like `pybabel init`)."""
    with open(translations_dir() / "messages.pot", "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=locale, domain="messages", project="Hidden Gems", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, string=("",) * catalog.num_plurals if isinstance(message.id, (list, tuple))
                        else "", locations=message.locations, auto_comments=message.auto_comments,
                        flags=message.flags - {"fuzzy"}, context=message.context)
    return catalog


def _write_new(locale):
    code = str(locale)
    po_path(code).parent.mkdir(parents=True, exist_ok=True)
    write_catalog(code, _empty_catalogue(locale))


def add_language(code, user=None, on_the_web=False):
    """Start a catalogue for a new language from the template (like `pybabel init`).

    One started on the web is also recorded in the database: a deploy from git does not carry its file, so
    restore_added_catalogues() writes it again wherever it is missing (its translations are overrides)."""
    from app.extensions import db
    from app.i18n.models import AddedLanguage
    locale = parse_language(code)
    code = str(locale)
    if on_the_web and db.session.get(AddedLanguage, code) is not None:
        raise CatalogueError(str(_l("That language already has a catalogue")))
    _write_new(locale)
    if on_the_web:
        db.session.add(AddedLanguage(code=code, added_by_id=getattr(user, "id", None)))
    audit.log("language_added", user, record=code)
    db.session.commit()
    return locale


def restore_added_catalogues():
    """Write the catalogue of each language added on the web whose file this checkout lacks."""
    from app.extensions import db
    from app.i18n.models import AddedLanguage
    codes = overrides._read(lambda: list(db.session.scalars(db.select(AddedLanguage.code))), [])
    restored = []
    for code in codes:
        if not po_path(code).exists() and (translations_dir() / "messages.pot").exists():
            try:
                _write_new(Locale.parse(code))
            except (UnknownLocaleError, ValueError, OSError):
                continue
            restored.append(code)
    return restored
