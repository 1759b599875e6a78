"""A .po file uploaded from Poedit or Weblate: read with errors a translator can act on, checked entry by entry,
then saved as translators' overrides in the database (the shipped catalogue is not touched)."""
import io
import re

from babel import UnknownLocaleError
from babel.messages.pofile import PoFileError, read_po
from flask_babel import lazy_gettext as _l

from app.core import audit
from app.i18n import catalogues, overrides


def syntax_problem(exc):
    """A .po syntax error in plain words, with the line it is on."""
    line = getattr(exc, "lineno", None)
    line = (line or 0) + 1  # babel counts lines from 0
    reason = str(exc)
    if reason.startswith("missing msgstr"):
        return str(_l("Line %(line)s: this text has no translation line after it (msgstr \"…\").", line=line))
    if "misformatted keyword" in reason:
        return str(_l("Line %(line)s could not be read: “%(text)s”. Each line must start with msgid, msgstr, "
                      "a quotation mark or #.", line=line, text=(getattr(exc, "line", "") or "").strip()[:80]))
    return str(_l("Line %(line)s could not be read: %(reason)s", line=line, reason=reason[:200]))


def _parse(code, data):
    """(text, catalogue, None) or (None, None, the reason the file cannot be read)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, None, str(_l("The file is not UTF-8 text. Save it as UTF-8 from Poedit and try again."))
    try:
        return text, read_po(io.StringIO(text), locale=code, abort_invalid=True), None
    except PoFileError as exc:
        return None, None, syntax_problem(exc)
    except (ValueError, UnknownLocaleError) as exc:
        return None, None, str(_l("The file could not be read as a .po file: %(reason)s", reason=str(exc)[:200]))


def check_upload(code, data):
    """Parse an uploaded .po and check every entry. Returns (catalog, problems)."""
    text, uploaded, problem = _parse(code, data)
    if problem:
        return None, [problem]
    problems = []
    language_header = re.search(r'^"Language: ([^\\"]+)', text, re.M)
    if not language_header or language_header.group(1).strip().replace("-", "_") != code:
        problems.append(str(_l("The file’s Language header must say %(code)s", code=code)))
    current = catalogues.read(code)
    known = {catalogues.message_key(m): m for m in current if m.id}
    for message in uploaded:
        if not message.id:
            continue
        original = known.get(catalogues.message_key(message))
        where = message.id if isinstance(message.id, str) else message.id[0]
        if original is None:
            problems.append(str(_l("Not a message of this site: “%(text)s”", text=where[:80])))
            continue
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        if not any(strings) or message.fuzzy:
            continue
        for problem in catalogues.validate(original, strings, current.num_plurals):
            problems.append(f"“{where[:80]}”: {problem}")
    return uploaded, problems


def apply_upload(code, uploaded, user):
    """Save each changed, complete, non-fuzzy entry as a new version. Returns how many changed."""
    from app.extensions import db
    catalog = catalogues.read(code)
    found = overrides.current(code)
    by_key = {catalogues.message_key(m): m for m in catalog if m.id}
    changed, old, new = [], {}, {}
    for message in uploaded:
        target = by_key.get(catalogues.message_key(message)) if message.id else None
        if target is None or message.fuzzy:
            continue
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings) or catalogues.validate(target, strings, catalog.num_plurals):
            continue  # check_upload reported it; an empty entry leaves the current text alone
        now, _overridden = overrides.effective(target, catalog.num_plurals, found)
        if now == strings and not target.fuzzy:
            continue
        try:
            overrides.record(code, target, strings, overrides.shipped_strings(target, catalog.num_plurals), user,
                             source="upload")
        except overrides.ConcurrentEdit:
            raise catalogues.CatalogueError(str(_l("Someone else saved a text of this language at the same "
                                                   "moment. Upload the file again."))) from None
        msgid = target.id if isinstance(target.id, str) else target.id[0]
        changed.append(msgid)
        old[msgid], new[msgid] = now, strings
    if changed:
        catalogues.note_change(code, user, changed, old, new, source="upload")
        audit.log("translation_upload", user, record=code, detail=f"changed={len(changed)}")
    db.session.commit()
    return len(changed)
