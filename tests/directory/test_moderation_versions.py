"""Managers' and providers' work is never lost: versions, conflicts, sent-back drafts, history and restore."""
import pytest
from sqlalchemy import select

from app.directory import history, moderation
from app.directory.models import Revision

LIVE_CONTACT = {"access_method": "self_refer", "cost_type": "free", "contact_name": "Alex Liaison",
                "contact_role": "Coordinator", "contact_phone": "020 7946 0999", "contact_email": "alex@org.example"}
LIVE_BASICS = {"name": "Tuesday lunch club", "description": "A friendly weekly group.",
               "categories": ["talk-befriending"]}


@pytest.fixture
def s(build):
    mine = build.organisation(name="Fairfield Hall", slug="fairfield")
    theirs = build.organisation(name="Other Group", slug="other")
    return {"mine": mine, "theirs": theirs,
            "service": build.service(organisation=mine, name="Tuesday lunch club", weekly=[(1, "12:00", "14:00")]),
            "provider": build.user("provider", organisations=[mine]),
            "other_provider": build.user("provider", organisations=[theirs]),
            "manager": build.user("manager")}


@pytest.fixture
def as_user(client, login):
    def _as(user):
        client.post("/sign-out")
        login(user)
        return client
    return _as


def _edit(client, service, section, **values):
    base = {"contact": LIVE_CONTACT, "basics": LIVE_BASICS}[section]
    response = client.post(f"/provider/services/{service.slug}/edit/{section}", data={**base, **values})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]


def _pending(db):
    return db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()


def test_the_issue_a_direct_edit_neither_publishes_a_waiting_change_nor_is_undone_by_it(s, as_user, db):
    service = s["service"]
    # 1. A provider changes a contact's role: the change waits.
    _edit(as_user(s["provider"]), service, "contact", contact_role="Volunteer lead")
    db.session.refresh(service)
    assert service.contact_role == "Coordinator"
    # 2. A manager edits the description directly: live at once, and the provider's change is not published.
    client = as_user(s["manager"])
    _edit(client, service, "basics", description="Lunch, then a quiz.")
    db.session.refresh(service)
    assert service.description == "Lunch, then a quiz."
    assert service.contact_role == "Coordinator"
    assert _pending(db).kind == "edit"  # still waiting
    # 3. The manager approves the provider's change: the manager's description stays.
    assert client.post(f"/manage/changes/{_pending(db).id}/approve").status_code == 302
    db.session.refresh(service)
    assert (service.description, service.contact_role) == ("Lunch, then a quiz.", "Volunteer lead")


def test_a_change_records_its_base_and_only_the_fields_it_proposes(s, as_user, db):
    service = s["service"]
    version = service.version
    _edit(as_user(s["provider"]), service, "contact", contact_role="Volunteer lead")
    change = _pending(db)
    assert change.base_version == version
    assert change.base == {"contact_role": "Coordinator"}
    assert moderation.proposed_values(change, moderation.snapshot_service(service)) == {
        "contact_role": "Volunteer lead"}


def test_the_manager_edit_form_shows_what_is_published_not_the_waiting_change(s, as_user, db):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", description="Provider's words.")
    page = as_user(s["manager"]).get(f"/provider/services/{service.slug}/edit/basics").get_data(as_text=True)
    assert "A friendly weekly group." in page and "Provider&#39;s words." not in page
    assert "A change from the provider is waiting for a check" in page


def _conflict(s, as_user, db):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", name="Tuesday lunch and chess", description="Provider's words.")
    client = as_user(s["manager"])
    _edit(client, service, "basics", description="Manager's words.")
    return client, service, _pending(db)


def test_a_conflict_is_shown_field_by_field_and_needs_a_choice(s, as_user, db, html_page):
    client, service, change = _conflict(s, as_user, db)
    page = html_page(client.get(f"/manage/changes/{change.id}"))
    assert page.text("#conflicts") == "Changed since the provider started"
    fieldset = page.select_one("fieldset").get_text(" ")
    assert "A friendly weekly group." in fieldset and "Manager's words." in fieldset and "Provider's words." in fieldset
    assert [i["value"] for i in page.select("input[name=choice-description]")] == ["published", "proposed"]
    assert page.select("input[name=choice-name]") == []  # the name was not changed since: no conflict
    assert page.select_one(f"a[href='/manage/services/{service.slug}/history']") is not None
    for choices in ({}, {"choice-description": "both"}):
        response = client.post(f"/manage/changes/{change.id}/approve", data=choices)
        assert response.status_code == 400
        page = html_page(response)
        assert page.title.startswith("Error:")
        assert page.text(".govuk-error-summary a") == "Choose which value to keep for Description"
        assert page.select_one(".govuk-error-summary a")["href"] == "#choice-description"
    db.session.refresh(service)
    assert (service.name, service.description) == ("Tuesday lunch club", "Manager's words.")
    assert db.session.get(Revision, change.id).status == "pending"


@pytest.mark.parametrize("choice, description", [("published", "Manager's words."),
                                                 ("proposed", "Provider's words.")])
def test_the_manager_chooses_per_field_and_the_other_fields_apply(s, as_user, db, choice, description):
    client, service, change = _conflict(s, as_user, db)
    response = client.post(f"/manage/changes/{change.id}/approve", data={"choice-description": choice})
    assert response.status_code == 302
    db.session.refresh(service)
    assert (service.name, service.description) == ("Tuesday lunch and chess", description)


def test_a_conflict_choice_survives_an_error_elsewhere_and_a_second_conflict(s, as_user, db, html_page):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", name="New name", description="Provider's words.")
    client = as_user(s["manager"])
    _edit(client, service, "basics", name="Manager name", description="Manager's words.")
    change = _pending(db)
    response = client.post(f"/manage/changes/{change.id}/approve", data={"choice-name": "proposed"})
    page = html_page(response)
    assert page.texts(".govuk-error-summary a") == ["Choose which value to keep for Description"]
    assert page.select_one("#choice-name-proposed").has_attr("checked")


def _org_form(org, **changes):
    """The organisation form as it arrives filled in with what is published, with these changes."""
    data = {name: getattr(org, name) for name in ("name", "description", "website", "email", "phone")}
    for n, loc in enumerate(org.locations):
        data.update({f"locations-{n}-{key}": getattr(loc, key) for key in ("name", "address_1", "town", "postcode")})
        data[f"locations-{n}-location_id"] = str(loc.id)
    return {**data, **changes}


def test_a_direct_edit_to_an_organisation_leaves_the_providers_change_waiting(s, as_user, db):
    org = s["mine"]
    client = as_user(s["provider"])
    assert client.post("/provider/organisations/fairfield/edit",
                       data=_org_form(org, phone="020 7946 0123")).status_code == 302
    client = as_user(s["manager"])
    form = client.get("/provider/organisations/fairfield/edit").get_data(as_text=True)
    assert "020 7946 0123" not in form  # the manager edits what is published
    assert client.post("/provider/organisations/fairfield/edit",
                       data=_org_form(org, description="A hall for everyone.")).status_code == 302
    db.session.refresh(org)
    assert (org.description, org.phone) == ("A hall for everyone.", "020 7946 0001")
    change = _pending(db)
    assert change.entity_type == "organisation"
    assert client.post(f"/manage/changes/{change.id}/approve").status_code == 302
    db.session.refresh(org)
    assert (org.description, org.phone) == ("A hall for everyone.", "020 7946 0123")


# --- sent back -------------------------------------------------------------------------------------------------

def _send_back(client, change, reason="Please say who the role is for."):
    assert client.post(f"/manage/changes/{change.id}/reject", data={"reason": reason}).status_code == 302


def test_a_sent_back_change_stays_the_providers_draft_and_is_sent_again(s, as_user, db, html_page):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "contact", contact_role="Volunteer lead")
    change = _pending(db)
    _send_back(as_user(s["manager"]), change)
    assert db.session.get(Revision, change.id).status == "sent_back"
    client = as_user(s["provider"])
    dashboard = html_page(client.get("/provider/"))
    assert "Please say who the role is for." in dashboard.text(".hg-listing-row .govuk-inset-text")
    form = html_page(client.get(f"/provider/services/{service.slug}/edit/contact"))
    assert form.select_one("#contact_role")["value"] == "Volunteer lead"  # the draft, not the published value
    assert "Please say who the role is for." in form.text("#sent-back")
    overview = html_page(client.get(f"/provider/services/{service.slug}/edit"))
    assert "Please say who the role is for." in overview.text("#sent-back")
    assert "Volunteer lead" in overview.text("main")
    # The provider edits another section: the kept change goes with it, and is sent again.
    _edit(client, service, "basics", description="Lunch for over-60s.")
    assert db.session.get(Revision, change.id).status == "superseded"
    again = _pending(db)
    assert again.base == {"contact_role": "Coordinator", "description": "A friendly weekly group."}
    assert "#sent-back" not in client.get(f"/provider/services/{service.slug}/edit").get_data(as_text=True)
    assert client.post(f"/manage/changes/{again.id}/approve").status_code == 403  # providers never approve
    assert as_user(s["manager"]).post(f"/manage/changes/{again.id}/approve").status_code == 302
    db.session.refresh(service)
    assert (service.contact_role, service.description) == ("Volunteer lead", "Lunch for over-60s.")


def test_the_reason_for_a_sent_back_organisation_change_shows_on_the_dashboard(s, as_user, db, html_page):
    client = as_user(s["provider"])
    client.post("/provider/organisations/fairfield/edit", data=_org_form(s["mine"], phone="020 7946 0123"))
    _send_back(as_user(s["manager"]), _pending(db), reason="Is that the office or the hall?")
    client = as_user(s["provider"])
    dashboard = html_page(client.get("/provider/"))
    assert "Is that the office or the hall?" in dashboard.text(".hg-org .govuk-inset-text")
    form = html_page(client.get("/provider/organisations/fairfield/edit"))
    assert form.select_one("#phone")["value"] == "020 7946 0123"
    assert "Is that the office or the hall?" in form.text("#sent-back")


def test_another_organisations_provider_never_sees_a_sent_back_draft(s, as_user, db):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "contact", contact_role="Volunteer lead")
    _send_back(as_user(s["manager"]), _pending(db), reason="Secret reason for Fairfield")
    client = as_user(s["other_provider"])
    assert client.get(f"/provider/services/{service.slug}/edit").status_code == 404
    assert client.get(f"/provider/services/{service.slug}/edit/contact").status_code == 404
    assert "Secret reason" not in client.get("/provider/").get_data(as_text=True)


# --- history and restore -------------------------------------------------------------------------------------------

def test_history_lists_values_before_and_after_in_the_order_they_went_live(s, as_user, db, html_page):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "contact", contact_role="Volunteer lead")  # sent first...
    client = as_user(s["manager"])
    _edit(client, service, "basics", description="Lunch, then a quiz.")  # ...but this went live first
    client.post(f"/manage/changes/{_pending(db).id}/approve")
    page = html_page(client.get(f"/manage/services/{service.slug}/history"))
    headings = page.texts(".hg-listing-row h3")
    assert [h.split(" – ")[0] for h in headings] == [
        "Version 3: Edited by the provider", "Version 2: Edited by a manager", "Version 1: First published version"]
    rows = [[" ".join(td.get_text(" ").split()) for td in tr.select("th, td")]
            for tr in page.select(".hg-listing-row tbody tr")]
    assert rows == [["Contact role", "Coordinator", "Volunteer lead"],
                    ["Description", "A friendly weekly group.", "Lunch, then a quiz."]]


def test_checked_as_still_correct_is_a_verification_entry_with_no_field_changes(s, as_user, db, html_page):
    service = s["service"]
    as_user(s["provider"]).post(f"/provider/services/{service.slug}/verify")
    entries = history.entries("service", service.id)
    assert [(e.revision.kind, e.changes, e.is_version) for e in entries] == [("verify", [], False)]
    page = html_page(as_user(s["manager"]).get(f"/manage/services/{service.slug}/history"))
    assert "Nothing changed: the listing was checked and is still correct." in page.text(".hg-listing-row")
    assert page.select(".hg-listing-row table") == [] and "Restore" not in page.text("main")


def test_the_first_published_version_is_recorded_so_the_first_edit_can_be_undone(s, as_user, db, html_page):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", description="First edit.")
    client = as_user(s["manager"])
    client.post(f"/manage/changes/{_pending(db).id}/approve")
    first = db.session.execute(select(Revision).where(Revision.kind == "published")).scalar_one()
    assert first.after["description"] == "A friendly weekly group." and first.version == 1
    page = html_page(client.get(f"/manage/services/{service.slug}/history"))
    restore = page.select_one(f"a[href='/manage/revisions/{first.id}/restore']")
    assert restore is not None
    assert client.post(f"/manage/revisions/{first.id}/restore").status_code == 302
    db.session.refresh(service)
    assert service.description == "A friendly weekly group." and service.version == 3


def test_publishing_a_new_listing_records_its_first_version(s, as_user, db):
    client = as_user(s["manager"])
    client.post("/provider/organisations/fairfield/services/new", data={**LIVE_BASICS, "name": "Art club"})
    from app.directory.models import Service
    service = db.session.execute(select(Service).where(Service.name == "Art club")).scalar_one()
    client.post(f"/provider/services/{service.slug}/submit")
    kinds = [(e.revision.kind, e.first) for e in history.entries("service", service.id)]
    assert kinds == [("create", False)] and history.entries("service", service.id)[0].changes[0][0] == "status"


def test_restore_previews_what_it_changes_and_names_later_approved_work(s, as_user, db, html_page):
    service = s["service"]
    client = as_user(s["manager"])
    _edit(client, service, "basics", description="Version two words.")
    _edit(client, service, "contact", contact_role="Volunteer lead")
    first = db.session.execute(select(Revision).where(Revision.kind == "published")).scalar_one()
    before = db.session.execute(select(Revision).order_by(Revision.id)).scalars().all()
    page = html_page(client.get(f"/manage/revisions/{first.id}/restore"))
    assert page.status_code == 200
    rows = [[" ".join(c.get_text(" ").split()) for c in tr.select("th, td")] for tr in page.select("tbody tr")]
    assert rows[0][:3] == ["Description", "Version two words.", "A friendly weekly group."]
    assert rows[1][:3] == ["Contact role", "Volunteer lead", "Coordinator"]
    assert "Edited by a manager (Version 3)" in rows[1][3] and "Version 2" not in rows[1][3]
    assert "changed by later versions" in page.text(".govuk-warning-text")
    db.session.refresh(service)
    assert service.description == "Version two words."  # a preview changes nothing
    assert client.post(f"/manage/revisions/{first.id}/restore").status_code == 302
    db.session.refresh(service)
    assert (service.description, service.contact_role) == ("A friendly weekly group.", "Coordinator")
    after = db.session.execute(select(Revision).order_by(Revision.id)).scalars().all()
    assert len(after) == len(before) + 1 and after[-1].kind == "restore"  # a new version: nothing deleted


def test_only_published_versions_can_be_restored(s, as_user, db, html_page):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", description="Waiting words.")
    as_user(s["provider"]).post(f"/provider/services/{service.slug}/verify")
    client = as_user(s["manager"])
    verify = db.session.execute(select(Revision).where(Revision.kind == "verify")).scalar_one()
    for revision in (_pending(db), verify):
        for method in ("GET", "POST"):
            response = client.open(f"/manage/revisions/{revision.id}/restore", method=method)
            assert response.status_code == 400
            assert "Only a version that was published can be restored" in html_page(response).text(
                ".govuk-error-summary")
    db.session.refresh(service)
    assert service.description == "A friendly weekly group."


def test_only_managers_approve_restore_or_read_history(s, as_user, db):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", description="Waiting words.")
    change = _pending(db)
    client = as_user(s["provider"])
    for method, path in (("POST", f"/manage/changes/{change.id}/approve"), ("GET", f"/manage/changes/{change.id}"),
                         ("GET", f"/manage/revisions/{change.id}/restore"),
                         ("GET", f"/manage/services/{service.slug}/history")):
        assert client.open(path, method=method).status_code == 403, path
    assert db.session.get(Revision, change.id).status == "pending"


def test_approving_and_restoring_need_the_forms_csrf_token(s, as_user, db, app, monkeypatch):
    service = s["service"]
    _edit(as_user(s["provider"]), service, "basics", description="Waiting words.")
    change = _pending(db)
    client = as_user(s["manager"])
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"/manage/changes/{change.id}/approve", data={"choice-description": "proposed"})
    assert response.status_code == 400 and "Your form could not be sent" in response.get_data(as_text=True)
    first = db.session.execute(select(Revision).where(Revision.kind == "published")).first()
    assert first is None  # nothing went live
    assert db.session.get(Revision, change.id).status == "pending"


def test_values_that_say_the_same_thing_are_not_changes():
    tuesday = {"kind": "weekly", "weekday": 1, "opens_at": "12:00", "closes_at": "14:00"}
    open_day = {"kind": "event", "weekday": None, "event_date": "2027-01-09", "opens_at": "10:00", "closes_at": "12:00"}
    assert moderation.same("schedules", [open_day, tuesday], [tuesday, open_day])
    assert moderation.same("languages", ["en", "bn"], ["bn", "en"]) and moderation.same("audience", [], None)
    assert moderation.same("min_age", None, "") and not moderation.same("min_age", 0, None)
    assert not moderation.same("schedules", [tuesday], [tuesday | {"closes_at": "15:00"}])
    assert not moderation.same("description", "Lunch.", "Lunch!")


def test_sent_back_opening_times_come_back_in_the_form(s, as_user, db, html_page):
    service = s["service"]
    client = as_user(s["provider"])
    response = client.post(f"/provider/services/{service.slug}/edit/where", data={
        "formats": ["in_person"], "locations": [str(service.locations[0].id)], "sessions-0-weekday": "4",
        "sessions-0-opens_at": "18:00", "sessions-0-closes_at": "20:30"})
    assert response.status_code == 302
    change = _pending(db)
    assert set(change.base) == {"schedules"}  # places and formats were as published
    _send_back(as_user(s["manager"]), change, reason="Is it every Friday?")
    form = html_page(as_user(s["provider"]).get(f"/provider/services/{service.slug}/edit/where"))
    assert form.select_one("#sessions-0-weekday option[selected]")["value"] == "4"
    assert form.select_one("#sessions-0-opens_at")["value"] == "18:00"
    db.session.refresh(service)
    assert [(x.weekday, x.opens_at.strftime("%H:%M")) for x in service.weekly_sessions] == [(1, "12:00")]
