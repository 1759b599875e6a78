import re

import pytest

from tests.directory.test_search import find


@pytest.fixture
def directory(build):
    org = build.organisation()
    south = build.location(org, postcode="WC1H 9AB")
    north = build.location(org, postcode="NW3 2QQ")
    build.service(organisation=org, name="Free Bengali advice", categories=("money-debt",), cost_type="free",
                  languages=["en", "bn"], location=south, formats=["in_person", "phone"],
                  weekly=[(0, "10:00", "12:00")])
    build.service(organisation=org, name="Paid yoga", categories=("active-yoga",), cost_type="paid", location=north,
                  accessibility=["step_free", "hearing_loop"], min_age=18, max_age=65, weekly=[(5, "09:00", "10:00")])
    build.service(organisation=org, name="Online peer group", categories=("talk-peer-support",), location=False,
                  formats=["online"], capacity_status="full", min_age=16, max_age=25)
    build.service(organisation=org, name="Drop-in befriending", categories=("talk-befriending",), location=north,
                  accessibility=["step_free"], capacity_status="taking", weekly=[(5, "14:00", "16:00")])


@pytest.mark.parametrize("args, expected", [
    ({"category": "talk"}, ["Drop-in befriending", "Online peer group"]),
    ({"category": "talk-befriending"}, ["Drop-in befriending"]),
    ({"neighbourhood": "south"}, ["Free Bengali advice"]),
    ({"neighbourhood": "north-west"}, ["Drop-in befriending", "Paid yoga"]),
    ({"day": "5"}, ["Drop-in befriending", "Paid yoga"]),
    ({"cost": "free"}, ["Drop-in befriending", "Free Bengali advice", "Online peer group"]),
    ({"format": "online"}, ["Online peer group"]),
    ({"language": "bn"}, ["Free Bengali advice"]),
    ({"access": "step_free"}, ["Drop-in befriending", "Paid yoga"]),
    ({"age": "17"}, ["Drop-in befriending", "Free Bengali advice", "Online peer group"]),
    ({"age": "70"}, ["Drop-in befriending", "Free Bengali advice"]),
    ({"taking": "yes", "category": "talk"}, ["Drop-in befriending"]),
])
def test_each_filter_narrows_the_results(app, directory, args, expected):
    names, _ = find("", **args)
    assert sorted(names) == expected


def test_multiple_accessibility_features_must_all_be_present(app, directory):
    from werkzeug.datastructures import MultiDict

    from app.directory.search import SearchRequest, search_services
    req = SearchRequest.from_args(MultiDict([("access", "step_free"), ("access", "hearing_loop")]))
    assert [s.name for s, _ in search_services(req).items] == ["Paid yoga"]


def test_filters_combine_with_words(app, directory):
    names, _ = find("befriending", neighbourhood="north-west", cost="free")
    assert names == ["Drop-in befriending"]


def test_counts_are_shown_beside_each_option(app, client, directory):
    body = client.get("/search?category=talk").get_data(as_text=True)
    assert "2 results" in body
    assert re.search(r"Befriending \(1\)", body)
    assert re.search(r">Free \(2\)<", body)
    assert "Online (1)" in body


def test_unknown_filter_values_are_ignored_not_errors(app, client, directory):
    for qs in ("category=nope", "neighbourhood=../../", "day=9", "format=<b>", "language=xx", "access=wings",
               "sort=sideways", "page=-1", "open=later", "taking=maybe"):
        assert client.get(f"/search?{qs}").status_code == 200


def test_a_bad_age_gets_a_clear_error_not_a_crash(app, client, directory):
    response = client.get("/search?age=old")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter an age as a whole number" in body and "govuk-error-summary" in body


def test_the_url_is_the_state_and_pages_are_stable(app, client, build):
    org = build.organisation()
    for n in range(45):
        build.service(organisation=org, name=f"Walking group {n:02d}", categories=("active-walking",), location=False)
    first = client.get("/search?q=walking&page=1").get_data(as_text=True)
    second = client.get("/search?q=walking&page=2").get_data(as_text=True)
    third = client.get("/search?q=walking&page=3").get_data(as_text=True)
    pattern = r'hg-card__title">\s*<a class="govuk-link" href="[^"]*">([^<]*)<'
    seen = re.findall(pattern, first) + re.findall(pattern, second) + re.findall(pattern, third)
    assert len(seen) == 45 and len(set(seen)) == 45
    assert 'href="/search?q=walking&amp;page=2"' in first
    # The same page again (the CSRF token of its My list buttons is signed with the time, so it may differ).
    def without_tokens(html):
        return re.sub(r'name="csrf_token" value="[^"]*"', "", html)
    assert without_tokens(client.get("/search?q=walking&page=2").get_data(as_text=True)) == without_tokens(second)


def test_empty_results_suggest_a_spelling_and_offer_categories(app, client, build):
    build.service(name="Counselling for carers", categories=("talk-counselling",))
    body = client.get("/search?q=counsellinqxz").get_data(as_text=True)
    assert "No listings matched your search" in body
    assert "Did you mean:" in body and ">counselling<" in body
    assert "/categories/talk" in body and "116 123" in body


def test_typos_are_corrected_from_the_index_and_said_so(app, client, build):
    build.service(name="Volunteering taster", categories=("learning-volunteering",))
    body = client.get("/search?q=volunteerng").get_data(as_text=True)
    assert "Volunteering taster" in body
    assert "Showing results for <bdi><strong>volunteering</strong></bdi>. Search instead for" in body


def test_matched_words_are_highlighted_safely(app, client, build):
    build.service(name="Group", description="Gentle <b>gardening</b> for everyone.")
    body = client.get("/search?q=gardening").get_data(as_text=True)
    assert "<mark>gardening</mark>" in body
    assert "<b>gardening" not in body


def test_a_query_of_only_little_words_finds_nothing_rather_than_everything(app, build):
    build.service(name="Anything")
    names, results = find("and the of")
    assert names == [] and results.total == 0
