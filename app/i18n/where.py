"""Where a text is shown, in words a translator can use: the page's address, not the source file's path."""
import inspect
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

_TEMPLATE_RE = re.compile(r"render_template\(\s*[\"']([^\"']+\.html)[\"']")
_LAYOUT = ("base.html", "layout", "partials/", "macros", "_")


def _template_pages():
    """Each template a view renders, mapped to the addresses of those views (worked out once per app)."""
    cached = current_app.extensions.get("template_pages")
    if cached is not None:
        return cached
    pages = {}
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        address = re.sub(r"<[^>]+>", "…", rule.rule)
        for name in _TEMPLATE_RE.findall(source):
            pages.setdefault(name, [])
            if address not in pages[name]:
                pages[name].append(address)
    current_app.extensions["template_pages"] = pages
    return pages


def pages(locations):
    """Where a message appears, at most five places: page addresses and files (literal, shown as code), or
    "Every page". Each as (text, literal)."""
    out = []
    for path, _line in locations:
        if "/templates/" in path:
            name = path.split("/templates/", 1)[1]
            found = _template_pages().get(name)
            if found:
                out.extend((str(_l("Home page")), False) if address == "/" else (address, True)
                           for address in found[:3])
                continue
            if name.split("/")[-1].startswith(_LAYOUT) or name == "base.html":
                out.append((str(_l("Every page (the site’s layout)")), False))
                continue
        out.append((path.removeprefix("app/"), True))
    return list(dict.fromkeys(out))[:5]
