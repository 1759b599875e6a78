"""Marking the words a search matched in a result's summary."""
from markupsafe import Markup, escape

from app.directory.search.schema import STEM


def highlight(text, stems, limit=220):
    """The start of `text`, with words whose stem matched the search wrapped in <mark>."""
    text = (text or "")[: limit * 2]
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit] + "…"
    if not stems:
        return escape(text)
    out, last = [], 0
    # The index's own analyser, so "walkers" is marked for a search that matched "walk".
    for token in STEM(text, chars=True, removestops=False):
        if token.text in stems:
            out.append(escape(text[last:token.startchar]))
            out.append(Markup("<mark>") + escape(text[token.startchar:token.endchar]) + Markup("</mark>"))
            last = token.endchar
    out.append(escape(text[last:]))
    return Markup("").join(out)
