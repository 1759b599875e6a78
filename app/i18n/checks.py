"""What a translation may contain: the checks behind catalogues.validate that need parsing.

Templates render a translation as trusted markup (Jinja's gettext wraps it in Markup), so its tags reach every
page of its language unescaped: a translation may only carry the markup of its English source.
"""
from collections import Counter
from html.parser import HTMLParser

# Characters that open a tag or close an attribute value (every template quotes attributes with ").
BREAKING = '<>"'


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


def markup_differs(text, sources):
    """True when the text's tags are not exactly those of one of its sources (a plural has two)."""
    found = markup_of(text).tags
    return all(found != source.tags for source in sources)


def stray_characters(text, sources, source_texts):
    """Breaking characters the source does not have, in the plain text or (whatever the parser made of an
    unfinished tag) in the whole text; sorted."""
    found = markup_of(text).loose

    def extra(ch):
        return all(found[ch] > m.loose[ch] for m in sources) or all(text.count(ch) > s.count(ch) for s in source_texts)
    return [ch for ch in BREAKING if extra(ch)]
