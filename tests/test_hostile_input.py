"""Hostile input gets a page, never a 5xx: each case here once gave one (tests/test_fuzz.py hunts for more)."""
import pytest

from app.core import requests as core_requests
from app.core.security import safe_next

HUGE = "9" * 30  # past SQLite's 64-bit integers and PostgreSQL's 32-bit ids


# --- query arguments passed on to url_for -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["_anchor", "_method", "_scheme", "_external"])
def test_url_fors_own_arguments_are_not_taken_from_the_query_string(client, build, name):
    from app.directory import search
    search.rebuild_index([build.service(name=f"Tea group {n}") for n in range(25)])  # two pages: a "previous" link
    response = client.get(f"/search?q=tea&page=2&{name}=x")
    assert response.status_code == 200
    assert 'rel="prev" href="/search?q=tea&amp;page=1"' in response.get_data(as_text=True)


def test_url_args_drops_underscore_names():
    from werkzeug.datastructures import MultiDict
    args = MultiDict([("q", "tea"), ("_anchor", "x"), ("access", "a"), ("access", "b"), ("_method", "x")])
    assert core_requests.url_args(args) == {"q": ["tea"], "access": ["a", "b"]}


# --- whole numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [("12", 12), (" 7 ", 7), ("²", None), ("¹²", None), ("-1", None),
                                           ("121", None), (HUGE, None), ("1e3", None), ("", None), (None, None),
                                           ("１２", 12), ("٤٥", 45), ("+1", None), ("0x1", None), ("1_0", None)])
def test_whole_number(raw, expected):
    assert core_requests.whole_number(raw, 0, 120) == expected


@pytest.mark.parametrize("url", ["/search?age=%C2%B2", "/search?age=" + HUGE, "/whats-on/?week=%C2%B2",
                                 "/whats-on/?week=" + HUGE, "/search?page=%C2%B2", "/categories/talk-befriending?page="
                                 + HUGE, "/search?q=tea&page=" + HUGE])
def test_odd_numbers_in_the_query_string(client, url):
    assert client.get(url).status_code == 200


def test_a_superscript_age_on_the_search_page_is_an_error_message(client, html_page):
    page = html_page(client.get("/search?age=%C2%B2"))
    assert page.error_messages == ["Error: Enter an age as a whole number, like 45"]


def test_a_superscript_age_in_the_referral_form(client, html_page):
    client.post("/refer/start")
    response = client.post("/refer/about", data={"age": "²", "full_name": "Sam Smith"})
    assert response.status_code == 400
    assert "Enter an age between 16 and 120" in " ".join(html_page(response).error_messages)


@pytest.mark.parametrize("odd", ["²", HUGE])
def test_odd_location_ids_in_the_portal(client, build, login, odd):
    organisation = build.organisation()
    service = build.service(organisation)
    login(build.user("provider", organisations=[organisation]))
    response = client.post(f"/provider/services/{service.slug}/edit/where",
                           data={"formats": "in_person", "locations": [odd]})
    assert response.status_code < 500
    response = client.post(f"/provider/organisations/{organisation.slug}/edit",
                           data={"name": organisation.name, "locations-0-location_id": odd,
                                 "locations-0-name": "Hall", "locations-0-address_1": "1 Road",
                                 "locations-0-postcode": "NW5 2AB"})
    assert response.status_code < 500


# --- redirects -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/a\r\nSet-Cookie: x=1", "/a\nb", "/a\x00b", "/a\tb", "/a\x7fb"])
def test_safe_next_refuses_control_characters(target):
    assert safe_next(target, "/fallback") == "/fallback"


def test_crlf_in_next_is_not_a_header(client, build):
    response = client.post("/my-list/remove", data={"slug": "x", "next": "/a\r\nSet-Cookie: x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/my-list"


# --- ids in the URL and in forms ------------------------------------------------------------------------------------

def test_a_huge_id_in_the_url_is_not_found(client, build, login):
    login(build.user("manager"))
    assert client.get(f"/manage/changes/{HUGE}").status_code == 404
    assert client.get(f"/manage/changes/{2**31}").status_code == 404
    assert client.post(f"/manage/problems/{HUGE}/resolve").status_code == 404


def test_a_huge_organisation_id_in_the_share_form(client, build, login):
    referral = build.referral()
    login(build.user("spa"))
    response = client.post(f"/spa/referrals/{referral.reference}/share", data={"organisation": HUGE})
    assert response.status_code == 400
    assert "Choose the partner organisation" in response.get_data(as_text=True)


# --- the journey token ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["é", "\u202e", "\U0001f600" * 20], ids=["accent", "bidi", "emoji"])
def test_a_non_ascii_journey_token(client, token):
    client.post("/refer/start")
    response = client.post("/refer/send", data={"journey": token})
    assert response.status_code in (302, 400)


# --- NUL bytes (PostgreSQL refuses them in text) ---------------------------------------------------------------------

@pytest.mark.parametrize("method, url, data", [
    ("GET", "/services/a%00b", None), ("GET", "/categories/a%00b", None), ("GET", "/my-list?items=a%00b", None),
    ("GET", "/search?q=%00", None), ("GET", "/search?a%00=1", None), ("POST", "/sign-in", {"email": "a\x00@b.example"}),
    ("POST", "/my-list/add", {"slug": "\x00"}),
])
def test_nul_bytes_are_refused(client, html_page, method, url, data):
    response = client.open(url, method=method, data=data)
    assert response.status_code == 400
    assert html_page(response).heading == "Sorry, there is a problem with that request"
