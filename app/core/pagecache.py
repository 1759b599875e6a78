"""Whole public pages kept in each worker's memory for visitors who carry nothing personal.

A page is served from here only when all of these hold:
- a GET of an endpoint a domain named with `allow()` (public listings pages, never a form, account or referral);
- no one is signed in, and the visitor's session holds nothing but a CSRF token: no flashed message, no "My
  list", no referral answers (so nothing that differs between visitors can be in the page), and no remember-me
  or Authorization header;
- the page was a 200 text/html answer that set no cookie, left the session unchanged and said nothing about
  caching itself.
The key is the language, scheme and host (links with the site's address), the path with its query, the site's data
version (app/core/dataversion.py: every publish, approval, archive, translation or site-page edit bumps it, in
every worker, so a change shows on the very next request) and the minute (open-now labels and dates move with
the clock).

CSRF: the forms on these pages (My list buttons) carry Flask-WTF's token, which is tied to the visitor's own
session. While a cacheable page renders, `csrf_token()` writes a placeholder instead; the stored page holds the
placeholder, and every answer (the first and each hit) has it replaced with this visitor's own token, which
starts their session as before. One visitor's token is never in another's page.

Per worker rather than Redis: a hit costs a dictionary look-up, not a network round trip, and the placeholder
is per process; with 2-5 workers the same page is rendered at most once a worker per data version and minute.
"""
import secrets
import threading
from collections import OrderedDict

from flask import current_app, g, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from app.core import clock, dataversion

MAX_ENTRIES = 1000
MAX_BYTES = 400_000  # a page larger than this is not kept
HARMLESS_SESSION_KEYS = {"csrf_token"}
_ENDPOINTS = set()


def allow(*endpoints):
    _ENDPOINTS.update(endpoints)


class PageCache:
    def __init__(self, size=MAX_ENTRIES):
        self.size = size
        self.pages = OrderedDict()
        self.lock = threading.Lock()
        self.placeholder = "hg-csrf-" + secrets.token_hex(16)
        self.hits = self.misses = 0

    def get(self, key):
        with self.lock:
            body = self.pages.get(key)
            if body is not None:
                self.pages.move_to_end(key)
            return body

    def put(self, key, body):
        with self.lock:
            self.pages[key] = body
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)

    def clear(self):
        with self.lock:
            self.pages.clear()


def cache():
    return current_app.extensions["page_cache"]


def _visitor_is_anonymous():
    if request.authorization is not None or current_app.config.get("REMEMBER_COOKIE_NAME",
                                                                   "remember_token") in request.cookies:
        return False
    return set(session.keys()) <= HARMLESS_SESSION_KEYS


def _cache_key():
    version = dataversion.current(dataversion.PAGES)
    if version is None:
        return None
    minute = clock.local_now().strftime("%Y-%m-%dT%H:%M")
    return (version, str(get_locale()), request.scheme, request.host, request.full_path, minute)


def lookup():
    """before_request: answer from the cache, or mark this request as one whose page may be kept."""
    g.pop("page_cache_key", None)
    if not current_app.config.get("PAGE_CACHE", True) or request.method != "GET" \
            or request.endpoint not in _ENDPOINTS or not _visitor_is_anonymous():
        return None
    key = _cache_key()
    if key is None:
        return None
    body = cache().get(key)
    if body is not None:
        cache().hits += 1
        return current_app.response_class(_with_token(body), mimetype="text/html")
    cache().misses += 1
    g.page_cache_key = key
    return None


def csrf_token_for_page():
    """The csrf_token() templates call: a placeholder in a page that may be kept, the visitor's token otherwise."""
    if g.get("page_cache_key") is not None:
        return cache().placeholder
    return generate_csrf()


def _with_token(body):
    placeholder = cache().placeholder
    return body.replace(placeholder, generate_csrf()) if placeholder in body else body


def store(response):
    """after_request: keep the page when nothing about it is personal, then put this visitor's token in."""
    key = g.pop("page_cache_key", None)
    if key is None:
        return response
    body = response.get_data(as_text=True) if not response.direct_passthrough else None
    if body is not None and _keepable(response, body):
        cache().put(key, body)
    if body is not None and cache().placeholder in body:
        response.set_data(_with_token(body))
    return response


def _keepable(response, body):
    return (response.status_code == 200 and response.mimetype == "text/html" and "Set-Cookie" not in response.headers
            and "Cache-Control" not in response.headers and not session.modified and len(body) <= MAX_BYTES
            and _visitor_is_anonymous())


def init_app(app):
    """After the hooks that refuse a request (host, NUL bytes) and reload translations, so a hit passes them
    too; `store` is registered before the other after_request hooks so it runs after them and sees their cookies."""
    app.extensions["page_cache"] = PageCache()
    app.before_request(lookup)
    app.after_request(store)
    # Flask-WTF puts its own in both places (a global for imported macros, a context processor for pages).
    app.jinja_env.globals["csrf_token"] = csrf_token_for_page
    app.context_processor(lambda: {"csrf_token": csrf_token_for_page})
