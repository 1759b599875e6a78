"""Rows without a service_slug name their listing by organisation and name: a re-import updates, never
duplicates; names in any script get a readable slug."""
from sqlalchemy import func, select

from app.directory.csv import import_csv
from app.directory.models import Service
from tests.directory.test_csv_io import _csv


def _count(db):
    return db.session.execute(select(func.count()).select_from(Service)).scalar_one()


def test_importing_the_same_file_without_slugs_twice_adds_each_listing_once(app, db, build, runner, tmp_path):
    org = build.organisation(slug="night-owls", name="Night Owls CIC")
    rows = [{"organisation_slug": org.slug, "name": "Midnight chess club", "description": "Chess after dark."},
            {"organisation_slug": org.slug, "name": "Early birds walk", "description": "A walk at dawn."}]
    first = import_csv(_csv(rows), dry_run=False)
    assert first.applied and first.new_services == 2 and first.matched_by_name == []
    rows[0]["description"] = "Chess after dark, with tea."
    rows[1]["name"] = "early  BIRDS walk"  # case and spacing differ: still the same listing
    second = import_csv(_csv(rows), dry_run=False)
    assert second.applied and (second.new_services, second.updated_services) == (0, 2)
    assert [(row, slug) for row, _name, slug in second.matched_by_name] == [(2, "midnight-chess-club"),
                                                                             (3, "early-birds-walk")]
    assert _count(db) == 2
    chess = db.session.execute(select(Service).where(Service.slug == "midnight-chess-club")).scalar_one()
    assert chess.description == "Chess after dark, with tea."

    path = tmp_path / "again.csv"
    path.write_bytes(_csv(rows))
    from app.directory.csv import csv_cli
    result = runner.invoke(csv_cli, ["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Row 2 has no service_slug: it updates the listing ‘Midnight chess club’ (midnight-chess-club)" in \
        result.output


def test_the_web_page_reports_rows_matched_by_name(client, login, build, db):
    org = build.organisation(slug="night-owls")
    build.service(organisation=org, name="Midnight chess club", slug="midnight-chess-club")
    login(build.user("manager"))
    from tests.directory.test_csv_io import _upload
    page = _upload(client, _csv([{"organisation_slug": org.slug, "name": "Midnight chess club"}])).get_data(
        as_text=True)
    assert "Rows matched by name" in page and "midnight-chess-club" in page


def test_two_rows_or_two_listings_of_one_name_need_slugs(app, db, build):
    org = build.organisation(slug="night-owls", name="Night Owls CIC")
    twice = import_csv(_csv([{"organisation_slug": org.slug, "name": "Chess"},
                             {"organisation_slug": org.slug, "name": "chess"}]), dry_run=True)
    assert [(p.row, p.column) for p in twice.problems] == [(3, "name")]
    assert "Row 2 already has the listing" in twice.problems[0].message
    build.service(organisation=org, name="Chess", slug="chess-a")
    build.service(organisation=org, name="Chess", slug="chess-b")
    ambiguous = import_csv(_csv([{"organisation_slug": org.slug, "name": "Chess"}]), dry_run=True)
    assert [(p.row, p.column) for p in ambiguous.problems] == [(2, "service_slug")]
    assert "has 2 listings called ‘Chess’" in ambiguous.problems[0].message


def test_the_same_name_in_another_organisation_is_a_new_listing(app, db, build):
    build.service(organisation=build.organisation(slug="heath"), name="Chess", slug="chess")
    report = import_csv(_csv([{"organisation_slug": "night-owls", "organisation_name": "Night Owls",
                               "name": "Chess"}]), dry_run=False)
    assert report.applied and report.new_services == 1 and report.matched_by_name == []


def test_names_in_other_scripts_get_a_transliterated_slug(app, db, build):
    org = build.organisation(slug="sylhet-sisters", name="Sylhet Sisters")
    report = import_csv(_csv([{"organisation_slug": org.slug, "name": "মহিলাদের চা চক্র"},
                              {"organisation_slug": org.slug, "name": "مجموعة القهوة"},
                              {"organisation_slug": org.slug, "name": "!!!"}]), dry_run=False)
    assert report.applied
    slugs = sorted(db.session.execute(select(Service.slug)).scalars())
    assert slugs == ["mhilader-ca-ckr", "mjmw-h-lqhwh", "sylhet-sisters"]


def test_a_provider_naming_a_new_listing_in_bengali_gets_a_readable_slug(client, login, build, db):
    org = build.organisation(slug="sylhet-sisters", name="Sylhet Sisters")
    login(build.user("provider", organisations=[org]))
    for name in ("চা চক্র", "!!!"):
        response = client.post(f"/provider/organisations/{org.slug}/services/new", data={
            "name": name, "description": "Tea and talk.", "categories": ["food-meals"]})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    slugs = sorted(db.session.execute(select(Service.slug)).scalars())
    assert slugs == ["ca-ckr", "sylhet-sisters"]


def _too_big():
    # A hand-made multipart body: the test client would spool a large one to an unclosed temporary file.
    return (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\nname\n"
            + b"x" * (5 * 1024 * 1024 + 10) + b"\r\n--b--\r\n")


def test_a_file_over_the_limit_is_refused_on_the_csv_page(client, login, build):
    login(build.user("manager"))
    response = client.post("/manage/csv/", data=_too_big(), content_type="multipart/form-data; boundary=b")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is larger than 5 MB" in page and "govuk-error-summary" in page
    assert 'type="file"' in page  # the upload form, to try again at once


def test_a_large_post_from_someone_else_gets_the_plain_error(client, build, login):
    login(build.user("provider"))
    response = client.post("/manage/csv/", data=_too_big(), content_type="multipart/form-data; boundary=b")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and 'type="file"' not in page and "too large" in page
