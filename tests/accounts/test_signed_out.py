"""Someone whose session ends while they work (deactivated, signed out elsewhere, timed out) is told so on the
sign-in page, and what they had typed into a form is shown back to them to copy: it was not saved, never re-sent
on its own, and passwords and tokens are never shown."""
import pytest

from app.accounts import services

DESCRIPTION = "Our new autumn timetable, written carefully over an hour: lunch at 12, cards at 2."


@pytest.fixture
def provider(build, login, db):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Tuesday lunch club")
    user = build.user("provider", organisations=[org])
    login(user)
    return user, service


def _end_session(db, user):
    services.set_active(user, False)
    db.session.commit()


def test_a_form_sent_after_deactivation_comes_back_on_the_sign_in_page(client, db, provider, html_page):
    user, service = provider
    _end_session(db, user)
    url = f"/provider/services/{service.slug}/edit/basics"
    response = client.post(url, data={"name": "Tuesday lunch club", "description": DESCRIPTION,
                                      "categories": ["food-meals"]})
    assert response.status_code == 401
    page = html_page(response)
    assert "You have been signed out" in page.select_one(".govuk-notification-banner").get_text()
    typed = [t.get_text() for t in page.select("textarea[readonly]")]
    assert DESCRIPTION in typed and "Tuesday lunch club" in typed
    assert all(t.find_previous("label")["for"] == t["id"] for t in page.select("textarea[readonly]"))
    form = page.select_one("main form")
    assert form["action"] == f"/sign-in?next={url}"
    db.session.refresh(service)
    assert service.description != DESCRIPTION  # nothing was saved


def test_secrets_are_never_shown_back(client, db, provider, html_page):
    user, _service = provider
    _end_session(db, user)
    response = client.post("/account/password", data={"current": "my old secret words", "password": "new secret one",
                                                      "confirm": "new secret one", "csrf_token": "abc123token"})
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "my old secret words" not in body and "new secret one" not in body and "abc123token" not in body
    assert 'id="what-you-typed"' not in body


def test_a_page_opened_after_the_session_ended_says_so_once(client, db, provider):
    user, _service = provider
    _end_session(db, user)
    response = client.get("/provider/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=/provider/")
    first = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You have been signed out" in first and "Sign in again to carry on" in first
    assert "You have been signed out" not in client.get("/sign-in").get_data(as_text=True)


def test_a_visitor_who_never_signed_in_is_not_told_they_were_signed_out(app):
    visitor = app.test_client()
    response = visitor.get("/provider/")
    assert response.status_code == 302
    assert "You have been signed out" not in visitor.get(response.headers["Location"]).get_data(as_text=True)
    posted = visitor.post("/provider/services/x/capacity", data={"capacity_status": "full"})
    assert posted.status_code in (302, 400, 401)
    assert "You have been signed out" not in posted.get_data(as_text=True)


def test_signing_in_from_that_page_returns_to_the_form(client, db, provider, build):
    user, service = provider
    _end_session(db, user)
    url = f"/provider/services/{service.slug}/edit/basics"
    client.post(url, data={"description": DESCRIPTION})
    services.set_active(user, True)
    db.session.commit()
    response = client.post(f"/sign-in?next={url}", data={"email": user.email, "password": build.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == url
