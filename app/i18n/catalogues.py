"""The gettext catalogues: completeness, editing with validation, new languages, export, live reload.

The shipped .po/.mo files in translations/ are read-only while the site runs: a translator's save is a new
version in the database (app/i18n/overrides.py), merged over the compiled catalogue when a worker loads it.
Every worker notices a new version on its next request and reloads, so a fix is live at once, and the next
deploy from git keeps it. `flask translate export` writes the versions back into the .po files for committing.
"""
import hashlib
import io
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import current_app, g
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.i18n import overrides, where
from app.i18n.validation import MAX_LENGTH, PLACEHOLDER_RE, validate  # noqa: F401  (the callers' names)


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


def language_name(code):
    """A language's name in the reader's language, then in itself: "Spanish (español)"."""
    from flask_babel import get_locale
    locale = Locale.parse(code)
    name, native = locale.get_display_name(get_locale() or "en"), locale.get_display_name(locale)
    return name if name == native else f"{name} ({native})"


def read(code):
    with open(po_path(code), "rb") as handle:
        return read_po(handle, locale=code)


_shipped_cache = {}


def _shipped_states(code):
    """Each message's shipped strings and fuzzy flag by key, parsed once per version of the .po file."""
    path = po_path(code)
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _shipped_cache:
        catalog = read(code)
        _shipped_cache[key] = {message_key(m): (overrides.shipped_strings(m, catalog.num_plurals), m.fuzzy)
                               for m in catalog if m.id}
    return _shipped_cache[key]


def completeness(code):
    """(translated, fuzzy, untranslated) counting fuzzy as untranslated and plurals needing every form.

    Translators' overrides count: a message they translated is translated, whatever the shipped file says.
    The .po file is parsed once per version; the overrides are one query."""
    found = overrides.current(code)
    translated = fuzzy = untranslated = 0
    for key, (shipped, is_fuzzy) in _shipped_states(code).items():
        override = found.get(key)
        if override is not None and overrides.in_force(override, shipped):
            strings, is_fuzzy = override.strings, False
        else:
            strings = shipped
        if is_fuzzy:
            fuzzy += 1
        elif strings and all(strings):
            translated += 1
        else:
            untranslated += 1
    return translated, fuzzy, untranslated


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
                       review=review.state if review else "awaiting", review_row=review, last=last,
                       live=percent(code) >= current_app.config["LANGUAGE_THRESHOLD"])
        report.append(row)
    return report


def message_key(message):
    raw = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    # A short stable key for a message in forms and URLs, not a security measure.
    return hashlib.sha1(((message.context or "") + "\x04" + raw).encode(), usedforsecurity=False).hexdigest()[:12]


def entries(code, show="all", query=""):
    """Messages for the editor, in catalogue order, with translators' overrides, filtered by state and text."""
    catalog = read(code)
    found = overrides.current(code)
    query = (query or "").strip().lower()[:200]
    out = []
    for message in catalog:
        if not message.id:
            continue
        plural = isinstance(message.id, (list, tuple))
        strings, overridden, state = _state(message, catalog.num_plurals, found)
        if show in ("untranslated", "fuzzy", "translated") and state != show:
            continue
        source = message.id if not plural else " / ".join(message.id)
        if query and query not in source.lower() and not any(query in (s or "").lower() for s in strings):
            continue
        out.append({"key": message_key(message), "id": message.id, "plural": plural, "strings": strings,
                    "state": state, "pages": where.pages(message.locations), "comments": message.auto_comments,
                    "source": source, "overridden": overridden})
    return out, catalog.num_plurals


def _state(message, num_plurals, found):
    """(strings, overridden, state) of a message as the site serves it: fuzzy ones show the doubtful text."""
    strings, overridden = overrides.effective(message, num_plurals, found)
    if message.fuzzy and not overridden:
        return (list(message.string) if isinstance(message.id, (list, tuple)) else [message.string]), False, "fuzzy"
    return strings, overridden, "translated" if all(strings) else "untranslated"


def find(catalog, key):
    return next((m for m in catalog if m.id and message_key(m) == key), None)


def plural_labels(code):
    """What each plural form is for, from the language's CLDR rules: ['one', 'other'] and so on."""
    locale = Locale.parse(code)
    return list(locale.plural_form.tags) if hasattr(locale.plural_form, "tags") else []


def save(code, key, strings, user, source="editor"):
    """Save a translator's text for one message as a new version in the database (never in the .po file)."""
    from app.extensions import db
    catalog = read(code)
    message = find(catalog, key)
    if message is None:
        raise CatalogueError(str(_l("That text is no longer in the catalogue")))
    strings = [(s or "").replace("\r\n", "\n") for s in strings]
    if not any(s.strip() for s in strings):
        # An empty text would put the English back without saying so: refused, the shipped text stays.
        raise CatalogueError(str(_l("Enter a translation. To show this text in English, ask the site’s "
                                    "developers: an empty translation is not saved.")))
    problems = validate(message, strings, catalog.num_plurals)
    if problems:
        raise CatalogueError("; ".join(problems))
    shipped = overrides.shipped_strings(message, catalog.num_plurals)
    old, _overridden = overrides.effective(message, catalog.num_plurals, overrides.current(code))
    if old == strings and not message.fuzzy:
        return False
    try:
        overrides.record(code, message, strings, shipped, user, source)
    except overrides.ConcurrentEdit:
        raise CatalogueError(str(_l("Someone else saved this text at the same moment. Check it and save "
                                    "again."))) from None
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    note_change(code, user, [msgid], old={msgid: old}, new={msgid: strings}, source=source)
    audit.log("translation_edit", user, record=code, detail=msgid[:200])
    db.session.commit()
    return True


def note_change(code, user, msgids, old, new, source):
    """The edit log, and a reviewed pack back to awaiting review with a note of what changed."""
    from app.extensions import db
    from app.i18n.models import LanguageReview, TranslationEdit
    for msgid in msgids:
        db.session.add(TranslationEdit(language=code, msgid=msgid, old_text=_flat(old[msgid]),
                                       new_text=_flat(new[msgid]), source=source, user_id=getattr(user, "id", None)))
    review = db.session.get(LanguageReview, code)
    if review is not None and review.state == "reviewed":
        review.state = "awaiting"
        review.note = "\n".join(msgids[:20])[:2000]


def _flat(value):
    return " | ".join(value) if isinstance(value, (list, tuple)) else (value or "")


def merged(code, refused=None):
    """The language's .po catalogue with the translators' current overrides laid over it.

    Each override is checked again (the rules may have grown since it was saved); one that fails is left out
    and its msgid added to `refused`."""
    catalog = read(code)
    found = overrides.current(code)
    changed = 0
    for message in catalog:
        if not message.id:
            continue
        strings, overridden = overrides.effective(message, catalog.num_plurals, found)
        current = list(message.string) if isinstance(message.id, (list, tuple)) else [message.string]
        if not overridden or (strings == current and not message.fuzzy):
            continue
        if validate(message, strings, catalog.num_plurals):
            if refused is not None:
                refused.append(message.id if isinstance(message.id, str) else message.id[0])
            continue
        message.string = tuple(strings) if isinstance(message.id, (list, tuple)) else strings[0]
        message.flags.discard("fuzzy")
        changed += 1
    return catalog, changed


def po_bytes(catalog):
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


def backup(path):
    """Copy a catalogue aside before it is overwritten: messages.po.bak-<UTC time stamp>."""
    target = path.with_name(f"{path.name}.bak-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}")
    target.write_bytes(path.read_bytes())
    return target


def export(code):
    """Write the overrides into the language's .po file, keeping a backup.

    Returns (changed, backup path, msgids left out because they no longer pass validation)."""
    refused = []
    catalog, changed = merged(code, refused)
    if not changed:
        return 0, None, refused
    kept = backup(po_path(code))
    _atomic_write(po_path(code), lambda h: h.write(po_bytes(catalog)))
    return changed, kept, refused


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


def reload_if_changed():
    """Drop this app's cached translations when a catalogue file or a translator's override changed."""
    from flask import request

    from app.core import dataversion
    from app.i18n import languages
    if request.endpoint == "static":
        return
    files = _files_stamp(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    if files is None:
        return
    # A translator's save or a language added on the web bumps the data version (overrides.init_app watches
    # the tables), one read a request that the page cache shares; without the table yet, the overrides are asked.
    version = dataversion.current(dataversion.TRANSLATIONS)
    layer = version if version is not None else overrides.stamp()
    state = current_app.extensions.setdefault("translation_stamp", {"stamp": None})
    # A language added on the web, here or on another app server, gets its file before the stamp is taken.
    if (state["stamp"] is None or state["stamp"][1] != layer) and languages.restore_added_catalogues():
        files = _files_stamp(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    stamp = (files, layer)
    if state["stamp"] != stamp:
        if state["stamp"] is not None:
            translations_cache().clear()
            g.pop("_flask_babel", None)
        state["stamp"] = stamp


def _files_stamp(directory):
    """(language, .po time, .mo time) for each language folder: os.scandir and os.stat, a few microseconds
    (pathlib's glob took a tenth of a millisecond a request)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except FileNotFoundError:
        return None
    stamp = []
    for entry in entries:
        if not entry.is_dir():
            continue
        times = []
        for name in ("messages.po", "messages.mo"):
            try:
                times.append(os.stat(os.path.join(entry.path, "LC_MESSAGES", name)).st_mtime_ns)
            except OSError:
                times.append(None)
        if times != [None, None]:
            stamp.append((entry.name, *times))
    return tuple(stamp)


def translations_cache():
    """Flask-Babel's loaded translations, one cache per app (its own is shared by every app in a process)."""
    return current_app.extensions.setdefault("translations_cache", {})


def catalogue_stamp():
    """The catalogues' time stamps as this process last saw them (None before the first request)."""
    return current_app.extensions.get("translation_stamp", {}).get("stamp")
