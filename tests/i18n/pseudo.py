"""A pseudo-locale: every extracted string accented, lengthened by about 40 % and wrapped in ⟦ ⟧.

Rendering the site in it shows at a glance (and to a test) which English text escaped extraction: translated
text carries the markers, English written outside _() does not. The extra length stands in for languages
whose text runs longer than English, so a layout that only fits English breaks visibly.

The catalogue is built from a fresh extraction of the code (never from the shared catalogues), written as
"eo" (Esperanto: a real CLDR locale that Babel and Flask-Babel accept, and not a language the site offers)
into a directory the caller chooses.
"""
import math
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALE = "eo"
OPEN, CLOSE = "⟦", "⟧"
GROWTH = 0.4  # translated text is about this much longer than the English

ACCENTED = dict(zip(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçđéƒĝĥíĵķĺɱñöƥʠŕšţûʋŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÖƤɊŔŠŢÛƲŴẊÝŽ",
    strict=True,
))
VOWELS = set("aeiouyAEIOUY")

# Left exactly as they are: Python %-placeholders (and %%), str.format fields, HTML tags and entities.
PROTECTED = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]"  # %(name)s, %(num)d, %(n)05.1f ...
    r"|%[-#0 +]*\d*(?:\.\d+)?[sdifrx%]"                      # %s, %d, %%
    r"|\{[A-Za-z_][A-Za-z0-9_.]*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {0}, {name:>3}
    r"|\{\}|\{\{|\}\}"                                        # {}, {{, }}
    r"|<[^<>]*>"                                              # <a href="...">, </strong>, <br>
    r"|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);"                   # &nbsp; &#8217;
)
WORD = re.compile(r"[A-Za-z]+")


def _lengthen(word, extra):
    """Accent a word and make it `extra` letters longer, by doubling its vowels first (so it stays word-shaped)."""
    out = []
    for ch in word:
        out.append(ACCENTED[ch])
        if extra and ch in VOWELS:
            out.append(ACCENTED[ch.lower()])
            extra -= 1
    letters = word.lower()
    i = 0
    while extra > 0:  # not enough vowels ("NHS", "GP"): repeat the word's own letters
        out.append(ACCENTED[letters[i % len(letters)]])
        i += 1
        extra -= 1
    return "".join(out)


def pseudo_translate(text):
    """'Find %(what)s near you' -> '⟦Ƒííñđ %(what)s ñéééáŕ ýööûû⟧': placeholders, tags and entities untouched."""
    if not text:
        return text
    pieces = []  # (is_protected, text)
    pos = 0
    for match in PROTECTED.finditer(text):
        if match.start() > pos:
            pieces.append((False, text[pos:match.start()]))
        pieces.append((True, match.group()))
        pos = match.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    visible = sum(len(piece) for protected, piece in pieces if not protected)
    letters = sum(len(w) for protected, piece in pieces if not protected for w in WORD.findall(piece))
    # Grow the words so the visible text is GROWTH longer overall (spaces and punctuation do not grow).
    factor = GROWTH * visible / letters if letters else 0
    out = []
    for protected, piece in pieces:
        if protected:
            out.append(piece)
        else:
            out.append(WORD.sub(lambda m: _lengthen(m.group(), math.ceil(factor * len(m.group()))), piece))
    return OPEN + "".join(out) + CLOSE


def extract(pot_path):
    """A fresh template of every translatable string in the app, as the lead's `flask translate extract` makes."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "--no-wrap", "--sort-by-file", "--project", "Hidden Gems",
                    "-o", str(pot_path), "app"],
                   cwd=ROOT, check=True, capture_output=True)
    return pot_path


def build_catalogue(translations_dir):
    """Write <dir>/messages.pot and <dir>/eo/LC_MESSAGES/messages.{po,mo}; returns the template's messages."""
    translations_dir = Path(translations_dir)
    translations_dir.mkdir(parents=True, exist_ok=True)
    pot = extract(translations_dir / "messages.pot")
    with open(pot, "rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=LOCALE, domain="messages", project="Hidden Gems", fuzzy=False)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            singular, plural = message.id[0], message.id[-1]
            # Form 0 is used for one item, the others for many: each says what its English counterpart says.
            string = tuple(pseudo_translate(singular if i == 0 else plural) for i in range(catalog.num_plurals))
        else:
            string = pseudo_translate(message.id)
        catalog.add(message.id, string=string, locations=message.locations, auto_comments=message.auto_comments,
                    flags=message.flags - {"fuzzy"}, context=message.context)
    out = translations_dir / LOCALE / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "messages.po", "wb") as handle:
        write_po(handle, catalog, width=0)
    with open(out / "messages.mo", "wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    return template


def main(argv=None):
    """`python -m tests.i18n.pseudo DIR`: build the pseudo catalogue into DIR, to look at the site by hand."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m tests.i18n.pseudo TRANSLATIONS_DIR", file=sys.stderr)
        return 2
    target = Path(argv[0]).resolve()
    if target == (ROOT / "translations").resolve():
        print("refusing to write into the shared translations directory", file=sys.stderr)
        return 2
    template = build_catalogue(target)
    print(f"{sum(1 for m in template if m.id)} messages written to {target / LOCALE / 'LC_MESSAGES'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
