"""Who may use each page: every route in the URL map, requested as every kind of user.

The routes come from the URL map, so a new route is tested as soon as it exists, and fails until it has a decision:
`role_required(...)` on the view (which sets `view.required_roles`), or a place in PUBLIC or SIGNED_IN below.
Routes are named by method and rule ("GET /manage/"), never by endpoint.

Each route is requested with real objects in its URL (organisation A's listing, a referral, a pending change...)
as each user in ACTORS, and the answers are compared with what the decision says:
- signed out on a protected route: sent to sign in;
- signed in without one of the roles: 403;
- a provider of organisation B on organisation A's listings: 404 (the portal says "not there", not "not yours");
- nowhere a server error.
POSTs are sent with CSRF protection off, to reach the permission check, and again with it on and no token.

One site is built for the whole module (its own app, sharing the test database, with a copy of the
catalogues because translators' POSTs write them). Tests here must not use the `app`, `db`, `client` or `build`
fixtures: their teardown empties the tables this module's site lives in.
"""
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import g
from sqlalchemy import select

from app import create_app
from app.directory import freshness, listings, search
from app.directory.models import Invitation, Service
from app.directory.oruk import taxonomies
from app.directory.search import synonyms
from app.extensions import db as _db
from app.i18n import catalogues
from app.selfreferral import partners
from tests.builders import Builders
from tests.conftest import HtmlPage, _empty_tables, _test_config

ROOT = Path(__file__).resolve().parent.parent

# Anyone may use these, signed in or not. A signed link (invitation, password reset, listing check) is its own
# permission: the token is checked by the view.
PUBLIC = {
    "GET /", "GET /healthz", "GET /static/<path:filename>",
    "GET /categories/", "GET /categories/<code>", "GET /search", "GET /whats-on/",
    "GET /services/<slug>", "GET /services/<slug>/report", "POST /services/<slug>/report",
    "GET /services/<slug>/report/sent",
    "GET /my-list", "GET /my-list/print", "POST /my-list/add", "POST /my-list/remove", "POST /my-list/save",
    "GET /refer/", "POST /refer/start", "GET /refer/<name>", "POST /refer/<name>", "GET /refer/urgent",
    "GET /refer/outside-area", "GET /refer/check", "POST /refer/send", "GET /refer/sent",
    "GET /refer/save", "POST /refer/save", "GET /refer/saved", "GET /refer/resume/<token>",
    "POST /refer/resume/<token>",
    "GET /sign-in", "POST /sign-in", "GET /join", "POST /join",
    "GET /reset-password", "POST /reset-password", "GET /reset-password/<token>", "POST /reset-password/<token>",
    "GET /invitations/<token>", "POST /invitations/<token>",
    "GET /listing-check/<token>", "POST /listing-check/<token>",
    "GET /privacy", "GET /accessibility", "GET /contact",
    # The Open Referral UK API and its guide: open data, no key.
    "GET /api/", "GET /api/v1/", "GET /api/v1/<path:rest>", "GET /api/v1/openapi.json",
    "GET /api/v1/services", "GET /api/v1/services/<service_id>", "GET /api/v1/service_at_locations",
    "GET /api/v1/service_at_locations/<link_id>", "GET /api/v1/taxonomies", "GET /api/v1/taxonomies/<taxonomy_id>",
    "GET /api/v1/taxonomy_terms", "GET /api/v1/taxonomy_terms/<term_id>",
}

# Any signed-in user, whatever their roles (the view uses flask_login's login_required).
SIGNED_IN = {"GET /account", "GET /account/password", "POST /account/password", "POST /sign-out"}

# Everyone the matrix signs in as: their roles, and the organisation they look after (or are a partner of).
ACTORS = {
    "anonymous": ((), None),
    "provider A": (("provider",), "A"),
    "provider B": (("provider",), "B"),
    "manager": (("manager",), None),
    "spa": (("spa",), None),
    "partner": (("partner",), "partner"),
    "translator": (("translator",), None),
    "admin": (("admin",), None),
}

LANGUAGE = "es"
CATEGORY = "talk-befriending"
# Values for URL parameters that are not objects in the database.
FIXED_VALUES = {"name": "safety", "section": "basics", "language": LANGUAGE, "decision": "decline",
                "filename": "dist/manifest.json", "page_slug": "privacy"}
# Form fields a POST needs before it gets as far as anything worth testing; every other POST is sent empty.
FORM_FIELDS = {"POST /my-list/add": {"slug": "listing slug"}}

OK, SIGN_IN, FORBIDDEN, NOT_FOUND, NO_CSRF = "ok", "sent to sign in", "403 forbidden", "404 not found", \
    "refused: no CSRF token"


def routes_of(app):
    """Every route as "METHOD /rule", sorted by rule."""
    found = {(rule.rule, method) for rule in app.url_map.iter_rules() for method in rule.methods - {"HEAD", "OPTIONS"}}
    return [f"{method} {path}" for path, method in sorted(found)]


def _url_map_routes():
    # Collection happens before any fixture: a throwaway app (no database is touched) gives the URL map.
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                          "INSTANCE_PATH": tmp, "SEARCH_INDEX_DIR": str(Path(tmp) / "index")})
        return routes_of(app)


ROUTES = _url_map_routes()


# --- the decisions ---------------------------------------------------------------------------------------------

def test_every_route_has_a_decision(site):
    routes = routes_of(site.app)
    undecided = [r for r in routes if r not in PUBLIC | SIGNED_IN and not site.required_roles(r)]
    assert undecided == [], "give each of these role_required(...) on its view, or a place in PUBLIC or SIGNED_IN"
    contradictory = [r for r in PUBLIC | SIGNED_IN if r in routes and site.required_roles(r)]
    assert contradictory == [], "these are listed as open but their views require roles"
    assert sorted((PUBLIC | SIGNED_IN) - set(routes)) == [], "these are listed but no longer exist"


def test_personal_data_stays_with_the_single_point_of_access(site):
    """Referrals are health data: only SPA staff, and partners for what is shared with them, may see them."""
    for route in routes_of(site.app):
        if route.split(" ", 1)[1].startswith("/spa/"):
            assert set(site.required_roles(route)) <= {"spa", "partner"}, route
        if route.split(" ", 1)[1].startswith("/admin/"):
            assert site.required_roles(route) == ("admin",), route


@pytest.mark.parametrize("route", ROUTES)
def test_who_may_use_each_route(site, route):
    assert differences(site.outcomes(route), expected_outcomes(site, route)) == {}


@pytest.mark.parametrize("route", [r for r in ROUTES if r.startswith("POST ")])
def test_a_post_without_its_csrf_token_is_refused(site, route):
    with site.csrf_protection():
        assert differences(site.outcomes(route), dict.fromkeys(ACTORS, NO_CSRF)) == {}


def differences(outcomes, expected):
    return {actor: f"{got}, expected {expected[actor]}" for actor, got in outcomes.items() if got != expected[actor]}


def expected_outcomes(site, route):
    if route in PUBLIC:
        return dict.fromkeys(ACTORS, OK)
    needed = None if route in SIGNED_IN else set(site.required_roles(route) or ())
    if needed == set():
        pytest.fail(f"{route} has no decision: see test_every_route_has_a_decision")
    return {actor: expected_for(actor, set(roles), needed, route) for actor, (roles, _org) in ACTORS.items()}


def expected_for(actor, roles, needed, route):
    """What `actor` should get from a protected route; `needed` is None when signing in is enough."""
    if actor == "anonymous":
        return SIGN_IN
    if needed is not None and not needed & roles:
        return FORBIDDEN
    if actor == "provider B" and about_organisation_a(route):
        return NOT_FOUND
    return OK


def about_organisation_a(route):
    """The portal's pages for one listing or organisation: the URL names organisation A's."""
    path = route.split(" ", 1)[1]
    return path.startswith(("/provider/services/<slug>", "/provider/organisations/<slug>"))


# --- a few cases the matrix cannot show --------------------------------------------------------------------------

def test_a_partner_cannot_open_a_referral_not_shared_with_them(site, html_page):
    other = site.build.referral()
    response = site.request("partner", "GET", f"/spa/referrals/{other.reference}")
    assert response.status_code == 404
    assert html_page(response).heading == "Page not found"
    assert "Amina" not in response.get_data(as_text=True)


def test_only_spa_staff_or_an_admin_give_partner_access(site):
    """Reading shared referrals is not a directory manager's to give (they approve /join for listings only)."""
    for route in ("GET /spa/partners", "POST /spa/partners", "POST /spa/partners/remove"):
        assert site.required_roles(route) == ("spa",), route
    for route in ("GET /admin/partners", "POST /admin/partners", "POST /admin/partners/remove"):
        assert site.required_roles(route) == ("admin",), route
    organisation_id = str(site.build.organisation().id)
    partner_id = str(site.build.user("partner").id)
    response = site.request("manager", "POST", "/spa/partners", data={"user": partner_id,
                                                                      "organisation": organisation_id})
    assert outcome(response) == FORBIDDEN


def test_only_the_partner_it_was_shared_with_records_an_outcome(site):
    """SPA staff read the partner's answer; they cannot give it. A partner of another organisation finds nothing."""
    assert site.required_roles("POST /spa/referrals/<reference>/outcome") == ("partner",)
    unshared = site.build.referral()
    response = site.request("partner", "POST", f"/spa/referrals/{unshared.reference}/outcome",
                            data={"outcome": "accepted"})
    assert outcome(response) == NOT_FOUND
    response = site.request("spa", "POST", f"/spa/referrals/{site.values['reference']}/outcome",
                            data={"outcome": "accepted"})
    assert outcome(response) == FORBIDDEN


def test_the_inbox_search_is_spa_staff_only(site):
    for actor in ("partner", "manager", "provider A", "admin"):
        assert outcome(site.request(actor, "GET", "/spa/?q=Amina")) == FORBIDDEN, actor
    assert outcome(site.request("anonymous", "GET", "/spa/?q=Amina")) == SIGN_IN
    assert site.request("spa", "GET", "/spa/?q=Amina").status_code == 200


def test_only_directory_managers_and_admins_edit_the_site_pages(site):
    for route in ("GET /manage/pages/", "GET /manage/pages/<page_slug>/<language>",
                  "POST /manage/pages/<page_slug>/<language>"):
        assert site.required_roles(route) == ("manager", "admin"), route
    response = site.request("translator", "POST", "/manage/pages/privacy/ar", data={"title": "x", "body": "y"})
    assert outcome(response) == FORBIDDEN


def test_the_refusal_page_says_what_to_do(site, html_page):
    page = html_page(site.request("translator", "GET", "/manage/"))
    assert page.status_code == 403
    assert page.heading == "You do not have permission to see this page"
    assert page.select_one("main a[href='/']") is not None


def test_signing_in_is_asked_for_with_the_way_back(site):
    response = site.request("anonymous", "GET", "/manage/changes?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in?next=/manage/changes?x%3D1"


def test_a_deactivated_account_is_treated_as_signed_out(site):
    admin = site.build.user("admin")
    cookie = site.sign_in(admin)
    admin.active = False
    _db.session.commit()
    response = site.request_with(cookie, "GET", "/admin/")
    assert outcome(response) == SIGN_IN


STAFF = [actor for actor in ACTORS if actor != "anonymous"]
ADMIN_ONLY = {"anonymous": SIGN_IN, **{a: FORBIDDEN for a in STAFF}, "admin": OK}
DIRECTORY_TEAM = {**ADMIN_ONLY, "manager": OK}


@pytest.mark.parametrize("route, expected", [
    ("GET /admin/users/<user_id>/deactivate", ADMIN_ONLY),
    ("POST /admin/users/<user_id>/active", ADMIN_ONLY),
    ("GET /admin/users/<user_id>/organisations/<organisation_id>/remove", ADMIN_ONLY),
    ("POST /admin/users/<user_id>/organisations/remove", ADMIN_ONLY),
    ("GET /manage/invitations", DIRECTORY_TEAM),
    ("POST /manage/invitations/<invitation_id>/resend", DIRECTORY_TEAM),
])
def test_who_manages_people_and_invitations(site, route, expected):
    """The matrix above derives these from the views; here they are written down, so a change of roles shows."""
    assert differences(site.outcomes(route), expected) == {}


# --- the site: one app, one set of objects, a signed-in session per actor ----------------------------------------

@dataclass
class Site:
    app: object
    build: Builders
    cookies: dict = field(default_factory=dict)  # actor -> session cookie
    users: dict = field(default_factory=dict)  # actor -> user
    values: dict = field(default_factory=dict)  # URL parameter -> value

    def required_roles(self, route):
        method, path = route.split(" ", 1)
        rule = next(r for r in self.app.url_map.iter_rules() if r.rule == path and method in r.methods)
        return getattr(self.app.view_functions[rule.endpoint], "required_roles", None)

    def url(self, route):
        path = route.split(" ", 1)[1]
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(self.value_for(path, m.group(1))), path)

    def value_for(self, path, name):
        if name == "slug" and path.endswith("/delete"):
            return self.values["draft slug"]  # only a draft can be deleted
        if name == "slug":
            return self.values["organisation slug" if "/organisations/" in path else "listing slug"]
        if name == "key" and "/synonyms/" in path:
            return self.values["synonym key"]
        if name == "code":
            return LANGUAGE if path.startswith("/translate/") else CATEGORY
        if name == "token":
            return self.values[f"{path.split('/')[1]} token"]
        if name not in self.values:
            pytest.fail(f"no test value for <{name}> in {path}: add one to the site fixture")
        return self.values[name]

    def request_with(self, cookie, method, url, data=None):
        client = self.app.test_client()  # a fresh client, so signing out or a flash message stays in its request
        if cookie:
            client.set_cookie("session", cookie)
        return client.open(url, method=method, data=data)

    def request(self, actor, method, url, data=None):
        return self.request_with(self.cookies.get(actor), method, url, data)

    def outcomes(self, route):
        method = route.split(" ", 1)[0]
        url = self.url(route)
        data = {name: self.values[value] for name, value in FORM_FIELDS.get(route, {}).items()}
        found = {actor: self._outcome_of(actor, method, url, data) for actor in ACTORS}
        # Signing out ends the session on the server (unless refused for want of a CSRF token): sign everyone in
        # again for the routes that follow.
        if route == "POST /sign-out" and not self.app.config["WTF_CSRF_ENABLED"]:
            self.cookies.update({actor: self.sign_in(user) for actor, user in self.users.items()})
        return found

    def _outcome_of(self, actor, method, url, data):
        response = self.request(actor, method, url, data)
        try:
            return outcome(response)
        finally:
            response.close()  # a static file is streamed from an open file

    def sign_in(self, user):
        client = self.app.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": Builders.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client.get_cookie("session").value

    @contextmanager
    def csrf_protection(self):
        self.app.config["WTF_CSRF_ENABLED"] = True
        try:
            yield
        finally:
            self.app.config["WTF_CSRF_ENABLED"] = False


def outcome(response):
    status = response.status_code
    if status >= 500:
        return f"{status} server error"
    if status in (301, 302, 303) and urlsplit(response.headers.get("Location", "")).path == "/sign-in":
        return SIGN_IN
    if status == 401 and HtmlPage(response).heading == "Sign in":  # a form sent while signed out, given back
        return SIGN_IN
    if status == 403:
        # The refusal says why and what to do; a bare 403 from elsewhere would not.
        heading = HtmlPage(response).heading
        return FORBIDDEN if heading == "You do not have permission to see this page" else f"403 page: {heading}"
    if status == 404:
        return NOT_FOUND
    if status == 400 and HtmlPage(response).heading == "Your form could not be sent":
        return NO_CSRF
    return OK


def _school_holiday():
    from datetime import date

    from app.directory.models import SchoolHoliday
    holiday = SchoolHoliday(name="Spring half term", starts_on=date(2027, 2, 15), ends_on=date(2027, 2, 19))
    _db.session.add(holiday)
    _db.session.flush()
    return holiday


@pytest.fixture(scope="module")
def site(_session_app, tmp_path_factory):
    root = tmp_path_factory.mktemp("permissions")
    shutil.copytree(ROOT / "translations", root / "translations", ignore=shutil.ignore_patterns("*.lock", "*.bak-*"))
    config = _test_config(root)
    config.update(BABEL_TRANSLATION_DIRECTORIES=str(root / "translations"),
                  SQLALCHEMY_DATABASE_URI=_session_app.config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(config)

    @app.before_request
    def _fresh_request_state():
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    with app.app_context():
        listings.seed_reference_data()
        search.rebuild_index([])
        try:
            site = Site(app, Builders(_db))
            _furnish(site)
            yield site
        finally:
            _db.session.rollback()
            _db.session.remove()
            _empty_tables()
            _db.engine.dispose()


def _furnish(site):
    """The objects the URLs name, and a signed-in session for every actor."""
    build = site.build
    organisations = {"A": build.organisation(name="Organisation A"), "B": build.organisation(name="Organisation B"),
                     "partner": build.organisation(name="Partner Organisation")}
    listing = build.service(organisations["A"], name="Organisation A's listing")
    build.service(organisations["B"], name="Organisation B's listing")
    users = {actor: build.user(*roles, organisations=[organisations[org]] if org else ())
             for actor, (roles, org) in ACTORS.items() if actor != "anonymous"}
    referral = build.referral(shared_with=[organisations["partner"]])
    # Reading what is shared is its own grant, given by SPA staff (organisations= gives only the listings).
    partners.grant(users["partner"], organisations["partner"], users["spa"])
    _db.session.commit()
    with site.app.test_request_context():
        message_key = catalogues.entries(LANGUAGE, "all")[0][0]["key"]
    site.values.update(FIXED_VALUES)
    site.values.update({
        "organisation slug": organisations["A"].slug,
        "listing slug": listing.slug,
        "draft slug": build.service(organisation=organisations["A"], status="draft", last_verified_at=None).slug,
        "revision_id": build.pending_change(listing, users["provider A"], description="Now on Fridays too.").id,
        "change_id": build.pending_translation(listing, users["provider A"], LANGUAGE).id,
        "report_id": build.problem_report(listing).id,
        "holiday_id": _school_holiday().id,
        "request_id": build.join_request(organisations["A"]).id,
        "reference": referral.reference,
        "update_id": build.waiting_update(referral).id,
        "key": message_key,
        "service_id": listing.uuid,
        "link_id": listing.service_locations[0].uuid,
        "taxonomy_id": taxonomies.term("categories", "food").taxonomy.id,
        "term_id": taxonomies.term("categories", "food").id,
        "rest": "services",  # the API's catch-all answers a path it does not know; a known one is served
        "synonym key": synonyms.shipped_groups(LANGUAGE)[0].key,
        # The admin's user page: someone other than the actors, who looks after organisation A.
        "user_id": build.user("spa", organisations=[organisations["A"]]).id,
        "organisation_id": organisations["A"].id,
        "invitations token": build.invitation_token(users["manager"], [organisations["A"]]),
        "reset-password token": build.password_reset_token(build.user("provider")),
        "listing-check token": freshness.make_token(listing, users["provider A"]),
        "refer token": build.saved_draft_token(),
    })
    # Sent just now, so sending it again in the matrix is refused as too soon and changes nothing.
    site.values["invitation_id"] = _db.session.execute(select(Invitation.id).order_by(Invitation.id.desc())).scalar()
    search.rebuild_index(_db.session.execute(select(Service).where(Service.status == "published")).scalars().all())
    site.users.update(users)
    site.cookies.update({actor: site.sign_in(user) for actor, user in users.items()})
