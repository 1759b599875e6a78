"""Where the site may send a browser after a form (only ever back to one of its own pages), which hosts it
answers for, and what access logs may show."""
import logging
import re
from urllib.parse import urlsplit

from flask import abort, request
from werkzeug.sansio.utils import host_is_trusted
from werkzeug.wsgi import get_host


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


# Access logs: the tokens of e-mailed links (anyone reading the log could use them) and query strings (search
# words, postcodes, a `next` that holds a token) are masked, wherever they appear in the line (also a Referer).
_TOKEN_PATH = re.compile(r"(/(?:reset-password|invitations|listing-check|refer/resume)/)[^\s/?#\"]+")
_QUERY = re.compile(r"\?[^\s\"]*")
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


class MaskTokens(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = _QUERY.sub("?[query]", _TOKEN_PATH.sub(r"\1[token]", message))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def mask_tokens_in_access_logs():
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, MaskTokens) for existing in logger.filters):
            logger.addFilter(MaskTokens())
