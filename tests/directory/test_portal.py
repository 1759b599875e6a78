"""Providers keep their own listings current; managers check the changes."""
import re

import pytest
from sqlalchemy import select

from app.directory import search
from app.directory.models import Revision, Service


@pytest.fixture
def setup(build):
    mine = build.organisation(name="Fairfield Hall", slug="fairfield")
    theirs = build.organisation(name="Other Group", slug="other")
    my_service = build.service(organisation=mine, name="Tuesday lunch club", weekly=[(1, "12:00", "14:00")])
    their_service = build.service(organisation=theirs, name="Other group walk")
    provider = build.user("provider", organisations=[mine])
    manager = build.user("manager")
    return {"mine": mine, "theirs": theirs, "my_service": my_service, "their_service": their_service,
            "provider": provider, "manager": manager}


def _section_data(section, **overrides):
    data = {
        "basics": {"name": "Tuesday lunch club", "description": "Hot lunch and company.", "categories": ["food-meals"]},
        "who": {"languages": ["en", "bn"], "accessibility": ["step_free"], "min_age": "18"},
        "contact": {"access_method": "drop_in", "cost_type": "free", "contact_name": "Jo",
                    "contact_phone": "020 7946 0555"},
        "where": {"formats": ["in_person"], "sessions-0-weekday": "3", "sessions-0-opens_at": "10:00",
                  "sessions-0-closes_at": "12:00"},
    }[section]
    data.update(overrides)
    return data


def provider_routes(s):
    slug, org = s["their_service"].slug, s["theirs"].slug
    return [("GET", f"/provider/services/{slug}/edit", None),
            ("GET", f"/provider/services/{slug}/edit/basics", None),
            ("POST", f"/provider/services/{slug}/edit/basics", _section_data("basics")),
            ("POST", f"/provider/services/{slug}/capacity", {"capacity_status": "full"}),
            ("POST", f"/provider/services/{slug}/verify", {}),
            ("POST", f"/provider/services/{slug}/submit", {}),
            ("GET", f"/provider/organisations/{org}/edit", None),
            ("POST", f"/provider/organisations/{org}/edit", {"name": "Hijacked"}),
            ("GET", f"/provider/organisations/{org}/services/new", None),
            ("POST", f"/provider/organisations/{org}/services/new", _section_data("basics"))]


def test_providers_never_touch_another_organisations_data(client, login, setup, db):
    login(setup["provider"])
    for method, path, data in provider_routes(setup):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path, response.status_code)
    db.session.refresh(setup["their_service"])
    assert setup["their_service"].capacity_status == "taking" and setup["theirs"].name == "Other Group"
    assert db.session.execute(select(Revision)).first() is None


@pytest.mark.parametrize("role, expected", [("spa", 403), ("translator", 403), ("partner", 403)])
def test_other_roles_cannot_use_the_portal(client, login, setup, build, role, expected):
    login(build.user(role))
    slug = setup["my_service"].slug
    assert client.get(f"/provider/services/{slug}/edit").status_code == expected
    assert client.post(f"/provider/services/{slug}/capacity", data={"capacity_status": "full"}).status_code == expected


def test_the_public_is_sent_to_sign_in(client, setup):
    assert client.get(f"/provider/services/{setup['my_service'].slug}/edit").status_code == 302
    posted = client.post(f"/provider/services/{setup['my_service'].slug}/verify")
    assert posted.status_code == 401 and "<h1 class=\"govuk-heading-xl\">Sign in</h1>" in posted.get_data(as_text=True)


def test_capacity_in_one_click_goes_live_and_is_kept_in_history(client, login, setup, db):
    login(setup["provider"])
    response = client.post(f"/provider/services/{setup['my_service'].slug}/capacity",
                           data={"capacity_status": "full", "capacity_note": "Full until March"})
    assert response.status_code == 302
    db.session.refresh(setup["my_service"])
    assert setup["my_service"].capacity_status == "full" and setup["my_service"].capacity_note == "Full until March"
    kinds = [r.kind for r in db.session.execute(select(Revision)).scalars()]
    assert kinds == ["published", "capacity"]  # the version live before, then the new one
    public = client.get(f"/services/{setup['my_service'].slug}").get_data(as_text=True)
    assert "Full until March" in public


def test_still_correct_sets_the_last_checked_date(client, login, setup, db):
    from datetime import timedelta

    from app.core.db import utcnow
    setup["my_service"].last_verified_at = utcnow() - timedelta(days=300)
    db.session.commit()
    login(setup["provider"])
    assert "Needs attention" in client.get("/provider/").get_data(as_text=True)
    client.post(f"/provider/services/{setup['my_service'].slug}/verify")
    db.session.refresh(setup["my_service"])
    assert (utcnow() - setup["my_service"].last_verified_at).total_seconds() < 60
    assert "Needs attention" not in client.get("/provider/").get_data(as_text=True)


def test_provider_edit_waits_for_a_manager_then_goes_live_and_searchable(client, login, setup, db):
    slug = setup["my_service"].slug
    login(setup["provider"])
    response = client.post(f"/provider/services/{slug}/edit/basics",
                           data=_section_data("basics", name="Tuesday lunch and chess club"))
    assert response.status_code == 302
    db.session.refresh(setup["my_service"])
    assert setup["my_service"].name == "Tuesday lunch club"  # not live yet
    assert search.query_index("chess").total == 0
    client.post("/sign-out")
    login(setup["manager"])
    revision = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    page = client.get(f"/manage/changes/{revision.id}").get_data(as_text=True)
    assert "Tuesday lunch club" in page and "Tuesday lunch and chess club" in page and "3 fields changed" in page
    assert client.post(f"/manage/changes/{revision.id}/approve").status_code == 302
    db.session.refresh(setup["my_service"])
    assert setup["my_service"].name == "Tuesday lunch and chess club"
    assert search.query_index("chess").total == 1


def test_sending_back_needs_a_reason_and_emails_the_provider(client, login, setup, db, smtp_server):
    login(setup["provider"])
    client.post(f"/provider/services/{setup['my_service'].slug}/edit/who", data=_section_data("who"))
    client.post("/sign-out")
    login(setup["manager"])
    revision = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    assert client.post(f"/manage/changes/{revision.id}/reject", data={"reason": ""}).status_code == 400
    assert client.post(f"/manage/changes/{revision.id}/reject",
                       data={"reason": "Please add the age range in words too."}).status_code == 302
    assert len(smtp_server) == 1 and smtp_server[0]["To"] == setup["provider"].email
    assert "Please add the age range" in smtp_server[0].get_payload(decode=True).decode()
    client.post("/sign-out")
    login(setup["provider"])
    assert "Please add the age range" in client.get("/provider/").get_data(as_text=True)


def test_every_section_validates_with_clear_messages(client, login, setup):
    login(setup["provider"])
    base = f"/provider/services/{setup['my_service'].slug}/edit"
    cases = [
        ("basics", {"name": "", "description": "", "categories": []}, "Enter the name"),
        ("basics", {"name": "x", "description": "y", "categories": ["talk-befriending", "food-meals", "money-debt",
                                                                  "active-yoga"]}, "no more than three"),
        ("who", {"languages": [], "min_age": "40", "max_age": "20"}, "oldest age must be"),
        ("who", {"languages": ["en"], "min_age": "abc"}, ""),
        ("contact", {"access_method": "drop_in", "cost_type": "free", "contact_name": "Jo"},
         "phone number or an email"),
        ("contact", {"access_method": "x", "cost_type": "free", "contact_name": "Jo", "contact_phone": "1"},
         "Enter a phone number"),
        ("where", {"formats": ["in_person"], "sessions-0-weekday": "2", "sessions-0-opens_at": "25:00"}, "24-hour"),
        ("where", {"formats": ["online"], "events-0-event_day": "45", "events-0-event_month": "13",
                   "events-0-event_year": "2026", "events-0-title": "Open day", "events-0-opens_at": "10:00",
                   "events-0-closes_at": "12:00"}, "Enter a real date"),
    ]
    for section, data, message in cases:
        response = client.post(f"{base}/{section}", data=data)
        assert response.status_code == 400, (section, data)
        assert message in response.get_data(as_text=True), (section, message)


def test_guided_new_listing_then_manager_publishes(client, login, setup, db):
    login(setup["provider"])
    response = client.post("/provider/organisations/fairfield/services/new",
                           data=_section_data("basics", name="Saturday art club"))
    service = db.session.execute(select(Service).where(Service.name == "Saturday art club")).scalar_one()
    assert response.headers["Location"].endswith(f"/provider/services/{service.slug}/edit/where?flow=new")
    loc_id = setup["mine"].locations[0].id
    steps = [("where", {**_section_data("where"), "locations": [str(loc_id)]}), ("who", _section_data("who")),
             ("contact", _section_data("contact"))]
    for section, data in steps:
        response = client.post(f"/provider/services/{service.slug}/edit/{section}?flow=new", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert client.get(f"/services/{service.slug}").status_code == 404  # a draft is private
    preview = client.get(f"/provider/services/{service.slug}/edit").get_data(as_text=True)
    assert "Send for approval" in preview and "Thursday" in preview
    client.post(f"/provider/services/{service.slug}/submit")
    sent = client.get(f"/provider/services/{service.slug}/edit").get_data(as_text=True)
    assert "You sent this new listing for approval on" in sent
    assert "Send for approval" not in sent and "until you send it for approval" not in sent  # no contradiction
    again = client.post(f"/provider/services/{service.slug}/submit", follow_redirects=True)
    assert "already waiting for the directory team" in again.get_data(as_text=True)
    assert len(db.session.execute(select(Revision).where(Revision.status == "pending")).scalars().all()) == 1
    client.post("/sign-out")
    login(setup["manager"])
    revision = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    assert revision.kind == "create"
    client.post(f"/manage/changes/{revision.id}/approve")
    assert client.get(f"/services/{service.slug}").status_code == 200
    assert search.query_index("art").total == 1


def test_revision_history_and_restore(client, login, setup, db):
    login(setup["manager"])
    slug = setup["my_service"].slug
    client.post(f"/provider/services/{slug}/edit/basics", data=_section_data("basics", name="Version two"))
    client.post(f"/provider/services/{slug}/edit/basics", data=_section_data("basics", name="Version three"))
    history = client.get(f"/manage/services/{slug}/history").get_data(as_text=True)
    assert history.count("Edited by a manager") == 2
    first = db.session.execute(select(Revision).where(Revision.kind == "manager_edit")
                               .order_by(Revision.id)).scalars().first()
    assert client.post(f"/manage/revisions/{first.id}/restore").status_code == 302
    db.session.refresh(setup["my_service"])
    assert setup["my_service"].name == "Version two"


def test_organisation_edit_and_places(client, login, setup, db):
    login(setup["provider"])
    response = client.post("/provider/organisations/fairfield/edit", data={
        "name": "Fairfield Community Hall", "website": "ftp://nope", "locations-0-address_1": "1 Road",
        "locations-0-postcode": "banana"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "starts with https://" in body and "real postcode" in body
    response = client.post("/provider/organisations/fairfield/edit", data={
        "name": "Fairfield Community Hall", "website": "https://fairfield.example",
        "locations-0-name": "Main hall", "locations-0-address_1": "1 Road", "locations-0-postcode": "nw5 1aa"})
    assert response.status_code == 302
    revision = db.session.execute(select(Revision)).scalar_one()
    assert revision.entity_type == "organisation" and revision.status == "pending"
    assert revision.snapshot["locations"][0]["postcode"] == "nw5 1aa"


def test_markdown_is_sanitised_on_the_public_page(client, login, setup, db):
    login(setup["manager"])
    client.post(f"/provider/services/{setup['my_service'].slug}/edit/basics", data=_section_data(
        "basics", description="**Hello** <script>alert(1)</script> [x](javascript:alert(2))"))
    body = client.get(f"/services/{setup['my_service'].slug}").get_data(as_text=True)
    assert "<strong>Hello</strong>" in body and "<script>alert" not in body and "javascript:" not in body


def test_report_a_problem_reaches_managers_and_providers(client, setup, db, smtp_server):
    slug = setup["my_service"].slug
    assert client.post(f"/services/{slug}/report", data={}).status_code == 400
    response = client.post(f"/services/{slug}/report", data={"problem": "times", "message": "Now on Wednesdays",
                                                             "email": "resident@example.org"})
    assert response.status_code == 302 and response.headers["Location"] == f"/services/{slug}/report/sent"
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you for telling us" in thanks and "the group have been told" in thanks
    # Reloading the thank-you page sends nothing again; it goes back to the (empty) form.
    assert client.get(f"/services/{slug}/report/sent").headers["Location"] == f"/services/{slug}/report"
    assert [m["To"] for m in smtp_server] == [setup["provider"].email]
    from app.directory.models import ProblemReport
    report = db.session.execute(select(ProblemReport)).scalar_one()
    assert report.reporter_email == "resident@example.org" and report.status == "open"


def test_a_real_address_is_placed_by_the_postcode_data_alone(client, login, setup, db):
    # The demo's deterministic jitter is for invented postcodes: a real place sits on its district's centre.
    from app.directory.models import Location
    from app.directory.postcodes import outward_centres
    login(setup["manager"])
    response = client.post("/provider/organisations/fairfield/edit", data={
        "name": "Fairfield Hall", "locations-0-name": "Main hall", "locations-0-address_1": "1 Road",
        "locations-0-postcode": "nw5 1aa"})
    assert response.status_code == 302
    place = db.session.execute(select(Location).where(Location.name == "Main hall")).scalar_one()
    centre = outward_centres()["NW5"]
    assert place.postcode == "NW5 1AA"
    assert (place.latitude, place.longitude) == (centre[0], centre[1])


@pytest.fixture
def commits(db):
    """How many times the session commits: one transaction per request."""
    from sqlalchemy import event
    count = []

    def counted(_session):
        count.append(1)
    event.listen(db.session, "after_commit", counted)
    yield count
    event.remove(db.session, "after_commit", counted)


def test_a_provider_edit_and_its_approval_each_commit_once(client, login, setup, db, commits):
    login(setup["provider"])
    commits.clear()
    response = client.post(f"/provider/services/{setup['my_service'].slug}/edit/who", data=_section_data("who"))
    assert response.status_code == 302 and len(commits) == 1
    client.post("/sign-out")
    login(setup["manager"])
    revision = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    commits.clear()
    assert client.post(f"/manage/changes/{revision.id}/approve").status_code == 302
    assert len(commits) == 1
    assert db.session.get(Revision, revision.id).status == "applied"


def test_a_forbidden_status_change_is_a_clear_message_not_a_server_error(client, login, setup, db):
    from bs4 import BeautifulSoup

    from app.directory import moderation
    service = setup["my_service"]
    assert service.status == "published"
    # A version from before it was published: restoring it would quietly make the listing a draft again.
    draft_snapshot = moderation.snapshot_service(service) | {"status": "draft", "name": "Old draft name"}
    old = moderation.record("service", service, service.organisation_id, draft_snapshot, "manager_edit",
                            setup["manager"])
    db.session.commit()
    login(setup["manager"])
    response = client.post(f"/manage/revisions/{old.id}/restore")
    assert response.status_code == 400
    error = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary")
    assert "A listing that is ‘Published’ cannot become ‘Draft’" in error.get_text()
    db.session.refresh(service)
    assert (service.status, service.name) == ("published", "Tuesday lunch club")


def test_a_change_dealt_with_cannot_be_approved_or_sent_back_again(client, login, setup, db):
    from bs4 import BeautifulSoup
    login(setup["provider"])
    client.post(f"/provider/services/{setup['my_service'].slug}/edit/who", data=_section_data("who"))
    client.post("/sign-out")
    login(setup["manager"])
    revision = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    assert client.post(f"/manage/changes/{revision.id}/approve").status_code == 302
    for action, data in (("approve", {}), ("reject", {"reason": "Too late"})):
        response = client.post(f"/manage/changes/{revision.id}/{action}", data=data)
        assert response.status_code == 400
        error = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary")
        assert "This change has already been dealt with" in error.get_text()
    assert db.session.get(Revision, revision.id).status == "applied"


def test_an_over_long_capacity_note_is_refused_with_the_text_kept(client, login, setup, db, html_page):
    login(setup["provider"])
    slug, note = setup["my_service"].slug, "Full until March. " + "x" * 1000
    dashboard = client.get("/provider/").get_data(as_text=True)
    assert 'name="capacity_note"' in dashboard and "maxlength" not in dashboard  # nothing cut off as it is typed
    response = client.post(f"/provider/services/{slug}/capacity", data={"capacity_status": "full",
                                                                         "capacity_note": note})
    page = html_page(response)
    assert response.status_code == 400 and page.title.startswith("Error:")
    assert "The note must be 300 characters or fewer" in page.text(".govuk-error-summary")
    assert page.select_one("#capacity_note")["value"] == note
    assert page.select_one("input[name=capacity_status][value=full]").has_attr("checked")  # kept too
    db.session.refresh(setup["my_service"])
    assert setup["my_service"].capacity_status == "taking" and not setup["my_service"].capacity_note
    response = client.post(f"/provider/services/{slug}/capacity", data={"capacity_note": "Soon"})
    assert response.status_code == 400 and "Choose one" in html_page(response).text(".govuk-error-summary")


def test_a_second_listing_of_the_same_name_is_warned_about(client, login, setup, db):
    login(setup["provider"])
    response = client.post("/provider/organisations/fairfield/services/new", data={
        "name": "tuesday  LUNCH club", "description": "Hot lunch.", "categories": ["food-meals"]},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Fairfield Hall already has a listing called ‘Tuesday lunch club’" in page
    response = client.post("/provider/organisations/fairfield/services/new", data={
        "name": "Thursday supper", "description": "Hot supper.", "categories": ["food-meals"]}, follow_redirects=True)
    assert "already has a listing called" not in response.get_data(as_text=True)


def test_a_draft_left_at_step_one_can_be_deleted_but_a_published_listing_cannot(client, login, setup, db):
    from app.core.audit import AuditEvent
    login(setup["provider"])
    client.post("/provider/organisations/fairfield/services/new", data={
        "name": "Abandoned idea", "description": "Maybe.", "categories": ["food-meals"]})
    draft = db.session.execute(select(Service).where(Service.name == "Abandoned idea")).scalar_one()
    slug = draft.slug
    assert f'href="/provider/services/{slug}/delete"' in client.get(f"/provider/services/{slug}/edit").get_data(
        as_text=True)
    confirm = client.get(f"/provider/services/{slug}/delete").get_data(as_text=True)
    assert "Yes, delete the draft" in confirm and "No, keep it" in confirm
    asked = client.post(f"/provider/services/{slug}/delete")  # no confirmation: asked again, nothing deleted
    assert "Yes, delete the draft" in asked.get_data(as_text=True)
    assert db.session.execute(select(Service).where(Service.slug == slug)).first() is not None
    response = client.post(f"/provider/services/{slug}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "The draft ‘Abandoned idea’ was deleted." in response.get_data(as_text=True)
    assert db.session.execute(select(Service).where(Service.slug == slug)).first() is None
    assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "draft_deleted")).scalar_one()
    published = setup["my_service"].slug
    assert f"/provider/services/{published}/delete" not in client.get(f"/provider/services/{published}/edit").get_data(
        as_text=True)
    assert client.get(f"/provider/services/{published}/delete").status_code == 404
    assert client.post(f"/provider/services/{published}/delete").status_code == 404
    assert client.post(f"/provider/services/{setup['their_service'].slug}/delete").status_code == 404
    assert db.session.execute(select(Service).where(Service.slug == published)).scalar_one()


def test_the_send_back_e_mail_links_to_the_providers_listings(client, login, setup, build, db, smtp_server, app):
    change = build.pending_change(setup["my_service"], setup["provider"], description="Now on Fridays too.")
    login(setup["manager"])
    response = client.post(f"/manage/changes/{change.id}/reject", data={"reason": "Which Friday?"})
    assert response.status_code == 302
    [message] = [m for m in smtp_server if m["To"] == setup["provider"].email]
    body = message.get_payload(decode=True).decode()
    assert "Which Friday?" in body and f"{app.config['SITE_URL']}/provider/" in body


def test_the_listing_summary_says_ages_plainly_and_shows_notes_and_what_to_do(client, login, setup, build, db):
    from datetime import date, time

    from app.directory.models import Schedule
    service = setup["my_service"]
    service.min_age, service.max_age, service.access_text = 18, None, "Ring the bell by the side door."
    service.schedules[0].note = "Not in August"
    db.session.commit()
    login(setup["provider"])
    page = client.get(f"/provider/services/{service.slug}/edit").get_data(as_text=True)
    assert "Ages 18 and over" in page and "18 – –" not in page
    assert "Not in August" in page and "Ring the bell by the side door." in page
    assert "12:00 to 14:00" in re.sub(r"<[^>]+>", "", page)  # times are kept left to right in <bdi>
    service.min_age = None
    db.session.add(Schedule(service=service, kind="event", event_date=date(2031, 5, 1), opens_at=time(10),
                            closes_at=time(11), title="Open day"))
    db.session.commit()
    page = client.get(f"/provider/services/{service.slug}/edit").get_data(as_text=True)
    assert "All ages" in page and "– – –" not in page and "Open day" in page


def test_still_correct_or_availability_on_a_draft_never_makes_it_look_published(client, login, setup, db):
    from app.directory.models import Revision
    login(setup["provider"])
    client.post("/provider/organisations/fairfield/services/new", data={
        "name": "Soup night", "description": "Soup.", "categories": ["food-meals"]})
    draft = db.session.execute(select(Service).where(Service.name == "Soup night")).scalar_one()
    dashboard = client.get("/provider/").get_data(as_text=True)
    card = dashboard.split("Soup night", 1)[1].split("hg-listing-row", 1)[0]
    assert "Needs attention" not in card and "Still correct" not in card and "not published yet" in card
    client.post(f"/provider/services/{draft.slug}/verify")
    client.post(f"/provider/services/{draft.slug}/capacity", data={"capacity_status": "full"})
    assert not db.session.execute(select(Revision).where(Revision.entity_id == draft.id,
                                                         Revision.kind == "verify")).first()
    page = client.get(f"/provider/services/{draft.slug}/edit").get_data(as_text=True)
    assert "Send for approval" in page and f"/provider/services/{draft.slug}/delete" in page
    assert client.get(f"/provider/services/{draft.slug}/delete").status_code == 200
