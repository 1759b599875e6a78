"""Bulk CSV import and export of the directory (app/directory/csv/, docs/csv.md)."""
import csv
import io
from datetime import time

import pytest
from sqlalchemy import func, select

from app.directory import search
from app.directory.csv import COLUMNS, csv_cli, import_csv
from app.directory.csv.columns import PLACE_COLUMNS
from app.directory.models import Location, Organisation, Revision, Schedule, Service


def _export(runner, tmp_path):
    target = tmp_path / "export.csv"
    result = runner.invoke(csv_cli, ["export", "--output", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _rows(data):
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _csv(rows, columns=COLUMNS):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return buffer.getvalue().encode("utf-8")


def _write(tmp_path, data, name="import.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _counts(db):
    return tuple(db.session.execute(select(func.count()).select_from(model)).scalar_one()
                 for model in (Organisation, Service, Location, Schedule, Revision))


def test_export_then_import_round_trips_with_nothing_to_change(app, db, build, runner, tmp_path):
    org = build.organisation(name="Heath Friends")
    place = build.location(org, postcode="NW3 1AA", name="Heath Hall")
    build.service(organisation=org, location=place, name="Walk and talk", categories=("active-walking", "talk"),
                  weekly=[(0, "10:00", "12:00"), (4, "22:00", "02:00")], audience=["older_people", "carers"],
                  min_age=50, description="- walks\n- tea\n\nAll welcome", contact_phone="+44 20 7946 0999")
    build.service(organisation=org, location=False, name="Phone friends", formats=["phone"], status="draft",
                  cost_type="low_cost", cost_text="=£2 a call", accessibility=["bsl"])
    build.service(name="Other group", categories=("money-debt",), weekly=[(2, "09:00", "09:00")])
    exported = _export(runner, tmp_path)
    rows = _rows(exported.read_bytes())
    assert len(rows) == 3
    assert list(rows[0]) == list(COLUMNS)

    before = _counts(db)
    result = runner.invoke(csv_cli, ["import", str(exported), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "0 new listings, 0 updated, 3 unchanged, 0 new organisations" in result.output
    report = import_csv(exported.read_bytes(), dry_run=True)
    assert report.problems == [] and report.file_error is None
    assert (report.new_services, report.updated_services, report.unchanged_services) == (0, 0, 3)
    # A real import of an unchanged file changes nothing and records no revisions.
    result = runner.invoke(csv_cli, ["import", str(exported)])
    assert result.exit_code == 0, result.output
    assert _counts(db) == before


def test_demo_directory_round_trips(app, db, runner, tmp_path):
    from app.demo.loader import load_demo
    load_demo()
    db.session.commit()  # as `flask demo load` does
    exported = _export(runner, tmp_path)
    report = import_csv(exported.read_bytes(), dry_run=True)
    assert report.problems == [], report.problems[:5]
    assert report.unchanged_services == db.session.execute(select(func.count(Service.id))).scalar_one() > 10
    assert report.new_services == report.updated_services == 0


def test_broken_rows_are_each_reported_by_row_and_column_and_nothing_changes(app, db, build, runner, tmp_path):
    existing = build.service(name="Existing group", slug="existing-group")
    org_slug = existing.organisation.slug
    good = {"organisation_slug": org_slug, "name": "Fine new listing", "postcode": "NW5 2AB"}
    data = _csv([
        good,                                                                            # row 2: fine
        {"organisation_slug": org_slug, "name": "Bad codes", "categories": "talk;nope",
         "audience": "women;martians", "access_method": "teleport"},                     # row 3
        {"organisation_slug": org_slug, "name": "Bad contact", "contact_email": "not-an-email",
         "contact_phone": "12", "postcode": "XYZ 123"},                                  # row 4
        {"organisation_slug": org_slug, "name": "Bad ages", "min_age": "65", "max_age": "18",
         "weekly_sessions": "Mon 10:00-12:00; Funday 25:00-26:00"},                      # row 5
        {"organisation_slug": org_slug, "name": ""},                                     # row 6
        {"organisation_slug": "no-such-org", "name": "Orphan"},                          # row 7
        {"organisation_slug": org_slug, "service_slug": "existing-group", "name": "Existing group"},  # row 8
        {"organisation_slug": org_slug, "service_slug": "existing-group", "name": "Again"},  # row 9
        {"organisation_slug": org_slug, "name": "Checked later", "last_verified": "2999-01-01",
         "min_age": "old"},                                                              # row 10
    ])
    before = _counts(db)
    result = runner.invoke(csv_cli, ["import", str(_write(tmp_path, data)), "--dry-run"])
    assert result.exit_code == 1
    report = import_csv(data, dry_run=False)
    found = {(p.row, p.column) for p in report.problems}
    assert found == {
        (3, "categories"), (3, "audience"), (3, "access_method"),
        (4, "contact_email"), (4, "contact_phone"), (4, "postcode"),
        (5, "min_age"), (5, "weekly_sessions"),
        (6, "name"),
        (7, "organisation_slug"),
        (9, "service_slug"),
        (10, "last_verified"), (10, "min_age"),
    }
    messages = {(p.row, p.column): p.message for p in report.problems}
    assert "nope" in messages[(3, "categories")] and "martians" in messages[(3, "audience")]
    assert "Funday 25:00-26:00" in messages[(5, "weekly_sessions")]
    assert "row 8" in messages[(9, "service_slug")]
    assert "organisation_name" in messages[(7, "organisation_slug")]
    for problem in report.problems:
        assert f"Row {problem.row}, {problem.column}: " in result.output
    assert not report.applied
    db.session.expire_all()
    assert _counts(db) == before
    assert db.session.execute(select(Service.name).where(Service.slug == "existing-group")).scalar_one() == \
        "Existing group"


def test_import_creates_an_organisation_and_a_searchable_listing(app, db, build, runner, tmp_path):
    manager = build.user("manager")
    data = _csv([{
        "organisation_slug": "night-owls", "organisation_name": "Night Owls CIC", "name": "Midnight chess club",
        "description": "Chess for people who cannot sleep.", "access_method": "drop in", "status": "published",
        "categories": "creative;talk-peer-support", "formats": "in_person", "languages": "en;bn",
        "location_name": "Owl House", "address_1": "3 Dark Lane", "postcode": "nw5 1tl",
        "weekly_sessions": "Mon 18:00-20:00; Fri 22:00-02:00", "contact_email": "owls@example.org",
        "contact_phone": "020 7946 0123", "last_verified": "2024-05-01",
    }])
    report = import_csv(data, dry_run=False, user=manager)
    assert report.ok and report.applied
    assert (report.new_services, report.new_organisations) == (1, 1)

    service = db.session.execute(select(Service).where(Service.name == "Midnight chess club")).scalar_one()
    assert service.slug == "midnight-chess-club"
    assert service.organisation.name == "Night Owls CIC" and service.organisation.slug == "night-owls"
    assert service.access_method == "drop_in" and service.status == "published"
    assert sorted(c.code for c in service.categories) == ["creative", "talk-peer-support"]
    assert service.languages == ["bn", "en"]
    assert [(loc.name, loc.postcode, loc.neighbourhood.code) for loc in service.locations] == \
        [("Owl House", "NW5 1TL", "kentish-town")]
    assert service.locations[0].latitude is not None
    sessions = sorted((s.weekday, s.opens_at, s.closes_at) for s in service.weekly_sessions)
    assert sessions == [(0, time(18), time(20)), (4, time(22), time(2))]
    assert service.weekly_sessions[1].past_midnight or service.weekly_sessions[0].past_midnight
    assert service.last_verified_at.date().isoformat() == "2024-05-01"
    revision = db.session.execute(select(Revision).where(Revision.entity_id == service.id)).scalar_one()
    assert (revision.kind, revision.status, revision.submitted_by_id) == ("import", "applied", manager.id)
    assert revision.snapshot["name"] == "Midnight chess club"

    assert search.query_index("Midnight chess club").total == 1


def test_imported_places_are_put_at_their_district_centre_without_jitter(app, db, build):
    # Real addresses: the postcode data alone decides the map position (the jitter is for invented demo postcodes).
    from app.directory.postcodes import outward_centres
    org = build.organisation()
    data = _csv([{"organisation_slug": org.slug, "name": f"Group {postcode}", "location_name": "Hall",
                  "address_1": "1 Road", "postcode": postcode} for postcode in ("NW5 1TL", "NW5 2AB", "EH1 1AA")])
    report = import_csv(data, dry_run=False)
    assert report.applied and report.new_services == 3
    positions = {loc.postcode: (loc.latitude, loc.longitude) for loc in db.session.execute(select(Location)).scalars()}
    centre = outward_centres()["NW5"][:2]
    assert positions == {"NW5 1TL": centre, "NW5 2AB": centre, "EH1 1AA": (None, None)}


def test_import_updates_an_existing_listing_by_slug(app, db, build, runner, tmp_path):
    service = build.service(name="Knit and natter", slug="knit-and-natter", weekly=[(1, "10:00", "12:00")],
                            capacity_status="taking")
    other = build.service(name="Untouched")
    exported = _export(runner, tmp_path)
    rows = _rows(exported.read_bytes())
    for row in rows:
        if row["service_slug"] == "knit-and-natter":
            row.update(capacity_status="full", capacity_note="Full until spring", weekly_sessions="Wed 14:00-16:00",
                       categories="creative-art;talk")
    data = _csv(rows)
    report = import_csv(data, dry_run=True)
    assert (report.new_services, report.updated_services, report.unchanged_services) == (0, 1, 1)
    result = runner.invoke(csv_cli, ["import", str(_write(tmp_path, data))])
    assert result.exit_code == 0, result.output
    assert "0 new listings, 1 updated, 1 unchanged" in result.output

    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert service.capacity_status == "full" and service.capacity_note == "Full until spring"
    assert service.capacity_updated_on is not None
    assert [(s.weekday, s.opens_at, s.closes_at) for s in service.weekly_sessions] == [(2, time(14), time(16))]
    assert sorted(c.code for c in service.categories) == ["creative-art", "talk"]
    assert len(service.locations) == 1  # the same place, kept
    kinds = db.session.execute(select(Revision.entity_id, Revision.kind).order_by(Revision.id)).all()
    assert kinds == [(service.id, "published"), (service.id, "import")]  # what was live before, then the import
    imported = db.session.execute(select(Revision).where(Revision.kind == "import")).scalar_one()
    assert (imported.before["capacity_status"], imported.after["capacity_status"]) == ("taking", "full")
    assert db.session.get(Service, other.id).name == "Untouched"


def test_a_file_with_only_some_columns_changes_only_those(app, db, build):
    service = build.service(name="Partial", slug="partial", capacity_status="taking", min_age=18,
                            weekly=[(3, "09:00", "10:00")])
    data = _csv([{"service_slug": "partial", "name": "Partial", "capacity_status": "paused"}],
                columns=("service_slug", "name", "capacity_status"))
    report = import_csv(data, dry_run=False)
    assert report.applied and report.updated_services == 1
    db.session.expire_all()
    service = db.session.get(Service, service.id)
    assert service.capacity_status == "paused" and service.min_age == 18
    assert len(service.weekly_sessions) == 1 and len(service.locations) == 1


def test_a_published_listing_cannot_be_turned_back_into_a_draft_by_a_file(app, db, build):
    service = build.service(name="Live group", slug="live-group", status="published")
    build.service(name="Old group", slug="old-group", status="archived")
    data = _csv([{"service_slug": "live-group", "name": "Live group", "status": "draft"},
                 {"service_slug": "old-group", "name": "Old group", "status": "published"}],
                columns=("service_slug", "name", "status"))
    report = import_csv(data, dry_run=False)
    assert not report.applied
    assert [(p.row, p.column, p.message) for p in report.problems] == [
        (2, "status", "A listing that is ‘Published’ cannot become ‘Draft’")]
    db.session.expire_all()
    assert db.session.get(Service, service.id).status == "published"


def test_a_real_import_with_any_problem_changes_nothing(app, db, build, runner, tmp_path):
    service = build.service(name="Stays the same", slug="stays-the-same")
    org = service.organisation.slug
    data = _csv([
        {"organisation_slug": org, "service_slug": "stays-the-same", "name": "Renamed"},
        {"organisation_slug": "brand-new", "organisation_name": "Brand new", "name": "New one"},
        {"organisation_slug": org, "name": "Broken", "contact_email": "nope@"},
    ])
    before = _counts(db)
    result = runner.invoke(csv_cli, ["import", str(_write(tmp_path, data))])
    assert result.exit_code == 1
    assert "Row 4, contact_email" in result.output and "Nothing was changed" in result.output
    db.session.expire_all()
    assert _counts(db) == before
    assert db.session.get(Service, service.id).name == "Stays the same"
    assert db.session.execute(select(Organisation).where(Organisation.slug == "brand-new")).first() is None


def test_a_failure_while_saving_rolls_everything_back(app, db, build, monkeypatch):
    from app.directory.csv import applier
    service = build.service(name="Before", slug="before")
    data = _csv([{"organisation_slug": service.organisation.slug, "service_slug": "before", "name": "After"},
                 {"organisation_slug": "fresh-org", "organisation_name": "Fresh", "name": "Fresh listing"}])
    before = _counts(db)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(applier, "record", explode)
    with pytest.raises(RuntimeError):
        import_csv(data, dry_run=False)
    db.session.expire_all()
    assert _counts(db) == before
    assert db.session.get(Service, service.id).name == "Before"


def test_export_guards_against_spreadsheet_formulas_and_import_undoes_it(app, db, build, runner, tmp_path):
    build.service(name="=HYPERLINK(\"http://evil.example\")", slug="formula", cost_text="+1 free",
                  contact_name="@admin", contact_role="-1", description="- a list item")
    exported = _export(runner, tmp_path)
    row = _rows(exported.read_bytes())[0]
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\")"
    assert row["cost_text"] == "'+1 free" and row["contact_name"] == "'@admin" and row["contact_role"] == "'-1"
    assert row["description"] == "'- a list item"
    for column in COLUMNS:
        assert not row[column].startswith(("=", "+", "-", "@")), column
    report = import_csv(exported.read_bytes(), dry_run=True)
    assert report.ok and report.unchanged_services == 1


def test_export_to_standard_output(app, build, runner):
    build.service(name="Stdout listing")
    result = runner.invoke(csv_cli, ["export"])
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff" + ",".join(COLUMNS))
    assert "Stdout listing" in result.output


@pytest.mark.parametrize("data, message", [
    ("name,organisation_slug\r\nCafé,x\r\n".encode("cp1252"), "not saved as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a CSV file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook"),
    ("name,organisation_slug\r\nx,y\r\n".encode("utf-16"), "UTF-16"),
    (b"", "empty"),
    (b"hello there\nthis is a letter\n", "column names"),
    (b"name,organisation_slug\r\n\"unclosed,quote\r\n", "quotation mark"),
    (b"name,organisation_slug\r\n", "no listings"),
])
def test_files_that_are_not_usable_csv_give_a_clear_error(app, data, message):
    report = import_csv(data, dry_run=False)
    assert report.file_error and message in report.file_error
    assert not report.applied


def test_too_many_rows_or_too_large_a_file_is_refused(app, monkeypatch):
    from app.directory.csv import reader
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    data = _csv([{"organisation_slug": "x", "name": f"n{i}"} for i in range(4)])
    assert "more than 3 listings" in import_csv(data, dry_run=True).file_error
    app.config["MAX_CONTENT_LENGTH"], old = 100, app.config["MAX_CONTENT_LENGTH"]
    try:
        assert "larger than" in import_csv(b"name\n" + b"x" * 200, dry_run=True).file_error
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old


def test_unknown_and_duplicate_columns_are_reported_on_row_one(app, build):
    org = build.organisation()
    data = f"organisation_slug,name,postocde,name\r\n{org.slug},Thing,NW5 2AB,Thing\r\n".encode()
    report = import_csv(data, dry_run=True)
    assert {(p.row, p.column) for p in report.problems} == {(1, "postocde"), (1, "name")}


def test_new_listing_slugs_are_unique(app, db, build):
    existing = build.service(name="Walk", slug="walk")
    other, third = build.organisation(slug="heath-walkers"), build.organisation(slug="park-walkers")
    data = _csv([{"organisation_slug": other.slug, "name": "Walk"}, {"organisation_slug": third.slug, "name": "Walk"},
                 {"organisation_slug": existing.organisation.slug, "name": "Walk", "service_slug": "walk-2"}])
    report = import_csv(data, dry_run=False)
    assert report.applied and report.new_services == 3
    slugs = set(db.session.execute(select(Service.slug)).scalars())
    assert len(slugs) == 4 and "walk-2" in slugs


# One check per column: each problem on its own row and column, with its message.

@pytest.mark.parametrize("row, column, message", [
    ({"service_slug": "Not_A_Slug"}, "service_slug", "lower-case letters, numbers and single hyphens"),
    ({"organisation_slug": "Camden Befrienders"}, "organisation_slug", "like camden-befrienders"),
    ({"organisation_slug": "", "organisation_name": "o" * 201}, "organisation_name", "200 characters or fewer"),
    ({"organisation_slug": ""}, "organisation_slug", "Enter the organisation_slug of an organisation"),
    ({"name": "n" * 201}, "name", "200 characters or fewer"),
    ({"cost_text": "c" * 301}, "cost_text", "300 characters or fewer"),
    ({"status": "gone"}, "status", "‘gone’ is not an allowed value. Use one of: draft, published"),
    ({"languages": "en,bn"}, "languages", "Separate codes with semicolons, not commas."),
    ({"max_age": "121"}, "max_age", "whole number from 0 to 120"),
    ({"town": "t" * 101, "postcode": "NW5 2AB"}, "town", "100 characters or fewer"),
    ({"location_name": "Hall"}, "postcode", "Enter the postcode of the place"),
    ({"weekly_sessions": "T 10:00-11:00"}, "weekly_sessions", "‘T 10:00-11:00’ is not a weekly session"),
    ({"weekly_sessions": "Mon 24:00-02:00"}, "weekly_sessions", "is not a weekly session"),
    ({"weekly_sessions": "; ".join(f"Mon {h:02d}:00-{h:02d}:30" for h in range(17)) + "; "
      + "; ".join(f"Tue {h:02d}:00-{h:02d}:30" for h in range(17)) + "; "
      + "; ".join(f"Wed {h:02d}:00-{h:02d}:30" for h in range(17))}, "weekly_sessions", "at most 50 weekly sessions"),
    ({"last_verified": "31/02/2024"}, "last_verified", "Enter a real date"),
    ({"last_verified": "May 2024"}, "last_verified", "Enter a real date"),
])
def test_each_column_reports_its_own_problem(app, build, row, column, message):
    org = build.organisation()
    data = _csv([{"organisation_slug": org.slug, "name": "A listing", **row}])
    report = import_csv(data, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, column)]
    assert message in report.problems[0].message


def test_cells_under_no_column_name_are_reported_by_column_letter(app, build):
    org = build.organisation()
    cells = [org.slug, "A listing"] + [""] * 25 + ["stray"]
    data = ("organisation_slug,name,\r\n" + ",".join(cells) + "\r\n").encode()
    report = import_csv(data, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, "column AB")]


@pytest.mark.parametrize("header, column, message", [
    ("organisation_slug,town", "name", "must have a name column"),
    ("name,town", "organisation_slug", "must have an organisation_slug column"),
])
def test_a_file_without_the_columns_it_needs_is_reported_on_row_one(app, header, column, message):
    report = import_csv(f"{header},,\r\nx,y,\r\n".encode(), dry_run=True)
    assert (1, column) in {(p.row, p.column) for p in report.problems}
    assert any(message in p.message for p in report.problems)


def test_a_first_row_of_blank_cells_is_not_a_header(app):
    report = import_csv(b" , ,\r\nx,y,z\r\n", dry_run=True)
    assert "The first row must hold the column names" in report.file_error


def test_rows_creating_one_organisation_must_agree_on_its_name(app, db):
    by_name = [{"organisation_name": "Made From Its Name", "name": "Three"},
               {"organisation_name": "Made From Its Name", "name": "Four"}]
    data = _csv([{"organisation_slug": "new-org", "organisation_name": "New Org", "name": "One"},
                 {"organisation_slug": "new-org", "organisation_name": "Another Name", "name": "Two"}] + by_name)
    report = import_csv(data, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(3, "organisation_name")]
    assert "Row 2 creates the organisation new-org with the name ‘New Org’" in report.problems[0].message
    report = import_csv(_csv(by_name), dry_run=False)
    assert report.applied and (report.new_services, report.new_organisations) == (2, 1)
    org = db.session.execute(select(Organisation).where(Organisation.slug == "made-from-its-name")).scalar_one()
    assert org.name == "Made From Its Name" and len(org.services) == 2


def test_a_listing_cannot_move_to_another_organisation(app, build):
    service = build.service(slug="stays-put")
    other = build.organisation()
    data = _csv([{"organisation_slug": other.slug, "service_slug": "stays-put", "name": service.name}])
    report = import_csv(data, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, "organisation_slug")]
    assert f"belongs to {service.organisation.name}" in report.problems[0].message


def test_times_and_dates_in_their_other_spellings(app, db, build):
    org = build.organisation()
    data = _csv([{"organisation_slug": org.slug, "name": "Late", "weekly_sessions": "tues 9.30 to 24:00",
                  "last_verified": "1/2/2024"}])
    report = import_csv(data, dry_run=False)
    assert report.applied
    service = db.session.execute(select(Service).where(Service.name == "Late")).scalar_one()
    assert [(s.weekday, s.opens_at, s.closes_at) for s in service.weekly_sessions] == [(1, time(9, 30), time(0))]
    assert service.last_verified_at.date().isoformat() == "2024-02-01"


def test_weekly_sessions_follow_a_listing_to_its_new_place_or_to_none(app, db, build):
    org = build.organisation()
    hall = build.location(org, postcode="NW5 2AB", name="Old Hall")
    church = build.location(org, postcode="NW5 1TL", name="Church", address_1="2 Lane")
    moving = build.service(organisation=org, location=hall, slug="moving", weekly=[(0, "10:00", "11:00")])
    leaving = build.service(organisation=org, location=hall, slug="leaving", weekly=[(1, "10:00", "11:00")])
    for service in (moving, leaving):
        service.schedules[0].location = hall
    db.session.commit()
    columns = ("organisation_slug", "service_slug", "name") + PLACE_COLUMNS
    data = _csv([{"organisation_slug": org.slug, "service_slug": "moving", "name": moving.name,
                  "location_name": "Church", "address_1": "2 Lane", "postcode": "nw51tl"},
                 {"organisation_slug": org.slug, "service_slug": "leaving", "name": leaving.name}], columns=columns)
    report = import_csv(data, dry_run=False)
    assert report.applied and report.updated_services == 2
    db.session.expire_all()
    moving, leaving = db.session.get(Service, moving.id), db.session.get(Service, leaving.id)
    assert [loc.id for loc in moving.locations] == [church.id]  # the organisation's own place, not a copy
    assert [s.location_id for s in moving.weekly_sessions] == [church.id]
    assert leaving.locations == [] and [s.location_id for s in leaving.weekly_sessions] == [None]
    assert db.session.execute(select(func.count(Location.id))).scalar_one() == 2


def test_blank_rows_are_skipped_but_still_counted_in_row_numbers(app, build):
    service = build.service(slug="kept")
    data = f"service_slug,name,min_age\r\n,,\r\n  , ,\r\nkept,{service.name},old\r\n".encode()
    report = import_csv(data, dry_run=True)
    assert report.rows == 1 and [(p.row, p.column) for p in report.problems] == [(4, "min_age")]
    report = import_csv(f"service_slug,name\r\n\r\nkept,{service.name}\r\n".encode(), dry_run=True)
    assert (report.rows, report.unchanged_services) == (1, 1)


def test_a_listing_with_no_place_and_a_blank_place_is_unchanged(app, build):
    service = build.service(location=False, slug="online-only")
    data = _csv([{"service_slug": "online-only", "name": service.name}],
                columns=("service_slug", "name") + PLACE_COLUMNS)
    assert import_csv(data, dry_run=True).unchanged_services == 1


def test_a_database_failure_while_saving_is_reported_and_rolled_back(app, db, build, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from app.directory.csv import applier
    service = build.service(slug="before", name="Before")
    before = _counts(db)

    def fail(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))
    monkeypatch.setattr(applier, "record", fail)
    data = _csv([{"organisation_slug": service.organisation.slug, "service_slug": "before", "name": "After"}])
    report = import_csv(data, dry_run=False)
    assert not report.applied and report.file_error.startswith("Nothing was imported")
    db.session.expire_all()
    assert _counts(db) == before and db.session.get(Service, service.id).name == "Before"


def test_the_command_line_reports_a_file_it_cannot_read_or_that_is_too_large(app, runner, tmp_path):
    result = runner.invoke(csv_cli, ["import", str(_write(tmp_path, b"PK\x03\x04 workbook"))])
    assert result.exit_code == 1 and "spreadsheet workbook" in result.output
    app.config["MAX_CONTENT_LENGTH"], old = 100, app.config["MAX_CONTENT_LENGTH"]
    try:
        result = runner.invoke(csv_cli, ["import", str(_write(tmp_path, b"name\n" + b"x" * 200))])
    finally:
        app.config["MAX_CONTENT_LENGTH"] = old
    assert result.exit_code == 1 and "larger than" in result.output


# Web pages

def _upload(client, data, action="check", name="listings.csv"):
    return client.post("/manage/csv/", data={"file": (io.BytesIO(data), name), "action": action},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("path", ["/manage/csv/", "/manage/csv/export.csv"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]


@pytest.mark.parametrize("role, expected", [("provider", 403), ("spa", 403), ("translator", 403), ("partner", 403),
                                            ("manager", 200), ("admin", 200)])
def test_only_managers_and_admins_may_use_the_pages(client, build, login, role, expected):
    login(build.user(role))
    assert client.get("/manage/csv/").status_code == expected
    assert client.get("/manage/csv/export.csv").status_code == expected
    assert _upload(client, b"name\r\n").status_code in ((400,) if expected == 200 else (403,))


def test_upload_page_has_the_form_the_export_link_and_the_column_guide(client, build, login):
    login(build.user("manager"))
    body = client.get("/manage/csv/").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in body and 'type="file"' in body and 'name="csrf_token"' in body
    assert "Check the file (changes nothing)" in body and ">Import</button>" in body
    assert "/manage/csv/export.csv" in body
    for column in COLUMNS:
        assert f"<code>{column}</code>" in body


def test_web_export_downloads_every_listing(client, build, login):
    build.service(name="Draft one", status="draft")
    build.service(name="Published one")
    login(build.user("admin"))
    response = client.get("/manage/csv/export.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert {row["name"] for row in _rows(response.data)} == {"Draft one", "Published one"}


def test_web_check_of_a_broken_file_shows_every_problem_and_changes_nothing(client, db, build, login):
    org = build.organisation()
    login(build.user("manager"))
    data = _csv([{"organisation_slug": org.slug, "name": "Fine", "postcode": "NW5 2AB"},
                 {"organisation_slug": org.slug, "name": "Bad", "contact_email": "bad@", "postcode": "nowhere"},
                 {"organisation_slug": org.slug, "name": ""}])
    before = _counts(db)
    for action in ("check", "import"):
        response = _upload(client, data, action=action)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "There is a problem" in body and "The file has 3 problems. Nothing was changed." in body
        assert '<title>Error:' in body
        for row, column in ((3, "contact_email"), (3, "postcode"), (4, "name")):
            assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{row}</td>' in body
            assert f"<code>{column}</code></td>" in body
        assert "‘nowhere’ is not a UK postcode" in body
    assert _counts(db) == before


def test_web_check_then_import(client, db, build, login):
    org = build.organisation()
    login(build.user("manager"))
    data = _csv([{"organisation_slug": org.slug, "name": "Web listing", "status": "published",
                  "weekly_sessions": "Sat 11:00-13:00"}])
    body = _upload(client, data, action="check").get_data(as_text=True)
    assert "The file has no problems" in body and "1 new listing" in body
    assert db.session.execute(select(Service).where(Service.name == "Web listing")).first() is None
    body = _upload(client, data, action="import").get_data(as_text=True)
    assert "The file was imported." in body and "1 new listing" in body
    assert db.session.execute(select(Service).where(Service.name == "Web listing")).scalar_one().status == "published"


@pytest.mark.parametrize("data, message", [
    ("name,organisation_slug\r\nCafé,x\r\n".encode("latin-1"), "not saved as UTF-8"),
    (bytes(range(256)) * 4, "not a CSV file"),
])
def test_web_upload_of_a_file_that_is_not_utf8_csv_is_a_clear_error(client, build, login, data, message):
    login(build.user("manager"))
    response = _upload(client, data, name="listings.xls")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "There is a problem" in body


def test_web_upload_without_a_file_asks_for_one(client, build, login):
    login(build.user("manager"))
    response = client.post("/manage/csv/", data={"action": "check"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file" in response.get_data(as_text=True)


def test_web_upload_larger_than_the_limit_is_refused_cleanly(client, build, login):
    login(build.user("manager"))
    # A hand-made multipart body: the test client would spool a large one to an unclosed temporary file.
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\nname\n"
            + b"x" * (5 * 1024 * 1024 + 10) + b"\r\n--b--\r\n")
    response = client.post("/manage/csv/", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert "The file is larger than 5 MB" in response.get_data(as_text=True)
