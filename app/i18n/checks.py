"""What a translation may contain: the checks behind catalogues.validate that need parsing.

Templates render a translation as trusted markup (Jinja's gettext wraps it in Markup), so its tags reach every
page of its language unescaped: a translation may only carry the markup of its English source.
It must also survive %-formatting wherever the site formats it, or the page fails.
"""
import re
from collections import Counter
from html.parser import HTMLParser

# Characters that open a tag or close an attribute value (every template quotes attributes with ").
BREAKING = '<>"'
NAME_RE = re.compile(r"%\(([a-zA-Z_][a-zA-Z0-9_]*)\)")
FILLED_RE = re.compile(r"%%|%\([a-zA-Z_][a-zA-Z0-9_]*\)[sdif]")
FORMAT_ERRORS = (KeyError, ValueError, TypeError, IndexError)


class _Markup(HTMLParser):
    """The tags of a text as a multiset, and how many breaking characters are left in its plain text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=False)
        self.tags, self.loose = Counter(), Counter()
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags["<", tag, tuple(sorted(attrs))] += 1

    def handle_endtag(self, tag):
        self.tags["</", tag] += 1

    def handle_data(self, data):
        self.loose.update(ch for ch in data if ch in BREAKING)

    def handle_comment(self, data):
        self.tags["<!--", data] += 1

    def handle_decl(self, decl):
        self.tags["<!", decl] += 1

    def handle_pi(self, data):
        self.tags["<?", data] += 1

    def unknown_decl(self, data):
        self.tags["<![", data] += 1


def markup_of(text):
    return _Markup(text)


def markup_differs(found, sources):
    """True when a parsed text's tags are not exactly those of one of its sources (a plural has two)."""
    return all(found.tags != source.tags for source in sources)


def stray_characters(found, text, sources, source_texts):
    """Breaking characters the source does not have, in the plain text or (whatever the parser made of an
    unfinished tag) in the whole text."""
    def more_than_source(ch):
        return all(found.loose[ch] > m.loose[ch] for m in sources) or \
            all(text.count(ch) > s.count(ch) for s in source_texts)
    return [ch for ch in BREAKING if more_than_source(ch)]


def fill_values(message):
    """Values to fill a message with, as the site would, or None when the site never %-formats it.

    Templates (Jinja's newstyle gettext) format every string; Python code only those it passes values to, and
    ngettext always passes num."""
    plural = isinstance(message.id, (list, tuple))
    sources = list(message.id) if plural else [message.id]
    names = {name for source in sources for name in NAME_RE.findall(source)} | ({"num"} if plural else set())
    in_python_only = message.locations and all(loc[0].endswith(".py") for loc in message.locations)
    if in_python_only and not names:
        return None
    values = dict.fromkeys(names, 1)  # 1 fills %s, %d, %i and %f alike
    return values if not any(cannot_fill(source, values) for source in sources) else None


def cannot_fill(text, values):
    """True when formatting the text fails, or it has a % that is neither %% nor a plain placeholder."""
    try:
        text % values
    except FORMAT_ERRORS:
        return True
    return "%" in FILLED_RE.sub("", text)
