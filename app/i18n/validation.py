"""What a translation may say: placeholders, markup and plain text checks for every way one is written
(the editor, an upload, an export)."""
import re

from flask_babel import lazy_gettext as _l

from app.i18n import checks

PLACEHOLDER_RE = re.compile(r"%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdif]|%[sdif]|\{[a-zA-Z_][a-zA-Z0-9_]*\}")
MAX_LENGTH = 5000


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
