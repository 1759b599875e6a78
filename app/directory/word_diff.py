"""Word-level changes in long text, so a manager sees what a provider changed inside a description rather than
two whole paragraphs to compare by eye."""
import difflib
import re

from markupsafe import Markup, escape

# Words and the spaces between them, so joining the pieces gives back the text exactly.
TOKENS = re.compile(r"\s+|[^\s]+")
LONG = 60  # shorter values are read at a glance: shown whole


def marked(old, new):
    """(old, new) as HTML with the removed words in <del> and the added words in <ins>, everything escaped."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    before, after = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            before.append(removed)
            after.append(added)
            continue
        if removed:
            before.append(Markup("<del>%s</del>") % removed)
        if added:
            after.append(Markup("<ins>%s</ins>") % added)
    return Markup("").join(before), Markup("").join(after)


def is_long_text(old, new):
    return isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > LONG
