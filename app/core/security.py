"""Where the site may send a browser after a form: only ever back to one of its own pages."""
from urllib.parse import urlsplit


def safe_next(target, fallback=None):
    """`target` when it is a path on this site, otherwise `fallback` (no open redirects)."""
    if not target or not isinstance(target, str):
        return fallback
    if not target.isprintable():
        return fallback  # CR or LF would end the Location header; Werkzeug refuses them with a 500
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target
