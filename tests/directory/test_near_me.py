import pytest
from werkzeug.datastructures import MultiDict

from app.directory import postcodes
from app.directory.search import SearchRequest, search_services


def test_every_london_district_we_need_is_in_the_lookup():
    centres = postcodes.outward_centres()
    assert len(centres) >= 280
    for outward in ("NW1", "NW3", "NW5", "NW6", "N19", "WC1H", "WC1X", "E1", "SE1", "SW1A", "W1A", "CR0", "UB8"):
        assert outward in centres
    for lat, lon, _area in centres.values():
        assert 51.28 <= lat <= 51.70 and -0.52 <= lon <= 0.34


def test_distances_are_in_miles():
    # Kentish Town (NW5) to Archway (N19) is a little under a mile.
    a, b = postcodes.outward_centres()["NW5"], postcodes.outward_centres()["N19"]
    assert 0.5 < postcodes.miles_between(a[0], a[1], b[0], b[1]) < 1.5


@pytest.mark.parametrize("text, kind", [("nw5", "outward"), ("NW5 2AB", "full"), ("nw52ab", "full"),
                                        ("WC1H 9AB", "full")])
def test_postcodes_parse(text, kind):
    assert postcodes.parse(text)[0] == kind


@pytest.mark.parametrize("text", ["hello", "12345", "NW", "<script>", "NW5 2AB 3CD"])
def test_malformed_postcodes_are_rejected(text):
    with pytest.raises(postcodes.PostcodeError) as info:
        postcodes.parse(text)
    assert info.value.kind == "malformed"


def test_unknown_district_outside_london_is_reported(app):
    with pytest.raises(postcodes.PostcodeError) as info:
        postcodes.lookup("M1 1AE")
    assert info.value.kind == "unknown"


def test_a_listings_own_postcode_places_exactly(app, build):
    org = build.organisation()
    location = build.location(org, postcode="NW5 2AB")
    place = postcodes.lookup("nw5 2ab")
    assert place.exact and (place.latitude, place.longitude) == (location.latitude, location.longitude)


def test_near_sorts_by_distance_and_keeps_remote_services_last(app, build):
    org = build.organisation()
    far = build.location(org, postcode="NW6 1AB", latitude=51.5440, longitude=-0.1960)
    near = build.location(org, postcode="N19 3AB", latitude=51.5650, longitude=-0.1320)
    build.service(organisation=org, name="Kilburn group", location=far)
    build.service(organisation=org, name="Archway group", location=near)
    build.service(organisation=org, name="Phone line", location=False, formats=["phone"])
    req = SearchRequest.from_args(MultiDict({"near": "N19"}))
    assert req.sort == "distance"
    results = search_services(req)
    names = [s.name for s, _ in results.items]
    assert names == ["Archway group", "Kilburn group", "Phone line"]
    distances = [d for _, d in results.items]
    assert distances[0] < 0.5 and 2 < distances[1] < 4 and distances[2] is None


def test_results_page_shows_miles_and_online_marker(app, client, build):
    org = build.organisation()
    build.service(organisation=org, name="Nearby", location=build.location(org, postcode="NW5 2AB"))
    build.service(organisation=org, name="Remote", location=False, formats=["online"])
    body = client.get("/search?near=NW5").get_data(as_text=True)
    assert "miles away" in body or "mile away" in body
    assert "Online or by phone" in body


@pytest.mark.parametrize("near, message", [("banana", "Enter a full UK postcode"),
                                           ("M1 1AE", "We could not find that postcode")])
def test_bad_postcodes_get_a_clear_error_on_the_results_page(client, near, message):
    response = client.get("/search", query_string={"near": near})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body and "govuk-error-summary" in body and 'href="#near"' in body


def test_bare_district_parents_use_their_sub_districts(app):
    place = postcodes.lookup("WC1")
    assert 51.51 < place.latitude < 51.54


def test_operators_can_import_the_official_postcode_directory(app, runner, tmp_path):
    source = tmp_path / "nspl.csv"
    source.write_text("pcds,lat,long\nNW5 1AA,51.5500,-0.1400\nNW5 1AB,51.5520,-0.1420\n"
                      "M1 1AE,53.4800,-2.2400\nbad,x,y\n", encoding="utf-8")
    try:
        result = runner.invoke(args=["postcodes", "import", str(source)])
        assert result.exit_code == 0, result.output
        assert "Wrote 1 London districts" in result.output
        assert postcodes.outward_centres() == {"NW5": (51.551, -0.141, "")}
    finally:
        from pathlib import Path
        (Path(app.config["INSTANCE_PATH"]) / "london_outcodes.csv").unlink(missing_ok=True)
        postcodes._read_centres.cache_clear()


def test_distances_use_the_right_plural_and_never_say_nought(app, client, build):
    from flask_babel import force_locale, ngettext
    org = build.organisation()
    build.service(organisation=org, name="Next door", location=build.location(org, postcode="NW5 2AB"))
    build.service(organisation=org, name="Further", location=build.location(org, postcode="NW6 1AB", latitude=51.5440,
                                                                               longitude=-0.1960))
    body = client.get("/search?near=NW5+2AB").get_data(as_text=True)
    assert "0.0 miles" not in body and "less than 0.1 miles away" in body
    arabic = client.get("/search?near=NW5+2AB&lang=ar", follow_redirects=True).get_data(as_text=True)
    with app.test_request_context(), force_locale("ar"):  # the words around the number, for two and for many
        dual = ngettext("%(num)s mile away", "%(num)s miles away", 2).replace("2", "").split()
        other = ngettext("%(num)s mile away", "%(num)s miles away", 100).replace("100", "").split()
    assert dual != other and all(word in arabic for word in other) and not all(word in arabic for word in dual)
