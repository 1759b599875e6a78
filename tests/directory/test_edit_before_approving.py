"""A manager edits the proposed words of a change before approving it: their words go live, the provider's are
kept in the history, the provider is told, and conflicts, errors and permissions work as in a plain approval."""
import pytest
from sqlalchemy import select

from app.core import crypto
from app.core.audit import AuditEvent
from app.core.mail import OutboxMessage
from app.directory import search
from app.directory.models import Revision

PROPOSED = "Knitting and natter on Fridays, 10 till 12, in the back room. Everyone is welcome, bring wool."
EDITED = "Knitting and natter on Fridays, 10 till 12, in the back room. Everyone is welcome, bring yarn."


@pytest.fixture
def setup(build, db):
    service = build.service(name="Knit and natter", description="Knitting on Tuesdays.", contact_role="Organiser")
    provider = build.user("provider", email="knit@provider.example", organisations=[service.organisation])
    manager = build.user("manager", email="boss@manager.example")
    change = build.pending_change(service, provider, description=PROPOSED)
    return service, provider, manager, change


def _mail(db, kind):
    return [crypto.decrypt(m.envelope) for m in db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == kind)).scalars()]


def _actions(db):
    return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_the_change_page_offers_an_edit_page_with_the_proposed_words_and_their_limits(client, login, setup,
                                                                                      html_page):
    _service, _provider, manager, change = setup
    login(manager)
    page = client.get(f"/manage/changes/{change.id}").get_data(as_text=True)
    assert f'href="/manage/changes/{change.id}/edit"' in page and "Edit before approving" in page
    response = client.get(f"/manage/changes/{change.id}/edit")
    assert response.status_code == 200
    doc = html_page(response)
    textarea = doc.soup.select_one("textarea#description")
    assert textarea.get_text() == PROPOSED
    assert doc.soup.select_one(".govuk-character-count")["data-maxlength"] == "5000"
    assert doc.soup.select_one("#name") is None  # not proposed: not offered
    assert "Approve with my edits" in response.get_data(as_text=True)


def test_the_managers_words_go_live_and_both_are_kept_in_the_history(client, login, setup, db):
    service, provider, manager, change = setup
    login(manager)
    response = client.post(f"/manage/changes/{change.id}/edit", data={"description": EDITED})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.refresh(service)
    db.session.refresh(change)
    assert service.description == EDITED and change.status == "applied"
    assert change.snapshot["description"] == PROPOSED  # the provider's proposal, as they sent it
    assert change.edits == {"description": {"proposed": PROPOSED, "approved": EDITED}}
    assert change.after["description"] == EDITED and service.last_verified_at is not None
    assert search.query_index("yarn").total == 1 and search.query_index("wool").total == 0
    assert _actions(db)[-2:] == ["change_approve", "change_approve_edited"]
    history = client.get(f"/manage/services/{service.slug}/history").get_data(as_text=True)
    assert "Approved with changes by boss@manager.example" in history
    edits = history.split("What the manager changed before approving")[1]
    assert "<del>wool.</del>" in edits and "<ins>yarn.</ins>" in edits
    [message] = _mail(db, "approved_with_changes")
    assert message["to"] == provider.email and "approved with changes" in message["subject"]
    assert EDITED in message["body"]
    client.post("/sign-out")
    login(provider)
    dashboard = client.get("/provider/").get_data(as_text=True)
    assert "Your last change was approved with changes by the directory team to: Description." in dashboard


def test_words_over_the_providers_limit_are_refused_and_kept_as_typed(client, login, setup, db, html_page):
    service, _provider, manager, change = setup
    login(manager)
    typed = "x" * 5001
    response = client.post(f"/manage/changes/{change.id}/edit", data={"description": typed})
    assert response.status_code == 400
    doc = html_page(response)
    assert doc.title.startswith("Error:")
    assert "Description must be 5,000 characters or fewer" in doc.soup.select_one(".govuk-error-summary").get_text()
    assert doc.soup.select_one("textarea#description").get_text() == typed
    response = client.post(f"/manage/changes/{change.id}/edit", data={"description": "  "})
    assert response.status_code == 400 and "Enter a description" in response.get_data(as_text=True)
    db.session.refresh(change)
    db.session.refresh(service)
    assert change.status == "pending" and service.description == "Knitting on Tuesdays."
    assert "change_approve" not in _actions(db) and _mail(db, "approved_with_changes") == []


def test_unchanged_words_are_a_plain_approval(client, login, setup, db):
    service, _provider, manager, change = setup
    login(manager)
    assert client.post(f"/manage/changes/{change.id}/edit", data={"description": PROPOSED}).status_code == 302
    db.session.refresh(change)
    assert change.status == "applied" and change.edits == {} and service.description == PROPOSED
    assert "change_approve_edited" not in _actions(db) and _mail(db, "approved_with_changes") == []


def test_conflicts_still_need_a_choice_unless_the_manager_rewrote_the_field(client, login, build, db, html_page):
    service = build.service(name="Chair yoga", description="Gentle yoga.", contact_role="Teacher")
    provider = build.user("provider", organisations=[service.organisation])
    manager = build.user("manager")
    change = build.pending_change(service, provider, description="Gentle yoga, seated.", contact_role="Volunteer")
    login(manager)
    client.post(f"/provider/services/{service.slug}/edit/contact", data={
        "access_method": service.access_method, "cost_type": service.cost_type, "contact_name": service.contact_name,
        "contact_role": "Lead teacher", "contact_phone": service.contact_phone or "020 7946 0555"})
    db.session.refresh(service)
    assert service.contact_role == "Lead teacher"
    page = client.get(f"/manage/changes/{change.id}/edit").get_data(as_text=True)
    assert 'name="choice-contact_role"' in page and 'id="contact_role"' in page
    # Only the description reworded: the role still needs a choice, and what was typed is kept.
    response = client.post(f"/manage/changes/{change.id}/edit", data={
        "description": "Gentle yoga, sitting down.", "contact_role": "Volunteer"})
    assert response.status_code == 400
    doc = html_page(response)
    assert doc.title.startswith("Error:")
    assert "Choose which value to keep for Contact role" in doc.text(".govuk-error-summary")
    assert doc.soup.select_one("textarea#description").get_text() == "Gentle yoga, sitting down."
    db.session.refresh(change)
    assert change.status == "pending"
    # Keep the published role; the manager's description goes live.
    response = client.post(f"/manage/changes/{change.id}/edit", data={
        "description": "Gentle yoga, sitting down.", "contact_role": "Volunteer", "choice-contact_role": "published"})
    assert response.status_code == 302
    db.session.refresh(service)
    assert service.description == "Gentle yoga, sitting down." and service.contact_role == "Lead teacher"


def test_rewording_a_conflicting_field_is_the_managers_choice(client, login, build, db):
    service = build.service(name="Chair yoga", description="Gentle yoga.", contact_role="Teacher")
    provider = build.user("provider", organisations=[service.organisation])
    change = build.pending_change(service, provider, contact_role="Volunteer")
    service.contact_role = "Lead teacher"  # changed since the provider started
    db.session.commit()
    login(build.user("manager"))
    response = client.post(f"/manage/changes/{change.id}/edit", data={"contact_role": "Volunteer teacher"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.refresh(service)
    assert service.contact_role == "Volunteer teacher"


def test_an_organisation_change_can_be_edited_too(client, login, build, db):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    provider = build.user("provider", organisations=[org])
    login(provider)
    client.post("/provider/organisations/fairfield/edit", data={"name": "Fairfeild Hall", "description": "A hall."})
    client.post("/sign-out")
    change = db.session.execute(select(Revision).where(Revision.entity_type == "organisation",
                                                       Revision.status == "pending")).scalar_one()
    login(build.user("manager"))
    page = client.get(f"/manage/changes/{change.id}/edit").get_data(as_text=True)
    assert 'value="Fairfeild Hall"' in page
    assert client.post(f"/manage/changes/{change.id}/edit", data={
        "name": "Fairfield Hall", "description": "A hall."}).status_code == 302
    db.session.refresh(change)
    assert change.status == "applied" and org.name == "Fairfield Hall" and change.edits["name"]["proposed"] \
        == "Fairfeild Hall"


def test_a_change_already_dealt_with_or_missing_is_not_edited(client, login, setup, db):
    _service, _provider, manager, change = setup
    login(manager)
    assert client.post(f"/manage/changes/{change.id}/edit", data={"description": EDITED}).status_code == 302
    again = client.post(f"/manage/changes/{change.id}/edit", data={"description": "Something else entirely."})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/manage/changes/{change.id}")
    db.session.refresh(change)
    assert change.after["description"] == EDITED
    assert client.get("/manage/changes/999999/edit").status_code == 404


def test_only_managers_edit_a_change(client, login, setup, build):
    _service, provider, _manager, change = setup
    url = f"/manage/changes/{change.id}/edit"
    assert client.get(url).headers["Location"].startswith("/sign-in")
    login(provider)  # the change's own provider
    assert client.get(url).status_code == 403
    assert client.post(url, data={"description": "Mine now."}).status_code == 403
    client.post("/sign-out")
    login(build.user("translator"))
    assert client.post(url, data={"description": "Mine now."}).status_code == 403
