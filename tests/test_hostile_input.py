"""Hostile input gets a page, never a server error: each case here once gave a 5xx (tests/test_fuzz.py looks on)."""
import pytest

from app.core import requests as core_requests

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
