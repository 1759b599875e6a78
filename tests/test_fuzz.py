"""No input gives a server error: random values in every query parameter and form field of every route, as everyone.

The routes come from the URL map (as in tests/test_permissions.py, whose site and objects this reuses), so a new
route is fuzzed as soon as it exists. The field names come from the pages themselves: every form on every GET page,
fetched signed out and by a user with every role, gives its fields (and the values its options and checkboxes
offer, so a random answer sometimes sits beside valid ones and gets further into the view). FORM_CLASSES and
QUERY_ARGS add what the pages do not show at once, and every route also gets url_for's own names and the common ones.

Each example goes to every actor allowed on the route, anonymous, and one refused actor in turn; path parameters
are the real objects, or now and then random too; everyone is part way through a referral. A second test sends
each of the likeliest culprits (SWEEP) in every field of every route. Bounded and seeded per route (the same
examples every run) so it stays quick and stable in CI: about 6,800 requests in under 30 s on SQLite. It runs on
the test database, so on PostgreSQL under `TEST_DATABASE_URL`.
"""
import io
import random
import re
import zlib
from collections import defaultdict
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import g
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from wtforms import FieldList, FormField

from app.accounts.models import ROLE_LABELS
from app.directory.models import Organisation
from app.directory.provider.editing import SECTION_ORDER, SECTIONS
from app.extensions import db as _db
from app.selfreferral.journey import STEP_NAMES, STEPS
from tests.selfreferral.conftest import VALID
from tests.test_permissions import ACTORS, OK, ROUTES, expected_outcomes
from tests.test_permissions import site as permissions_site  # noqa: F401 (a fixture, named by its attribute)

EXAMPLES = 10  # per route

# Query parameters read by views without a form on the page to name them.
QUERY_ARGS = {
    "GET /my-list": ["items"], "GET /my-list/print": ["items"],
    "GET /whats-on/": ["week", "neighbourhood", "category"],
    "GET /refer/<name>": ["change"], "GET /spa/referrals/<reference>": ["error"],
    "GET /translate/<code>": ["show", "q", "state"], "GET /translate/<code>/messages/<key>": ["show", "q"],
    "GET /spa/reports/": ["from", "to"], "GET /spa/reports/export.csv": ["from", "to"],
    "GET /sign-in": ["next"],
}
EVERY_ROUTE = ["page", "lang", "next", "_anchor", "_method", "_scheme", "_external"]

# Pages that show one form of several at a time: every form class is asked for its fields.
FORM_CLASSES = {"POST /refer/<name>": [step.form for step in STEPS],
                "POST /provider/services/<slug>/edit/<section>": [form for form, _fields in SECTIONS.values()]}

# Path parameters that name a choice rather than an object: every choice is fetched for its forms, and fuzzed.
PATH_CHOICES = {"name": STEP_NAMES, "section": SECTION_ORDER, "decision": ["approve", "decline"],
                "page_slug": ["privacy", "accessibility", "contact"]}

HOSTILE = ["", " ", "0", "-1", "1", "²", "٤٥", "1e9", "9" * 30, str(2**31), str(2**63), "1_0", "+1", "0x10",
           "\x00", "a\x00b", "/\r\nSet-Cookie: x=1", "/\\evil.example", "//evil.example", "https://evil.example/",
           "javascript:alert(1)", "<script>alert(1)</script>", "' OR 1=1 --", "%", "%00", "%ZZ", "../../etc/passwd",
           "\u202e", "\ufeff", "\U0001f600", "é" * 300, "x" * 5000, "=1+1", "@SUM(A1)", "NaN", "null", "[]", "{}",
           "2024-02-30", "31/12/1899", "25:61", "true", "on", "NW5 2AB", "SW1A1AA", "a@b", "+44 20 7946 0000"]
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
_HOSTILE = st.sampled_from(HOSTILE)
ANY_VALUE = st.one_of(_HOSTILE, _HOSTILE, _TEXT, st.integers(-(10**20), 10**20).map(str))
# The values most likely to break a view, each sent in every field of every route (test_each_hostile_value...).
SWEEP = ["", "²", "9" * 30, str(2**31), "-1", "\x00", "/\r\nSet-Cookie: x=1", "//evil.example", "é" * 300, "x" * 5000,
         "%", "2024-02-30", "25:61", "=1+1", "\U0001f600", "on"]

_REQUESTS = {"count": 0}


# --- what each route is asked ------------------------------------------------------------------------------------

def route_key(app, method, url):
    """The "METHOD rule" a URL is handled by, or None when no route answers it."""
    try:
        rule, _args = app.url_map.bind("localhost").match(urlsplit(url).path, method=method, return_rule=True)
    except (NotFound, MethodNotAllowed):
        return None
    return f"{method} {rule.rule}"


def forms_on(html):
    """Each form's method, action and {field name: values its options, checkboxes and defaults offer}."""
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        fields = defaultdict(set)
        for element in form.find_all(["input", "select", "textarea", "button"]):
            if not element.get("name"):
                continue
            kind = element.get("type", "")
            values = fields[element["name"]]
            if kind == "file":
                values.add(FILE)
            elif element.name == "select":
                values.update(option.get("value", option.get_text()) for option in element.find_all("option"))
            elif element.get("value") is not None:
                values.add(element["value"])
        yield (form.get("method") or "get").upper(), form.get("action") or "", fields


FILE = object()  # stands for a file field's value


class Upload(bytes):
    """A file's content; each request gets its own file object, since sending one reads it."""

    def as_file(self):
        return io.BytesIO(self), "upload.csv"


def discover_fields(site, urls):
    """{route: {field name: known values}} from the forms on the given pages, signed out and as a user with
    every role, and from the form classes in FORM_CLASSES."""
    found = defaultdict(lambda: defaultdict(set))
    for cookie in (None, site.cookies["everyone"]):
        client = site.app.test_client()
        if cookie:
            client.set_cookie("session", cookie)
        client.post("/refer/start")  # the journey's pages need a draft
        for url in urls:
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                response.close()
                continue
            for method, action, fields in forms_on(response.get_data(as_text=True)):
                key = route_key(site.app, method, action or url)
                for name, values in (fields.items() if key else ()):
                    found[key][name] |= values
    with site.app.test_request_context():
        for route, form_classes in FORM_CLASSES.items():
            for form_class in form_classes:
                for name, values in fields_of(form_class()):
                    found[route][name] |= values
    for answers in VALID.values():
        for name, value in answers.items():
            found["POST /refer/<name>"][name] |= set(value) if isinstance(value, list) else {value}
    return found


def fields_of(fields):
    """Each field's name and the values its choices offer, through lists of fields and forms within forms."""
    for field in fields:
        if isinstance(field, (FieldList, FormField)):
            yield from fields_of(field)
        else:
            yield field.name, {str(value) for value in _choice_values(getattr(field, "choices", None))}


def _choice_values(choices):
    if isinstance(choices, dict):  # grouped choices
        return [value for group in choices.values() for value in _choice_values(group)]
    return [choice[0] if isinstance(choice, (tuple, list)) else getattr(choice, "value", choice)
            for choice in choices or ()]


def route_fields(site, route):
    known = site.fuzz_fields.get(route, {})
    names = {name: known.get(name, set()) for name in EVERY_ROUTE + QUERY_ARGS.get(route, [])}
    names.update(known)
    return names


# --- the site ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_site(request):
    site = request.getfixturevalue("permissions_site")
    site.app.before_request_funcs[None].insert(0, _fresh_request_state)  # before a 400 for a NUL byte too
    everyone = site.build.user(*ROLE_LABELS, organisations=_db.session.execute(
        select(Organisation).where(Organisation.slug == site.values["organisation slug"])).scalars().all())
    site.cookies["everyone"] = site.sign_in(everyone)
    # Everyone is part way through a referral (at the check page), so the journey's pages get past "start first".
    site.cookies.update({actor: with_a_draft(site, site.cookies.get(actor)) for actor in [*ACTORS, "everyone"]})
    urls = [url for route in ROUTES if route.startswith("GET ") for url in urls_for_discovery(site, route)]
    site.fuzz_fields = discover_fields(site, urls)
    yield site
    print(f"\nfuzz: {_REQUESTS['count']} requests")


def with_a_draft(site, cookie):
    client = site.app.test_client()
    if cookie:
        client.set_cookie("session", cookie)
    client.post("/refer/start")
    for step, answers in VALID.items():
        assert client.post(f"/refer/{step}", data=answers).status_code == 302, step
    return client.get_cookie("session").value


def _fresh_request_state():
    g.pop("_login_user", None)
    g.pop("_flask_babel", None)


def urls_for_discovery(site, route):
    path = route.split(" ", 1)[1]
    names = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", path)
    choice = next((name for name in names if name in PATH_CHOICES), None)
    if choice is None:
        return [site.url(route)]
    return [re.sub(rf"<(?:[^:<>]+:)?{choice}>", value, site.url(route)) for value in PATH_CHOICES[choice]]


# --- the fuzz -------------------------------------------------------------------------------------------------------

@st.composite
def requests_for(draw, site, route):
    method, path = route.split(" ", 1)
    url = re.sub(r"<(?:([^:<>]+):)?([^<>]+)>", lambda m: draw(path_value(site, path, m.group(1), m.group(2))), path)
    fields = route_fields(site, route)
    every = draw(st.booleans())  # every field at once (one bad value anywhere), or a few
    chosen = sorted(fields) if every else draw(st.lists(st.sampled_from(sorted(fields)), unique=True, max_size=6))
    values = MultiDict()
    for name in chosen:
        for value in draw(st.lists(field_value(fields[name]), min_size=1, max_size=2)):
            values.add(name, value)
    allowed, refused = actors_of(site, route)
    actors = allowed + ([draw(st.sampled_from(refused))] if refused else [])
    return method, url, values, actors


def actors_of(site, route):
    """Who may use the route (and anonymous), and who is refused: each example goes to everyone allowed and one
    refused actor in turn, which is where the input is read; refusals are tested by tests/test_permissions.py."""
    outcomes = expected_outcomes(site, route)
    allowed = [actor for actor in ACTORS if outcomes[actor] == OK or actor == "anonymous"]
    return allowed, [actor for actor in ACTORS if actor not in allowed]


def path_value(site, path, converter, name):
    real = str(site.value_for(path, name)) if name not in PATH_CHOICES else None
    real_values = st.sampled_from(PATH_CHOICES[name]) if real is None else st.just(real)
    if converter == "int":
        made_up = st.integers(0, 10**30).map(str)
    elif converter == "path":
        made_up = st.sampled_from(["dist/app.css", "../app/__init__.py", "%00", "x" * 300])
    else:
        made_up = ANY_VALUE.filter(bool).map(lambda value: quote(value, safe=""))
    return st.one_of(real_values, real_values, made_up)


def field_value(known):
    offered = sorted(value for value in known if value is not FILE)
    strategies = [ANY_VALUE] + ([st.sampled_from(offered)] * 2 if offered else [])
    if FILE in known:
        strategies.append(st.binary(max_size=300).map(Upload))
    return st.one_of(strategies)


def send(site, actor, method, url, values):
    client = site.app.test_client()
    if site.cookies.get(actor):
        client.set_cookie("session", site.cookies[actor])
    in_query = [(k, v) for k, v in values.items(multi=True) if method == "GET" or k.startswith("_")]
    in_form = [(k, v.as_file() if isinstance(v, Upload) else v) for k, v in values.items(multi=True)
               if (k, v) not in in_query]
    query = MultiDict((k, v) for k, v in in_query if not isinstance(v, Upload))
    form = MultiDict(in_form) if method != "GET" else None
    _REQUESTS["count"] += 1
    try:
        response = client.open(url, method=method, query_string=query, data=form)
    except Exception:
        # Tests keep one session across requests: a failed one would fail every request after it.
        _db.session.rollback()
        raise
    try:
        return response.status_code
    finally:
        response.close()


@pytest.mark.parametrize("route", ROUTES)
def test_no_input_gives_a_server_error(fuzz_site, route):
    @seed(zlib.crc32(route.encode()))  # each route its own examples, the same every run
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(request=requests_for(fuzz_site, route))
    def fuzz(request):
        method, url, values, actors = request
        random.seed()  # Hypothesis seeds `random` the same each example; Whoosh names its segments with it
        errors = {actor: status for actor in actors if (status := send(fuzz_site, actor, method, url, values)) >= 500}
        assert errors == {}, f"{method} {url} {values!r}"

    fuzz()


@pytest.mark.parametrize("route", ROUTES)
def test_each_hostile_value_in_every_field(fuzz_site, route):
    """Random search seldom lands on one particular value, so the likeliest culprits are each tried everywhere."""
    method, path = route.split(" ", 1)
    url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: first_value(fuzz_site, path, m.group(1)), path)
    actor = actors_of(fuzz_site, route)[0][-1]  # the one with the most access among those allowed
    fields = sorted(route_fields(fuzz_site, route))
    errors = {}
    for value in SWEEP:
        status = send(fuzz_site, actor, method, url, MultiDict([(name, value) for name in fields]))
        if status >= 500:
            errors[value] = status
    assert errors == {}, f"{route} as {actor}"


def first_value(site, path, name):
    return PATH_CHOICES[name][0] if name in PATH_CHOICES else str(site.value_for(path, name))


def test_the_fuzz_finds_the_forms(fuzz_site):
    """The fields come from the pages: if this finds none, the fuzz is sending nothing worth testing."""
    fields = fuzz_site.fuzz_fields
    assert {"q", "age", "near", "category"} <= set(fields["GET /search"])
    assert {"email", "password"} <= set(fields["POST /sign-in"])
    assert "organisation" in fields["POST /spa/referrals/<reference>/share"]
    assert "full_name" in fields["POST /refer/<name>"]
    assert len(fields) > 40
    assert sorted((set(QUERY_ARGS) | set(FORM_CLASSES)) - set(ROUTES)) == [], "no longer routes: update the tables"
