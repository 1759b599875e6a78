"""A place's nearest station: given in the provider's form or the CSV file, shown with the directions."""
from sqlalchemy import select

from app.directory.csv import COLUMNS, import_csv
from app.directory.csv.export import iter_export
from app.directory.models import Location, Revision
from tests.conftest import HtmlPage
from tests.directory.test_csv_io import _csv, _rows


def test_a_provider_gives_a_place_its_nearest_station_and_a_manager_approves_it(client, login, build, db):
    org = build.organisation(slug="fairfield", name="Fairfield Hall")
    service = build.service(organisation=org)
    place = service.locations[0]
    provider, manager = build.user("provider", organisations=[org]), build.user("manager")
    login(provider)
    form = HtmlPage(client.get("/provider/organisations/fairfield/edit"))
    assert form.select_one("label[for=locations-0-nearest_station]").get_text(strip=True) == \
        "Nearest station (optional)"
    fields = {"name": "Fairfield Hall", "locations-0-location_id": str(place.id), "locations-0-name": "Test Hall",
              "locations-0-address_1": "1 Test Road", "locations-0-postcode": "NW5 2AB"}
    too_long = client.post("/provider/organisations/fairfield/edit",
                           data={**fields, "locations-0-nearest_station": "K" * 121})
    page = HtmlPage(too_long)
    assert too_long.status_code == 400 and page.title.startswith("Error:")
    assert page.select_one("#locations-0-nearest_station")["value"] == "K" * 121  # what was typed is kept

    assert client.post("/provider/organisations/fairfield/edit",
                       data={**fields, "locations-0-nearest_station": " Kentish Town "}).status_code == 302
    assert db.session.get(Location, place.id).nearest_station is None  # waits for a manager
    revision = db.session.execute(select(Revision)).scalar_one()
    client.post("/sign-out")
    login(manager)
    assert "Nearest station: Kentish Town" in client.get(f"/manage/changes/{revision.id}").get_data(as_text=True)
    assert client.post(f"/manage/changes/{revision.id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Location, place.id).nearest_station == "Kentish Town"
    assert "Nearest station: Kentish Town" in HtmlPage(client.get(f"/services/{service.slug}")).text("main")
    form = HtmlPage(client.get("/provider/organisations/fairfield/edit"))
    assert form.select_one("#locations-0-nearest_station")["value"] == "Kentish Town"


def _place_row(org, service, **cells):
    return {"organisation_slug": org.slug, "service_slug": service.slug, "name": service.name,
            "location_name": "Test Hall", "address_1": "1 Test Road", "town": "London", "postcode": "NW5 2AB",
            **cells}


def test_the_csv_file_exports_and_imports_the_station(app, db, build):
    org = build.organisation()
    place = build.location(org, nearest_station="Gospel Oak")
    service = build.service(organisation=org, location=place)
    columns = ("organisation_slug", "service_slug", "name", "location_name", "address_1", "address_2", "town",
               "postcode", "nearest_station")
    assert "nearest_station" in COLUMNS
    exported = _rows("".join(iter_export()))
    assert exported[0]["nearest_station"] == "Gospel Oak"

    # The same station, or a blank one, changes nothing; a new one is written onto the place.
    for cell in ("Gospel Oak", ""):
        data = _csv([_place_row(org, service, nearest_station=cell)], columns=columns)
        assert import_csv(data, dry_run=True).unchanged_services == 1, cell
    report = import_csv(_csv([_place_row(org, service, nearest_station="Kentish Town")], columns=columns),
                        dry_run=False)
    assert report.applied and report.updated_services == 1
    db.session.expire_all()
    assert db.session.get(Location, place.id).nearest_station == "Kentish Town"
    assert db.session.execute(select(Location)).scalars().all() == [db.session.get(Location, place.id)]


def test_the_csv_file_refuses_a_station_too_long_or_without_a_place(app, db, build):
    org = build.organisation()
    service = build.service(organisation=org, location=False)
    columns = ("organisation_slug", "service_slug", "name", "postcode", "nearest_station")
    report = import_csv(_csv([{"organisation_slug": org.slug, "service_slug": service.slug, "name": service.name,
                               "postcode": "NW5 2AB", "nearest_station": "S" * 121}], columns=columns),
                        dry_run=True)
    assert [p.column for p in report.problems] == ["nearest_station"]
    report = import_csv(_csv([{"organisation_slug": org.slug, "service_slug": service.slug, "name": service.name,
                               "nearest_station": "Camden Road"}], columns=columns), dry_run=True)
    assert [p.column for p in report.problems] == ["postcode"]


def test_some_demo_places_have_a_station_and_the_loader_keeps_it(app):
    from app.demo import content
    from app.demo.loader import _location
    places = [loc for org in content.organisations() for loc in org.get("locations", [])]
    with_station = [loc for loc in places if loc.get("nearest_station")]
    assert len(with_station) >= 10 and len(with_station) < len(places)  # some places say nothing
    loaded = _location(with_station[0])
    assert loaded.nearest_station == with_station[0]["nearest_station"]
    assert _location({"postcode": "NW5 2AB"}).nearest_station is None
