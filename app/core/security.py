"""Where the site may send a browser after a form (only ever back to one of its own pages), and which hosts it
answers for."""
from urllib.parse import urlsplit

from flask import abort, request
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host


def safe_next(target, fallback=None):
    """`target` when it is a path on this site, otherwise `fallback` (no open redirects)."""
    if not target or not isinstance(target, str):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


# Requests for a host that is not in TRUSTED_HOSTS. Flask's own check would fail before the request context has
# a URL adapter, and the error page could not be drawn (a 500): instead the request is answered as if for the
# first trusted host, marked, and refused with the 400 page before any view runs.
UNTRUSTED_HOST = "hidden_gems.untrusted_host"


class TrustedHosts:
    def __init__(self, wsgi_app, config):
        self.wsgi_app, self.config = wsgi_app, config

    def __call__(self, environ, start_response):
        trusted = self.config.get("TRUSTED_HOSTS")
        if trusted and not host_is_trusted(get_host(environ), trusted):
            environ = {**environ, "HTTP_HOST": trusted[0].lstrip("."), UNTRUSTED_HOST: True}
        return self.wsgi_app(environ, start_response)


def refuse_untrusted_host():
    if request.environ.get(UNTRUSTED_HOST):
        abort(400)
