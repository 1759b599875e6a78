"""The gettext catalogues: completeness, editing with validation, uploads, new languages, live reload.

Saving writes the .po file (comments and order kept), compiles the .mo beside it atomically, and
every worker process notices the new .mo's time stamp on its next request and reloads: a
translator's fix is live at once, without a restart.
"""
import fcntl
import hashlib
import io
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, write_po
from flask import current_app, g
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.i18n import checks

PLACEHOLDER_RE = re.compile(r"%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdif]|%[sdif]|\{[a-zA-Z_][a-zA-Z0-9_]*\}")
MAX_LENGTH = 5000


class CatalogueError(ValueError):
    pass


def translations_dir():
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


def po_path(code):
    return translations_dir() / code / "LC_MESSAGES" / "messages.po"


def mo_path(code):
    return translations_dir() / code / "LC_MESSAGES" / "messages.mo"


def known_languages():
    """The configured languages plus any added from the translator tools, default language first."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    found = [p.name for p in sorted(translations_dir().iterdir()) if (p / "LC_MESSAGES" / "messages.po").exists()] \
        if translations_dir().exists() else []
    ordered = [default] + [c for c in current_app.config["LANGUAGES"] if c != default]
    return ordered + [c for c in found if c not in ordered]


def read(code):
    with open(po_path(code), "rb") as handle:
        return read_po(handle, locale=code)


_completeness_cache = {}


def completeness(code):
    """(translated, fuzzy, untranslated) counting fuzzy as untranslated and plurals needing every form."""
    path = po_path(code)
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _completeness_cache:
        catalog = read(code)
        translated = fuzzy = untranslated = 0
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy:
                fuzzy += 1
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            if strings and all(strings):
                translated += 1
            else:
                untranslated += 1
        _completeness_cache[key] = (translated, fuzzy, untranslated)
    return _completeness_cache[key]


def percent(code):
    translated, fuzzy, untranslated = completeness(code)
    total = translated + fuzzy + untranslated
    return round(100 * translated / total) if total else 100


def completeness_report():
    from sqlalchemy import select

    from app.extensions import db
    from app.i18n.models import LanguageReview, TranslationEdit
    report = []
    for code in known_languages():
        locale = Locale.parse(code)
        from flask_babel import get_locale
        row = {"code": code, "name": locale.get_display_name(get_locale() or "en"),
               "native": locale.get_display_name(locale),
               "exists": po_path(code).exists(), "dir": locale.text_direction}
        if row["exists"]:
            translated, fuzzy, untranslated = completeness(code)
            review = db.session.get(LanguageReview, code)
            last = db.session.execute(select(TranslationEdit).where(TranslationEdit.language == code)
                                      .order_by(TranslationEdit.at.desc())).scalars().first()
            row.update(translated=translated, fuzzy=fuzzy, untranslated=untranslated, percent=percent(code),
                       review=review.state if review else "awaiting", last=last,
                       live=percent(code) >= current_app.config["LANGUAGE_THRESHOLD"])
        report.append(row)
    return report


def message_key(message):
    raw = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    # A short stable key for a message in forms and URLs, not a security measure.
    return hashlib.sha1(((message.context or "") + "\x04" + raw).encode(), usedforsecurity=False).hexdigest()[:12]


def entries(code, show="all", query=""):
    """Messages for the editor, in catalogue order, filtered by state and text."""
    catalog = read(code)
    query = (query or "").strip().lower()[:200]
    out = []
    for message in catalog:
        if not message.id:
            continue
        plural = isinstance(message.id, (list, tuple))
        strings = list(message.string) if plural else [message.string]
        state = "fuzzy" if message.fuzzy else ("translated" if all(strings) else "untranslated")
        if show in ("untranslated", "fuzzy", "translated") and state != show:
            continue
        source = message.id if not plural else " / ".join(message.id)
        if query and query not in source.lower() and not any(query in (s or "").lower() for s in strings):
            continue
        out.append({"key": message_key(message), "id": message.id, "plural": plural, "strings": strings,
                    "state": state, "locations": message.locations[:5], "comments": message.auto_comments,
                    "source": source})
    return out, catalog.num_plurals


def find(catalog, key):
    return next((m for m in catalog if m.id and message_key(m) == key), None)


def plural_labels(code):
    """What each plural form is for, from the language's CLDR rules: ['one', 'other'] and so on."""
    locale = Locale.parse(code)
    return list(locale.plural_form.tags) if hasattr(locale.plural_form, "tags") else []


def validate(message, strings, num_plurals):
    """Problems with a proposed translation (empty when it is acceptable)."""
    plural = isinstance(message.id, (list, tuple))
    if plural and len(strings) != num_plurals:
        return [str(_l("This language needs %(num)s plural forms", num=num_plurals))]
    problems = []
    if plural and any(strings) and not all(strings):
        problems.append(_l("Fill in every plural form"))
    sources = list(message.id) if plural else [message.id]
    wanted = set(PLACEHOLDER_RE.findall(sources[-1])) | set(PLACEHOLDER_RE.findall(sources[0]))
    source_markup = [checks.markup_of(s) for s in sources]
    fill = checks.fill_values(message)
    # A plural form for exactly one item may leave out the number (for example Arabic's 'one' form).
    may_omit_number = plural and len(strings) > 1
    for text in strings:
        if text is not None:
            problems.extend(_text_problems(text))
        if text:
            problems.extend(_placeholder_problems(text, wanted, may_omit_number, fill))
            problems.extend(_markup_problems(text, sources, source_markup))
    return list(dict.fromkeys(str(p) for p in problems))


def _text_problems(text):
    if len(text) > MAX_LENGTH:
        yield _l("A translation must be 5,000 characters or fewer")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        yield _l("Remove the invisible control characters")


def _placeholder_problems(text, wanted, may_omit_number, fill):
    found = set(PLACEHOLDER_RE.findall(text))
    missing, extra = wanted - found, found - wanted
    if missing and not (may_omit_number and missing <= {"%(num)s", "%(num)d"}):
        yield _l("Keep these placeholders exactly as they are: %(names)s", names=", ".join(sorted(missing)))
    if extra:
        yield _l("These placeholders are not in the English text: %(names)s", names=", ".join(sorted(extra)))
    if fill is not None and checks.cannot_fill(text, fill):
        yield _l("This text cannot be filled in: write %(percent)s for a percent sign, and keep each placeholder "
                 "whole", percent="%%")


def _markup_problems(text, sources, source_markup):
    # Shown as trusted markup: only the source's own tags, attributes and values, nothing that opens a tag.
    found = checks.markup_of(text)
    differs = checks.markup_differs(found, source_markup)
    if "javascript:" in text.lower() or (differs and not any(m.tags for m in source_markup)):
        yield _l("Translations cannot contain HTML or scripts")
    elif differs:
        yield _l("Keep the HTML tags of the English text exactly as they are, and add no others")
    stray = checks.stray_characters(found, text, source_markup, sources)
    if stray:
        yield _l("Remove %(characters)s: the English text does not have them. For quotation marks, use “ and ”.",
                 characters=" ".join(stray))


@contextmanager
def _locked(code):
    lock_path = po_path(code).with_suffix(".lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _atomic_write(path, writer):
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_catalog(code, catalog):
    _atomic_write(po_path(code), lambda h: write_po(h, catalog, width=0))
    _atomic_write(mo_path(code), lambda h: write_mo(h, catalog, use_fuzzy=False))


def save(code, key, strings, user, source="editor"):
    from app.extensions import db
    from app.i18n.models import TranslationEdit
    with _locked(code):
        catalog = read(code)
        message = find(catalog, key)
        if message is None:
            raise CatalogueError(str(_l("That text is no longer in the catalogue")))
        strings = [(s or "").replace("\r\n", "\n") for s in strings]
        problems = validate(message, strings, catalog.num_plurals)
        if problems:
            raise CatalogueError("; ".join(problems))
        old = message.string
        message.string = tuple(strings) if isinstance(message.id, (list, tuple)) else strings[0]
        if "fuzzy" in message.flags:
            message.flags.discard("fuzzy")
        write_catalog(code, catalog)
    db.session.add(TranslationEdit(language=code, msgid=message.id if isinstance(message.id, str)
                                   else message.id[0], old_text=_flat(old), new_text=_flat(message.string),
                                   source=source, user_id=getattr(user, "id", None)))
    db.session.commit()


def _flat(value):
    return " | ".join(value) if isinstance(value, (list, tuple)) else (value or "")


def check_upload(code, data):
    """Parse an uploaded .po and check every entry. Returns (catalog, problems)."""
    problems = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [str(_l("The file is not UTF-8 text. Save it as UTF-8 from Poedit and try again."))]
    try:
        uploaded = read_po(io.StringIO(text), locale=code, abort_invalid=True)
    except (PoFileError, ValueError, UnknownLocaleError) as exc:
        return None, [str(_l("The file could not be read as a .po file: %(reason)s", reason=str(exc)[:200]))]
    language_header = re.search(r'^"Language: ([^\\"]+)', text, re.M)
    if not language_header or language_header.group(1).strip().replace("-", "_") != code:
        problems.append(str(_l("The file’s Language header must say %(code)s", code=code)))
    current = read(code)
    known = {message_key(m): m for m in current if m.id}
    for message in uploaded:
        if not message.id:
            continue
        original = known.get(message_key(message))
        where = message.id if isinstance(message.id, str) else message.id[0]
        if original is None:
            problems.append(str(_l("Not a message of this site: “%(text)s”", text=where[:80])))
            continue
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        if not any(strings) or message.fuzzy:
            continue
        for problem in validate(original, strings, current.num_plurals):
            problems.append(f"“{where[:80]}”: {problem}")
    return uploaded, problems


def apply_upload(code, uploaded, user):
    from app.extensions import db
    from app.i18n.models import TranslationEdit
    changed = 0
    with _locked(code):
        catalog = read(code)
        by_key = {message_key(m): m for m in catalog if m.id}
        for message in uploaded:
            if not message.id or message.fuzzy:
                continue
            target = by_key.get(message_key(message))
            strings = message.string
            if target is None or not (all(strings) if isinstance(strings, (list, tuple)) else strings):
                continue
            if target.string != strings:
                db.session.add(TranslationEdit(language=code, msgid=target.id if isinstance(target.id, str)
                                               else target.id[0], old_text=_flat(target.string),
                                               new_text=_flat(strings), source="upload",
                                               user_id=getattr(user, "id", None)))
                target.string = strings
                target.flags.discard("fuzzy")
                changed += 1
        write_catalog(code, catalog)
    audit.log("po_upload", user, record=code, detail=f"changed={changed}")
    db.session.commit()
    return changed


def add_language(code):
    """Start a catalogue for a new language from the template (like `pybabel init`)."""
    code = (code or "").strip().replace("-", "_")
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise CatalogueError(str(_l("That is not a language code we know, like fr or ur"))) from None
    if po_path(code).exists():
        raise CatalogueError(str(_l("That language already has a catalogue")))
    template_path = translations_dir() / "messages.pot"
    with open(template_path, "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=locale, domain="messages", project="Hidden Gems", fuzzy=False)
    for message in template:
        if message.id:
            catalog.add(message.id, string=("",) * catalog.num_plurals if isinstance(message.id, (list, tuple))
                        else "", locations=message.locations, auto_comments=message.auto_comments,
                        flags=message.flags - {"fuzzy"}, context=message.context)
    po_path(code).parent.mkdir(parents=True, exist_ok=True)
    write_catalog(code, catalog)
    return locale


def reload_if_changed():
    """Drop Flask-Babel's cached translations when any catalogue changed (another worker saved one)."""
    from flask import request
    directory = translations_dir()
    if request.endpoint == "static" or not directory.exists():
        return
    stamp = tuple(sorted((str(p.relative_to(directory)), p.stat().st_mtime_ns)
                         for p in directory.glob("*/LC_MESSAGES/messages.[mp]o")))
    state = current_app.extensions.setdefault("translation_stamp", {"stamp": None})
    if state["stamp"] != stamp:
        if state["stamp"] is not None:
            current_app.extensions["babel"].instance.domain_instance.cache.clear()
            g.pop("_flask_babel", None)
        state["stamp"] = stamp


def catalogue_stamp():
    """The catalogues' time stamps as this process last saw them (None before the first request)."""
    return current_app.extensions.get("translation_stamp", {}).get("stamp")
