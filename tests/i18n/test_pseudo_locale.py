"""Every page in a pseudo-locale: no English may escape extraction, and 40 % longer text must not break layout.

The pseudo catalogue (tests/i18n/pseudo.py) is built from a fresh extraction of the code, so a string written
outside _() shows up here as plain English among ⟦áççéñţéđ⟧ text. The site runs on its own database and
translations directory in a temporary folder, loaded with the demo data, a few referrals made through the
public form, a pending change, a problem report and a join request, so that every page has something on it.
"""
import io
import re
import threading
import traceback
import unicodedata
from collections import defaultdict
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from flask import g

from tests.conftest import TEST_KEY
from tests.i18n import pseudo
from tests.selfreferral.conftest import VALID

LANG = pseudo.LOCALE
LIMIT = 100  # strings listed in a failure

# ---------------------------------------------------------------------------------------------------------------
# What may appear untranslated: data, not interface text.

# Names that stay as they are in every language (numbers such as 999 and 116 123 always pass).
PROPER_NOUNS = ("NHS", "BSL", "SWEMWBS", "Samaritans", "Poedit", "Weblate", "CSV", "Excel", "UTF-8")

REFERRER = {"referrer_name": "Sam Worker", "referrer_organisation": "Fairfield Centre",
            "referrer_phone": "020 7946 0123", "agreement": "y"}
# Deliberately wrong answers, so the steps show their validation messages (WTForms' own ones included).
INVALID = {
    "who": {"route": "nobody"},
    "referrer": {"referrer_name": "", "referrer_email": "not-an-email", "referrer_phone": "12"},
    "about": {"full_name": "", "dob_day": "31", "dob_month": "2", "dob_year": "19x8", "age": "two"},
    "contact": {"methods": ["phone", "email", "letter"], "phone": "123", "email": "nobody@", "not_before": "25:99",
                "not_after": "noon", "best_days": ["9"]},
    "address": {"postcode": "ZZZ", "has_gp": "maybe"},
    "needs": {"needs": ["nothing"], "substances": "lots"},
    "language": {"preferred_language": "zz", "interpreter": "perhaps"},
    "equality": {"ethnicity": "zz", "sex": "zz", "religion": "zz"},
    "wellbeing": {"item1": "9", "item2": "x"},
}
SPA_TRIAGE_REASON = "Low mood and money worries; call back this week."
SPA_CONTACT_NOTE = "No answer, will try again tomorrow morning."
REPORT_MESSAGE = "The Thursday session now starts at 1pm."
JOIN = {"name": "Jo Joiner", "email": "jo@joiners.example", "role_at_org": "Volunteer coordinator",
        "organisation": "", "proposed_name": "Gospel Oak Walkers", "proposed_details": "A Sunday walking group.",
        "message": "We meet at the lido."}
CHANGED_DESCRIPTION_SUFFIX = " From next month there is also a quiet room upstairs."
INVITED_EMAIL = "new.provider@invited.example"

# Page templates the crawl cannot reach, and why.
UNCRAWLED_TEMPLATES = {
    "errors/429.html": "needs the rate limiter, which stays off in tests (it is one object per process)",
    "errors/500.html": "needs a crash",
    "errors/400.html": "nothing in the app raises a plain 400 (bad forms have their own pages)",
    "directory/portal_error.html": "needs a forbidden status change, which no page offers (tested in test_portal)",
}
CRAWL_DRAFT = "Crawl draft"

URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w.-]+\.example\b(?:/\S*)?")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?(?: ?\d[A-Z]{2})?\b")
REFERENCE_RE = re.compile(r"\bHG-[2-9A-Z]{4}-[2-9A-Z]{2}\b")
PATH_RE = re.compile(r"\b[\w./-]+\.(?:py|html|txt|po|pot|mo|csv)\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
# Text inside these runs on with its neighbours (a run is what a reader sees as one piece of text).
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp",
          "small", "span", "strong", "sub", "sup", "time", "u", "var", "label", "wbr"}
TRANSLATABLE_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "aria-description", "aria-roledescription")


def _normal(text):
    return " ".join(unicodedata.normalize("NFC", text).split())


SYNONYM_WORDS = ("qqxx", "zzyy")  # a search-words group the crawl makes to show its remove page


def _db_commit():
    from app.extensions import db
    db.session.commit()


def _entered_strings():
    """Every piece of free text this test types into the site (names, answers, notes)."""
    found = []
    for step in ("about", "contact", "address", "needs"):
        found += [value for value in VALID[step].values() if isinstance(value, str)]
    found += list(REFERRER.values()) + list(JOIN.values())
    found += [SPA_TRIAGE_REASON, SPA_CONTACT_NOTE, REPORT_MESSAGE, INVITED_EMAIL, CHANGED_DESCRIPTION_SUFFIX,
              CRAWL_DRAFT, *SYNONYM_WORDS]
    return found


def _database_strings():
    """Every piece of free text in the directory and accounts: what providers and people wrote, not the site."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.directory.models import Location, Organisation, Schedule, SchoolHoliday, Service
    from app.extensions import db
    from app.selfreferral.models import Referral

    columns = {
        Organisation: ("name", "description", "website", "email", "phone", "charity_number", "company_number"),
        Location: ("name", "address_1", "address_2", "town", "postcode"),
        Service: ("name", "description", "access_text", "eligibility", "cost_text", "capacity_note", "contact_name",
                  "contact_role", "contact_phone", "contact_email"),
        Schedule: ("title", "note"),
        SchoolHoliday: ("name",),  # typed by directory managers
        User: ("name", "email"),
        Referral: ("reference",),
    }
    found = []
    for model, names in columns.items():
        for row in db.session.execute(select(*(getattr(model, name) for name in names))):
            found += [value for value in row if isinstance(value, str)]
    return found


def _cldr_words():
    """Month, day and relative-time words the pseudo-locale takes from CLDR (Esperanto): translated already."""
    from babel import dates
    locale = Locale.parse(LANG)
    words = set()
    for table in (locale.months, locale.days):
        for context in table.values():
            for width in ("wide", "abbreviated"):
                words.update(w.lower() for w in context[width].values())
    for seconds in (1, 60, 3600, 86400, 7 * 86400, 31 * 86400, 366 * 86400):
        for amount in (1, 2, 5):
            for direction in (True, False):
                text = dates.format_timedelta(timedelta(seconds=seconds * amount), locale=locale,
                                              add_direction=direction)
                words.update(re.findall(r"[^\W\d_]+", text.lower()))
    # Language names come from CLDR too ("angla" is Esperanto for English).
    for name in locale.languages.values():
        words.update(re.findall(r"[^\W\d_]+", name.lower()))
    return {w for w in words if len(w) >= 3}


def _machine_tokens(text):
    """Addresses, e-mail addresses, references, file names, postcodes and proper nouns, taken out of the text."""
    for pattern in (EMAIL_RE, URL_RE, REFERENCE_RE, PATH_RE, POSTCODE_RE):  # e-mail first: it ends in a domain
        text = pattern.sub(" \x00 ", text)
    for noun in sorted(PROPER_NOUNS, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(noun)}(?!\w)", " \x00 ", text)
    return text


def _words(text):
    """The words of a text, lower case, without numbers and punctuation: 'Fairfield Hall, 14 Oak Road' -> 4 words."""
    return tuple(w.lower() for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", _machine_tokens(text)))


class Allowed:
    """Decides whether text with no pseudo-locale markers is data (names, addresses, descriptions) or escaped English.

    Data is what providers, people and this test typed in. A piece of page text is data when its words are one
    or more such values one after another (an address line is a place's name, street and town), or a long run of
    words from one of them (a description cut short, or split up by highlighted search words).
    """

    SLICE = 6  # words in a row from one value that count as quoting it

    def __init__(self, values):
        self.whole = set()
        self.blob = []
        for value in values:
            if not value or not value.strip():
                continue
            # Markdown descriptions reach the page as paragraphs and list items: each is a value of its own.
            for piece in [value] + re.split(r"\n\s*(?:[-*+]|\d+\.)?\s*", value):
                words = _words(piece)
                if words:
                    self.whole.add(words)
                    self.blob.append(" " + " ".join(words) + " ")
        self.blob = "\n".join(self.blob)
        self.cldr = _cldr_words()

    def _segments(self, words):
        """Can the words be cut into values (or long quotes of values), one after another?"""
        reachable = [True] + [False] * len(words)
        for end in range(1, len(words) + 1):
            for start in range(end):
                if not reachable[start]:
                    continue
                piece = words[start:end]
                if piece in self.whole or (len(piece) >= self.SLICE and f" {' '.join(piece)} " in self.blob) \
                        or (len(piece) == 1 and piece[0] in self.cldr):
                    reachable[end] = True
                    break
        return reachable[-1]

    def __call__(self, text):
        if not re.search(r"[A-Za-z]", text):
            return True  # numbers, punctuation, symbols, pseudo-translated letters
        chunks = [_words(chunk) for chunk in _machine_tokens(_normal(text)).split("\x00")]  # split at e-mails etc.
        return all(self._segments(chunk) for chunk in chunks if chunk)


def residue(text):
    """The text outside every ⟦…⟧ (markers nest when one translation is put inside another), in pieces."""
    pieces, current, depth = [], [], 0
    for ch in text:
        if ch == pseudo.OPEN:
            if depth == 0:
                pieces.append("".join(current))
                current = []
            depth += 1
        elif ch == pseudo.CLOSE and depth:
            depth -= 1
        elif depth == 0:
            current.append(ch)
    pieces.append("".join(current))
    return [p for p in (_normal(p) for p in pieces) if p]


# ---------------------------------------------------------------------------------------------------------------
# Reading a page


class PageText(HTMLParser):
    """Visible text runs and translatable attributes, leaving out scripts, other-language parts and the switcher."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped)
        self.run = []
        self.found = []  # (where, text)

    def _skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def _flush(self):
        text = "".join(self.run)
        self.run = []
        if text.strip():
            self.found.append(("text", text))

    def _skip(self, tag, attrs):
        if self._skipped() or tag in ("script", "style", "template", "code", "kbd", "samp"):
            return True  # code, keys to press and sample output are literal: they stay as they are
        lang = (attrs.get("lang") or "").strip().lower().replace("_", "-")
        if lang and lang.split("-")[0] != LANG:
            return True  # marked as another language on purpose: names of languages, listings' own text
        classes = (attrs.get("class") or "").split()
        return tag == "nav" and "hg-languages" in classes

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if tag not in INLINE:
            self._flush()
        skipped = self._skip(tag, attrs)
        if not skipped:
            for name in TRANSLATABLE_ATTRIBUTES:
                if attrs.get(name, "").strip():
                    self.found.append((f"<{tag} {name}>", attrs[name]))
            if tag == "input" and attrs.get("type", "").lower() in ("submit", "button", "reset") \
                    and attrs.get("value", "").strip():
                self.found.append((f"<{tag} value>", attrs["value"]))
            if tag == "meta" and attrs.get("name", "").lower() == "description" and attrs.get("content"):
                self.found.append(("<meta description>", attrs["content"]))
        if tag == "br":
            self._flush()
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self._flush()
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack:
                open_tag, skipped = self.stack.pop()
                if open_tag == tag:
                    break

    def handle_data(self, data):
        if not self._skipped():
            self.run.append(data)

    def close(self):
        super().close()
        self._flush()


def page_strings(html):
    parser = PageText()
    parser.feed(html)
    parser.close()
    return parser.found


# ---------------------------------------------------------------------------------------------------------------
# The site in the pseudo-locale


def _with_lang(url):
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"] + [("lang", LANG)]
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory):
    """A site of its own: pseudo catalogue, SQLite file, search index and instance folder in a temporary folder."""
    from flask_migrate import upgrade

    from app import create_app
    from app.core import clock
    from app.extensions import db, limiter

    root = tmp_path_factory.mktemp("pseudo-site")
    translations = root / "translations"
    pseudo.build_catalogue(translations)
    local_today = datetime.now(ZoneInfo("Europe/London")).date()
    config = {
        "TESTING": True,
        "SECRET_KEY": "pseudo-locale-test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'site.sqlite'}",
        "SEARCH_INDEX_DIR": str(root / "index"),
        "INSTANCE_PATH": str(root / "instance"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "REFERRAL_MIN_SECONDS": 0,
        "SERVER_NAME": None,
        "PERSONAL_DATA_KEYS": TEST_KEY,
        "MAIL_PORT": 1,  # nothing listens: e-mails stay in the outbox
        "BABEL_TRANSLATION_DIRECTORIES": str(translations),
        "LANGUAGES": ["en", LANG],
        "LANGUAGE_THRESHOLD": 0,
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
    }
    app = create_app(config)
    # Opening times ("open now", "opens at ...") read the clock: fix the time of day, keep today's date.
    clock.freeze(app, datetime.combine(local_today, time(11, 0), tzinfo=ZoneInfo("Europe/London")))

    @app.before_request
    def _fresh_request_state():
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    # Each app keeps its own loaded translations (app/i18n/rendering.py), so the pseudo catalogue stays in this one.
    with app.app_context():
        upgrade()
    try:
        site = _populate(app)
        yield site
    finally:
        limiter.enabled = False
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _populate(app):
    from sqlalchemy import select

    from app.accounts import links
    from app.accounts.models import User
    from app.demo import loader as demo
    from app.demo.loader import DEMO_ACCOUNTS
    from app.directory import freshness, listings, moderation, search, translation_review
    from app.directory.provider import editing
    from app.extensions import db

    with app.app_context():
        listings.seed_reference_data()
        demo.load_demo()
        db.session.commit()  # as `flask demo load` does
        search.rebuild_index(listings.all_services_for_index())
        provider = db.session.execute(select(User).where(User.email == DEMO_ACCOUNTS[0][0])).scalar_one()
        organisation = provider.organisations[0]
        own_services = sorted((s for s in organisation.services if s.status == "published"), key=lambda s: s.id)
        service, other_service = own_services[0], own_services[1]
        # A provider's change waiting for the directory team, with text and coded fields changed.
        snapshot = moderation.snapshot_service(service)
        snapshot["description"] += CHANGED_DESCRIPTION_SUFFIX
        snapshot["formats"] = sorted(set(snapshot["formats"]) | {"online"})
        snapshot["access_method"] = "referral" if snapshot["access_method"] != "referral" else "drop_in"
        revision = moderation.propose("service", service, snapshot, provider)
        # Another listing with an earlier version to restore.
        other = db.session.get(type(service), other_service.id)
        moderation.apply_directly("service", other, {"description": other.description + CHANGED_DESCRIPTION_SUFFIX},
                                  None)
        first_version = db.session.execute(select(type(revision)).where(
            type(revision).entity_id == other.id, type(revision).kind == "published")).scalar_one()
        # A provider's Arabic translation waiting for the directory team.
        translation_review.submit(service, "ar", {"name": "اسم", "description": "وصف"}, provider)
        translation_change = translation_review.draft_for(service, "ar")
        db.session.commit()
        site = {
            "app": app,
            "service": service.slug,
            "other_service": other_service.slug,
            "organisation": organisation.slug,
            "organisation_id": organisation.id,
            "revision": revision.id,
            "translation_change": translation_change.id,
            "first_version": first_version.id,
            "freshness_token": freshness.make_token(service, provider),
            "reset_token": links.serializer("reset").dumps(
                {"u": provider.id, "h": provider.password_hash[-16:]}),
            "sections": list(editing.SECTIONS),
        }

    # Referrals through the public form: one made by a worker, one by the person themselves.
    # The worker's says the person is not safe: the inbox flags it and the confirmation gives the team's hours.
    site["references"] = [_refer(app.test_client(), route="worker", safe="no"),
                          _refer(app.test_client(), route="self")]

    spa = _signed_in(app, "spa")
    reference = site["references"][0]
    for action, data in (("triage", {"colour": "amber", "reason": SPA_TRIAGE_REASON}),
                         ("assign", {"team": app.config["SPA_TEAMS"][0]}),
                         ("contact", {"method": "phone", "result": "no_answer", "note": SPA_CONTACT_NOTE}),
                         ("share", {"organisation": str(site["organisation_id"]), "reason": SPA_CONTACT_NOTE})):
        response = spa.post(_with_lang(f"/spa/referrals/{reference}/{action}"), data=data)
        assert response.status_code == 302, (action, response.get_data(as_text=True)[:2000])

    manager = _signed_in(app, "manager")
    response = manager.post(_with_lang("/manage/invite"),
                            data={"email": INVITED_EMAIL, "organisations": [str(site["organisation_id"])]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        from app.directory.models import Invitation
        invitation = db.session.execute(select(Invitation).where(Invitation.email == INVITED_EMAIL)).scalar_one()
        site["invitation_token"] = links.serializer("invitation").dumps(
            {"i": invitation.id, "e": invitation.email})
        site["message_key"] = _first_message_key()
        # The pseudo-locale's own name, in itself, comes from CLDR: it is translated already.
        own_name = Locale.parse(LANG).get_display_name(LANG)
        site["allowed"] = Allowed(_database_strings() + _entered_strings() + app.config["SPA_TEAMS"]
                                  + [app.config["BOROUGH_NAME"], own_name])
    return site


def _first_message_key():
    from app.i18n import catalogues
    entries, _plurals = catalogues.entries(LANG)
    return entries[0]["key"]


def _signed_in(app, role):
    from app.demo.loader import DEMO_ACCOUNTS
    email, _name, _roles, password = next(a for a in DEMO_ACCOUNTS if role in a[2])
    client = app.test_client()
    client.get(_with_lang("/"))
    response = client.post(_with_lang("/sign-in"), data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def _refer(client, route, safe="yes"):
    """Walk the referral form with valid answers; returns the new referral's reference."""
    client.post(_with_lang("/refer/start"))
    for step, data in VALID.items():
        data = {**data, "route": route} if step == "who" else {"safe": safe} if step == "safety" else data
        response = client.post(_with_lang(f"/refer/{step}"), data=data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])
        if step == "who" and route != "self":
            response = client.post(_with_lang("/refer/referrer"), data=REFERRER)
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    token = re.search(r'name="journey" value="([^"]+)"', client.get(_with_lang("/refer/check")).get_data(as_text=True))
    response = client.post(_with_lang("/refer/send"), data={"journey": token.group(1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/refer/sent"), response.status_code
    body = client.get(_with_lang("/refer/sent")).get_data(as_text=True)
    return REFERENCE_RE.search(body).group(0)


# ---------------------------------------------------------------------------------------------------------------
# The crawl: every page, signed out and as each kind of user, in the pseudo-locale


class Crawl:
    def __init__(self, site):
        self.site = site
        self.app = site["app"]
        self.failures = defaultdict(list)  # text -> [page, ...]
        self.problems = []  # wrong status codes, pages not in the pseudo-locale
        self.pages = 0
        self.rendered = set()

    def visit(self, client, label, url, method="GET", expect=(200,), **kwargs):
        page = f"{method} {url} [{label}]"
        try:
            response = client.open(_with_lang(url), method=method, **kwargs)
        except Exception as exc:  # warnings are errors in the tests, so a DeprecationWarning lands here too
            where = next((f"{frame.filename.split('/app/', 1)[-1]}:{frame.lineno}"
                          for frame in reversed(traceback.extract_tb(exc.__traceback__))
                          if "/app/" in frame.filename and "/site-packages/" not in frame.filename), "")
            self.problems.append(f"{page}: raised {type(exc).__name__}: {exc} (app/{where})")
            return None
        if response.status_code not in expect:
            self.problems.append(f"{page}: status {response.status_code}, expected {expect}")
            return response
        if response.mimetype != "text/html" or 300 <= response.status_code < 400:
            return response
        self.pages += 1
        body = response.get_data(as_text=True)
        if f'lang="{LANG}"' not in body[:300]:
            self.problems.append(f"{page}: not shown in the pseudo-locale")
        for where, text in page_strings(body):
            for piece in residue(text):
                if not self.site["allowed"](piece):
                    self.failures[(where if where != "text" else "", piece)].append(page)
        return response


def _public(crawl):
    site, app = crawl.site, crawl.app
    client = app.test_client()
    visit = crawl.visit
    visit(client, "home", "/")
    visit(client, "categories", "/categories/")
    visit(client, "category", "/categories/talk")
    visit(client, "category", "/categories/money-debt")
    visit(client, "category, second page", "/categories/talk?page=2")
    visit(client, "listing", f"/services/{site['service']}")
    visit(client, "listing", f"/services/{site['other_service']}")
    visit(client, "search", "/search?q=lonely")
    visit(client, "search, filters", "/search?q=food&cost=free&day=3&format=in_person&open_now=1")
    visit(client, "search, near a postcode", "/search?near=NW5+2AB&q=lunch")
    visit(client, "search, nothing found", "/search?q=zzzzqq")
    visit(client, "search, someone in crisis", "/search?q=suicidal")
    visit(client, "search, unknown place", "/search?near=banana")
    visit(client, "search, bad age", "/search?age=x")
    visit(client, "search, everything", "/search")
    visit(client, "my list, empty", "/my-list")
    for slug in (site["service"], site["other_service"]):
        visit(client, "add to my list", "/my-list/add", method="POST", expect=(302,), data={"slug": slug})
    visit(client, "my list", "/my-list")
    visit(client, "my list, shared", f"/my-list?items={site['service']},{site['other_service']}")
    visit(client, "my list, print", "/my-list/print")
    visit(client, "what's on", "/whats-on/")
    visit(client, "what's on, next week", "/whats-on/?week=1")
    visit(client, "open data", "/api/")
    for path in ("/privacy", "/accessibility", "/contact"):
        visit(client, "site page", path)
    visit(client, "report a problem", f"/services/{site['service']}/report")
    visit(client, "report a problem, nothing chosen", f"/services/{site['service']}/report", method="POST",
          expect=(400,), data={})
    visit(client, "report a problem, bad e-mail", f"/services/{site['service']}/report", method="POST",
          expect=(400,), data={"problem": "other", "email": "nobody@"})
    visit(client, "report a problem, sent", f"/services/{site['service']}/report", method="POST", expect=(302,),
          data={"problem": "times", "message": REPORT_MESSAGE, "email": "reporter@example.org"})
    visit(client, "report a problem, thank you", f"/services/{site['service']}/report/sent")
    visit(client, "sign in", "/sign-in")
    visit(client, "sign in, nothing entered", "/sign-in", method="POST", expect=(200, 400), data={})
    visit(client, "sign in, wrong password", "/sign-in", method="POST", expect=(200, 400, 401),
          data={"email": "provider@demo.hidden-gems.example", "password": "not the password"})
    visit(client, "forgotten password", "/reset-password")
    visit(client, "forgotten password, bad e-mail", "/reset-password", method="POST", expect=(400,),
          data={"email": "nobody"})
    visit(client, "forgotten password, sent", "/reset-password", method="POST",
          data={"email": "nobody@example.org"})
    visit(client, "new password", f"/reset-password/{site['reset_token']}")
    visit(client, "new password, too short", f"/reset-password/{site['reset_token']}", method="POST",
          expect=(400,), data={"password": "short", "confirm": "shorter"})
    visit(client, "reset link broken", "/reset-password/not-a-token", expect=(400,))
    visit(client, "invitation", f"/invitations/{site['invitation_token']}")
    visit(client, "invitation, weak password", f"/invitations/{site['invitation_token']}", method="POST",
          expect=(400,), data={"name": "", "password": "password", "confirm": "passwort"})
    visit(client, "invitation broken", "/invitations/not-a-token", expect=(400,))
    visit(client, "join", "/join")
    visit(client, "join, nothing entered", "/join", method="POST", expect=(400,), data={})
    visit(client, "join, sent", "/join", method="POST", data=JOIN)
    visit(client, "listing check", f"/listing-check/{site['freshness_token']}")
    visit(client, "listing checked", f"/listing-check/{site['freshness_token']}", method="POST", data={})
    visit(client, "listing check broken", "/listing-check/not-a-token", expect=(400,))
    visit(client, "not found", "/no-such-page", expect=(404,))
    visit(client, "listing not found", "/services/no-such-listing", expect=(404,))
    visit(client, "wrong method", "/sign-out", expect=(405,))
    visit(client, "too large", "/join", method="POST", expect=(413,),
          data={"message": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        visit(client, "form expired", "/sign-in", method="POST", expect=(400,), data={"email": "a@b.example"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def _referral_journey(crawl):
    from app.selfreferral import journey
    client = crawl.app.test_client()
    visit = crawl.visit
    visit(client, "referral start", "/refer/")
    visit(client, "referral step without a draft", "/refer/safety", expect=(302,))
    visit(client, "begin", "/refer/start", method="POST", expect=(302,))
    visit(client, "urgent help", "/refer/urgent")
    for step in journey.STEP_NAMES:
        if step == "wellbeing":  # offered only to people referring themselves: a helper is sent on
            visit(client, "referral step not for helpers", f"/refer/{step}", expect=(302,))
            continue
        visit(client, "referral step", f"/refer/{step}")
        visit(client, "referral step, nothing entered", f"/refer/{step}", method="POST", expect=(302, 400), data={})
        if step in INVALID:
            visit(client, "referral step, wrong answers", f"/refer/{step}", method="POST", expect=(400,),
                  data=INVALID[step])
        data = {**VALID.get(step, REFERRER), "route": "on_behalf"} if step == "who" else VALID.get(step, REFERRER)
        visit(client, "referral step, answered", f"/refer/{step}", method="POST", expect=(302,), data=data)
    visit(client, "referral step, changing an answer", "/refer/needs?change=1")
    visit(client, "check answers", "/refer/check")
    visit(client, "sent by a robot", "/refer/send", method="POST", expect=(400,), data={"website": "spam"})
    body = client.get(_with_lang("/refer/check")).get_data(as_text=True)
    token = re.search(r'name="journey" value="([^"]+)"', body).group(1)
    visit(client, "send", "/refer/send", method="POST", expect=(302,), data={"journey": token})
    visit(client, "sent", "/refer/sent")
    visit(client, "sent twice, expired", "/refer/send", method="POST", expect=(400,), data={"journey": "stale"})

    # The same questions put to someone referring themselves ("you"), the wellbeing scale and the signposts.
    themselves = crawl.app.test_client()
    visit(themselves, "begin", "/refer/start", method="POST", expect=(302,))
    visit(themselves, "referring themselves", "/refer/who", method="POST", expect=(302,), data={"route": "self"})
    for step in journey.STEP_NAMES:
        if step != "referrer":
            visit(themselves, "referral step, for themselves", f"/refer/{step}")
    visit(themselves, "under 16", "/refer/about", method="POST", expect=(400,), data={"full_name": "A", "age": "12"})
    visit(themselves, "outside the borough", "/refer/address", method="POST", expect=(400,),
          data={"postcode": "SW1A 1AA", "has_gp": "yes"})
    visit(themselves, "no link to the borough", "/refer/address", method="POST", expect=(302,),
          data={"postcode": "SW1A 1AA", "has_gp": "yes", "connection": "none"})
    visit(themselves, "signposted elsewhere", "/refer/outside-area")

    unsafe = crawl.app.test_client()
    visit(unsafe, "begin", "/refer/start", method="POST", expect=(302,))
    visit(unsafe, "not safe", "/refer/safety", method="POST", expect=(302,), data={"safe": "no"})
    visit(unsafe, "urgent help, not safe", "/refer/urgent")

    # Save and come back later: a page kept as typed, the address asked for, the link opened in another browser.
    saving = crawl.app.test_client()
    visit(saving, "begin", "/refer/start", method="POST", expect=(302,))
    visit(saving, "save a page for later", "/refer/who", method="POST", expect=(302,), data={"save_later": "1"})
    visit(saving, "save for later", "/refer/save")
    visit(saving, "save for later, wrong address", "/refer/save", method="POST", expect=(400,),
          data={"email": "not-an-email"})
    visit(saving, "save for later, sent", "/refer/save", method="POST", expect=(302,),
          data={"email": "amina@example.org"})
    visit(saving, "saved for later", "/refer/saved")
    path = _saved_draft_link(crawl.app)
    elsewhere = crawl.app.test_client()
    visit(elsewhere, "saved draft link", path)
    visit(elsewhere, "saved draft link, continue", path, method="POST", expect=(302,))
    visit(elsewhere, "saved draft link, used", path, expect=(410,))
    visit(elsewhere, "saved draft link, broken", "/refer/resume/not-a-token-at-all-not-one", expect=(404,))


def _saved_draft_link(app):
    """The path of the link in the last "save and come back later" e-mail."""
    from sqlalchemy import select

    from app.core import crypto
    from app.core.mail import OutboxMessage
    from app.extensions import db
    with app.app_context():
        message = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "referral_saved_draft")
                                     .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
        body = crypto.decrypt(message.envelope)["body"]
    return re.search(r"https?://[^/\s]+(/refer/resume/[\w-]+)", body).group(1)


def _staff(crawl):
    site, app = crawl.site, crawl.app
    visit = crawl.visit
    service, org, reference = site["service"], site["organisation"], site["references"][0]

    provider = _signed_in(app, "provider")
    visit(provider, "account", "/account", expect=(302,))
    visit(provider, "provider dashboard", "/provider/")
    visit(provider, "provider listing", f"/provider/services/{service}/edit")
    visit(provider, "provider listing", f"/provider/services/{site['other_service']}/edit")
    for section in site["sections"]:
        visit(provider, "provider section", f"/provider/services/{service}/edit/{section}")
    visit(provider, "provider section, emptied", f"/provider/services/{site['other_service']}/edit/basics",
          method="POST", expect=(400,), data={"name": "", "description": ""})
    visit(provider, "provider section, bad times", f"/provider/services/{site['other_service']}/edit/where",
          method="POST", expect=(400,), data={"sessions-0-weekday": "9", "sessions-0-opens_at": "25:00",
                                              "sessions-0-closes_at": "noon"})
    visit(provider, "provider section, bad dates", f"/provider/services/{site['other_service']}/edit/where",
          method="POST", expect=(400,), data={"sessions-0-weekday": "2", "sessions-0-how_often": "fortnightly",
                                              "sessions-0-opens_at": "10:00", "sessions-0-closes_at": "10:00",
                                              "events-0-event_day": "45", "events-0-title": "",
                                              "closures-0-to_day": "1", "closures-0-to_month": "1",
                                              "closures-0-to_year": "2027"})
    visit(provider, "provider section, another row", f"/provider/services/{site['other_service']}/edit/where",
          method="POST", data={"add": "closures"})
    visit(provider, "provider section, bad contact", f"/provider/services/{site['other_service']}/edit/contact",
          method="POST", expect=(400,), data={"contact_email": "nobody@", "contact_phone": "12"})
    visit(provider, "capacity, nothing chosen", f"/provider/services/{service}/capacity", method="POST",
          expect=(400,), data={})
    visit(provider, "capacity, note too long", f"/provider/services/{service}/capacity", method="POST",
          expect=(400,), data={"capacity_status": "full", "capacity_note": "x" * 400})
    with app.app_context():
        from sqlalchemy import select

        from app.directory.models import Organisation, Service
        from app.extensions import db
        owner = db.session.execute(select(Service).where(Service.slug == service)).scalar_one().organisation_id
        db.session.add(Service(organisation=db.session.get(Organisation, owner), slug="crawl-draft",
                               name=CRAWL_DRAFT, status="draft", description="", formats=["in_person"],
                               languages=["en"]))
        db.session.commit()
    visit(provider, "delete a draft?", "/provider/services/crawl-draft/delete")
    visit(provider, "new listing", f"/provider/organisations/{org}/services/new")
    visit(provider, "new listing, nothing entered", f"/provider/organisations/{org}/services/new", method="POST",
          expect=(400,), data={})
    visit(provider, "organisation", f"/provider/organisations/{org}/edit")
    visit(provider, "organisation, bad details", f"/provider/organisations/{org}/edit", method="POST",
          expect=(400,), data={"name": "", "email": "nobody@", "website": "not a website"})
    if "provider.translations" in app.view_functions:  # listings in other languages: being built
        visit(provider, "listing translations", f"/provider/services/{service}/translations")
    if "provider.translate_listing" in app.view_functions:
        visit(provider, "translate a listing", f"/provider/services/{service}/translations/{LANG}")
        visit(provider, "translate a listing, no name", f"/provider/services/{service}/translations/{LANG}",
              method="POST", expect=(400,), data={"name": ""})
    visit(provider, "change password", "/account/password")
    visit(provider, "change password, wrong", "/account/password", method="POST", expect=(400,),
          data={"current": "wrong", "password": "short", "confirm": "other"})
    visit(provider, "not allowed", "/manage/", expect=(403,))

    manager = _signed_in(app, "manager")
    visit(manager, "manage", "/manage/")
    visit(manager, "changes", "/manage/changes")
    visit(manager, "change", f"/manage/changes/{site['revision']}")
    visit(manager, "change, edit before approving", f"/manage/changes/{site['revision']}/edit")
    visit(manager, "change, edited words too long", f"/manage/changes/{site['revision']}/edit", method="POST",
          expect=(400,), data={"description": "1" * 5001})
    visit(manager, "translation to check", f"/manage/translations/{site['translation_change']}")
    visit(manager, "translation, sent back without a reason",
          f"/manage/translations/{site['translation_change']}/reject", method="POST", expect=(400,),
          data={"reason": ""})
    visit(manager, "trust an organisation?", f"/manage/organisations/{site['organisation']}/trust")
    visit(manager, "history", f"/manage/services/{service}/history")
    visit(manager, "history with versions", f"/manage/services/{site['other_service']}/history")
    visit(manager, "restore, preview", f"/manage/revisions/{site['first_version']}/restore")
    visit(manager, "restore, not a version", f"/manage/revisions/{site['revision']}/restore", expect=(400,))
    visit(manager, "problems", "/manage/problems")
    visit(manager, "problems, closed", "/manage/problems?show=closed")
    with app.app_context():
        from sqlalchemy import select

        from app.directory.models import ProblemReport
        from app.extensions import db
        report_id = db.session.execute(select(ProblemReport.id).where(ProblemReport.status == "open")
                                       .order_by(ProblemReport.id)).scalars().first()
    visit(manager, "problem", f"/manage/problems/{report_id}")
    visit(manager, "problem, nothing chosen", f"/manage/problems/{report_id}", method="POST", expect=(400,),
          data={"reply": REPORT_MESSAGE})
    visit(manager, "problem, archive?", f"/manage/problems/{report_id}/archive")
    visit(manager, "organisations", "/manage/organisations")
    visit(manager, "join requests", "/manage/requests")
    visit(manager, "invite", "/manage/invite")
    visit(manager, "invite, nothing entered", "/manage/invite", method="POST", expect=(400,), data={})
    visit(manager, "stale listings", "/manage/stale")
    visit(manager, "school holidays", "/manage/school-holidays")
    visit(manager, "school holidays, nothing entered", "/manage/school-holidays", method="POST", expect=(400,),
          data={"from_day": "45", "from_month": "13", "from_year": "2026"})
    invitations = visit(manager, "invitations", "/manage/invitations").get_data(as_text=True)
    resend = re.search(r'action="(/manage/invitations/\d+/resend)"', invitations).group(1)
    visit(manager, "invitation sent again too soon", resend, method="POST", expect=(400,), data={})
    visit(manager, "site pages", "/manage/pages/")
    visit(manager, "site page, English", "/manage/pages/privacy/en")
    visit(manager, "site page, not yet written", f"/manage/pages/contact/{LANG}")
    visit(manager, "site page, nothing entered", "/manage/pages/privacy/en", method="POST", expect=(400,), data={})
    visit(manager, "site page, preview", "/manage/pages/privacy/en", method="POST",
          data={"title": REPORT_MESSAGE, "body": REPORT_MESSAGE, "action": "preview"})
    visit(manager, "csv", "/manage/csv/")
    visit(manager, "csv, no file", "/manage/csv/", method="POST", expect=(400,), data={"action": "check"})
    exported = manager.get("/manage/csv/export.csv").get_data()
    visit(manager, "csv, checked", "/manage/csv/", method="POST",
          data={"action": "check", "file": (io.BytesIO(exported), "directory.csv")})
    lines = exported.decode("utf-8-sig").splitlines()
    broken = "\n".join([lines[0], lines[1].replace("published", "nonsense").replace("@", " at ")]).encode()
    visit(manager, "csv, problems", "/manage/csv/", method="POST", expect=(200, 400),
          data={"action": "check", "file": (io.BytesIO(broken), "directory.csv")})
    visit(manager, "csv, not a csv", "/manage/csv/", method="POST", expect=(200, 400),
          data={"action": "check", "file": (io.BytesIO(b"\x00\x01\x02 not a csv"), "directory.csv")})
    visit(manager, "manager edits a listing", f"/provider/services/{service}/edit")

    spa = _signed_in(app, "spa")
    visit(spa, "inbox", "/spa/")
    visit(spa, "inbox, filtered", "/spa/?status=open&colour=amber&overdue=1")
    for ref in site["references"]:
        visit(spa, "referral", f"/spa/referrals/{ref}")
    visit(spa, "referral action error", f"/spa/referrals/{reference}/triage", method="POST", expect=(400,),
          data={"colour": "purple"})
    visit(spa, "reports", "/spa/reports/")
    visit(spa, "reports, a range", "/spa/reports/?from=2020-01-01&to=2099-12-31")
    visit(spa, "partner access", "/spa/partners")
    visit(spa, "partner access, an error", "/spa/partners", method="POST", expect=(400,), data={})

    partner = _signed_in(app, "partner")
    visit(partner, "shared referrals", "/spa/shared")
    visit(partner, "shared referral", f"/spa/referrals/{reference}")

    translator = _signed_in(app, "translator")
    visit(translator, "translate", "/translate/")
    visit(translator, "translate a language", f"/translate/{LANG}?show=all")
    visit(translator, "translate, nothing found", f"/translate/{LANG}?show=untranslated&q=zzzzqq")
    visit(translator, "translate a text", f"/translate/{LANG}/messages/{site['message_key']}")
    visit(translator, "upload, no file", f"/translate/{LANG}/upload", method="POST", expect=(400,), data={})
    visit(translator, "search words", "/translate/synonyms")
    visit(translator, "search words, a new group", f"/translate/{LANG}/synonyms/new")
    visit(translator, "search words, an error", f"/translate/{LANG}/synonyms/new", method="POST", expect=(400,),
          data={"triggers": "", "expansions": ""})
    with app.app_context():  # a group to remove (saved directly: the audit log would show its key as English)
        from app.directory.search import synonym_store
        synonym_store.record(LANG, "crawlgroup1", [SYNONYM_WORDS[0]], [SYNONYM_WORDS[1]], None)
        _db_commit()
    groups = visit(translator, "search words of a language", f"/translate/{LANG}/synonyms")
    found = re.search(rf"/translate/{LANG}/synonyms/([^\"/?]+)/remove", groups.get_data(as_text=True))
    assert found, groups.get_data(as_text=True)[-2000:]
    visit(translator, "search words, remove?", f"/translate/{LANG}/synonyms/{found.group(1)}/remove")
    if "listing_translations.listings" in app.view_functions:
        visit(translator, "listings to translate", "/translate/listings")
        visit(translator, "listings to translate, search", "/translate/listings?q=lunch")

    admin = _signed_in(app, "admin")
    visit(admin, "users", "/admin/")
    visit(admin, "audit", "/admin/audit")
    listing = admin.get(_with_lang("/admin/")).get_data(as_text=True)
    provider_page = "/admin/users/" + re.search(r'href="/admin/users/(\d+)">provider@', listing).group(1)
    visit(admin, "a user", provider_page)
    visit(admin, "a user, an error", provider_page + "/active", method="POST", expect=(400,), data={})
    visit(admin, "deactivate, are you sure", provider_page + "/deactivate")
    user_page = admin.get(_with_lang(provider_page)).get_data(as_text=True)
    remove = re.search(r'href="(/admin/users/\d+/organisations/\d+/remove)', user_page).group(1)
    visit(admin, "remove an organisation, are you sure", remove)
    visit(admin, "translate, as admin", "/translate/")


@pytest.fixture(scope="module")
def crawl(pseudo_site):
    crawl = Crawl(pseudo_site)
    env = pseudo_site["app"].jinja_env
    get_template = env.get_template

    def recording(name, *args, **kwargs):
        template = get_template(name, *args, **kwargs)
        crawl.rendered.add(template.name)  # pages, and the templates they include and import
        return template

    env.get_template = recording
    try:
        _public(crawl)
        _referral_journey(crawl)
        _staff(crawl)
    finally:
        del env.get_template
    return crawl


def test_the_pseudo_catalogue_keeps_placeholders_and_tags():
    text = "Call %(phone)s or <a href=\"%(url)s\">write to us</a> &amp; {name}: 100%% free"
    out = pseudo.pseudo_translate(text)
    assert out.startswith(pseudo.OPEN) and out.endswith(pseudo.CLOSE)
    for kept in ("%(phone)s", '<a href="%(url)s">', "</a>", "&amp;", "{name}", "%%"):
        assert kept in out
    assert not re.search(r"[A-Za-z]{3}", re.sub(r"%\(\w+\)s|<[^>]*>|&\w+;|\{\w+\}", "", out))
    visible = len(re.sub(r"%\(\w+\)s|<[^>]*>|&\w+;|\{\w+\}|%%", "", text))
    assert len(re.sub(r"%\(\w+\)s|<[^>]*>|&\w+;|\{\w+\}|%%", "", out)) - 2 >= 1.4 * visible - 1
    assert residue("⟦á ⟦ƀ⟧ ç⟧ Camden ⟦đ⟧.") == ["Camden", "."]


def test_every_page_is_in_the_pseudo_locale(crawl):
    """English text on a page in the pseudo-locale was written outside _() or _l(): translators never see it."""
    assert crawl.pages > 100
    report = []
    if crawl.problems:
        report.append(f"{len(crawl.problems)} pages did not render as expected in the pseudo-locale:")
        report += crawl.problems
    if crawl.failures:
        lines = []
        for (where, text), pages in sorted(crawl.failures.items(), key=lambda item: (item[1][0], item[0])):
            unique = list(dict.fromkeys(pages))
            more = f" (+{len(unique) - 1} more)" if len(unique) > 1 else ""
            lines.append(f"{where + ' ' if where else ''}{text!r}  on {unique[0]}{more}")
        report.append(f"{len(lines)} English strings escaped extraction (not wrapped in _()):")
        report += lines[:LIMIT]
        if len(lines) > LIMIT:
            report.append(f"... and {len(lines) - LIMIT} more")
    if report:
        pytest.fail("\n".join(report), pytrace=False)


def test_the_crawl_renders_every_page_template(crawl):
    """Keeps the list of pages above honest as pages are added."""
    root = Path(__file__).resolve().parent.parent.parent / "app"
    pages = set()
    for path in root.glob("**/templates/**/*.html"):
        parts = path.relative_to(root).parts
        name = "/".join(parts[parts.index("templates") + 1:])
        if Path(name).name.startswith("_") or name in ("base.html", "forms.html", "macros.html") \
                or name.endswith("/layout.html") or name in UNCRAWLED_TEMPLATES:
            continue
        pages.add(name)
    missed = sorted(pages - crawl.rendered)
    assert not missed, "Page templates the pseudo-locale crawl never renders (add a page for each):\n" + \
        "\n".join(missed)


# ---------------------------------------------------------------------------------------------------------------
# Layout with 40 % longer text, in Debian's Chromium

LAYOUT_CHECK = """() => {
  const root = document.documentElement;
  const problems = [];
  if (root.scrollWidth > root.clientWidth + 1) {
    // The outermost elements that stick out past the window: usually the one that needs to wrap or scroll.
    const sticksOut = el => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > root.clientWidth + 1 && getComputedStyle(el).position !== 'fixed';
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)))
      .slice(0, 5).map(el => `${el.tagName.toLowerCase()}${[...el.classList].map(c => '.' + c).join('')} ` +
        `${Math.round(el.getBoundingClientRect().width)}px ` +
        JSON.stringify((el.innerText || '').trim().slice(0, 50)));
    problems.push(`page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window: ${wide.join(' | ')}`);
  }
  const boxOf = el => {
    let parent = el.parentElement;
    while (parent && getComputedStyle(parent).display.startsWith('inline')) parent = parent.parentElement;
    return parent;
  };
  for (const el of document.querySelectorAll('.govuk-button, .govuk-tag')) {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || r.width === 0) continue;
    const label = (el.innerText || el.value || '').trim().slice(0, 60);
    const name = el.tagName.toLowerCase() + '.' + [...el.classList].join('.');
    if (el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'visible')
      problems.push(`${name} ${JSON.stringify(label)}: its text is cut off`);
    const parent = boxOf(el);
    if (!parent) continue;
    const p = parent.getBoundingClientRect();
    if (r.left < p.left - 1 || r.right > p.right + 1)
      problems.push(`${name} ${JSON.stringify(label)}: ${Math.round(r.width)}px wide, sticks out of its ` +
                    `${Math.round(p.width)}px ${parent.tagName.toLowerCase()}`);
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def pseudo_server(pseudo_site):
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, pseudo_site["app"], threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)


def _browse(site, base, browser, width, look):
    """Open the representative pages in Chromium at a window width; look(label, page) checks each one."""
    from app.demo.loader import DEMO_ACCOUNTS
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()

        def visit(label, url=None):
            if url:
                response = page.goto(base + _with_lang(url))
                assert response.ok, (label, response.status)
            page.wait_for_load_state("load")
            assert page.locator(f'html[lang="{LANG}"]').count() == 1, label
            look(f"{label} ({page.url[len(base):]})", page)

        visit("home", "/")
        visit("search results", "/search?q=lonely")
        visit("listing", f"/services/{site['service']}")
        visit("what's on", "/whats-on/")
        visit("sign in", "/sign-in")
        submit = "main form button[type=submit], main form input[type=submit]"
        page.goto(base + _with_lang("/refer/"))
        page.locator(submit).first.click()
        page.wait_for_url("**/refer/who")
        page.locator(submit).first.click()
        page.wait_for_load_state("load")
        assert page.locator(".govuk-error-summary").count() == 1
        visit("referral step with errors")

        email, _name, _roles, password = next(a for a in DEMO_ACCOUNTS if "provider" in a[2])
        response = context.request.post(base + _with_lang("/sign-in"), form={"email": email, "password": password},
                                        max_redirects=0)
        assert response.status == 302, response.status
        visit("provider dashboard", "/provider/")
        visit("provider listing", f"/provider/services/{site['service']}/edit")
        visit("change password", "/account/password")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1024])
def test_layout_holds_with_longer_text(pseudo_site, pseudo_server, chromium, width):
    """40 % longer text must wrap: no sideways scrolling, and no button or tag sticking out of its box."""
    problems = []
    _browse(pseudo_site, pseudo_server, chromium, width,
            lambda label, page: problems.extend(f"{label}: {p}" for p in page.evaluate(LAYOUT_CHECK)))
    assert not problems, f"Layout breaks at {width}px with longer text:\n" + "\n".join(problems)


@pytest.mark.browser
def test_text_added_by_scripts_is_translated(pseudo_site, pseudo_server, chromium):
    """GOV.UK Frontend's scripts add text of their own (show/hide, character counts): it must be translated too."""
    failures = defaultdict(list)

    def look(label, page):
        for where, text in page_strings(page.content()):
            for piece in residue(text):
                if not pseudo_site["allowed"](piece):
                    failures[(where if where != "text" else "", piece)].append(label)

    _browse(pseudo_site, pseudo_server, chromium, 1024, look)
    assert not failures, "English text on pages after their scripts ran:\n" + "\n".join(
        f"{where + ' ' if where else ''}{text!r}  on {pages[0]}" for (where, text), pages in failures.items())
