"""Who is filling in the form is asked first; every question after it is put to the right person."""
import pytest
from sqlalchemy import select

from app.selfreferral.models import Referral
from tests.conftest import HtmlPage
from tests.selfreferral.conftest import VALID

REFERRER = {"referrer_name": "Sam Worker", "referrer_phone": "020 7946 0123", "agreement": "y"}


def _as(client, route):
    client.post("/refer/start")
    response = client.post("/refer/who", data={"route": route})
    assert response.status_code == 302
    return response


def test_start_goes_to_who_is_filling_it_in_then_safety(client):
    assert client.post("/refer/start").headers["Location"] == "/refer/who"
    assert client.post("/refer/who", data={"route": "on_behalf"}).headers["Location"] == "/refer/safety"


@pytest.mark.parametrize("step, heading_or_label", [
    ("safety", "Are you safe right now?"), ("about", "About you"), ("contact", "How should we contact you?"),
    ("address", "Are you registered with a GP?"), ("needs", "What would you like help with?"),
    ("language", "Would you like an interpreter?"), ("equality", "What is your sex?"),
    ("wellbeing", "How you have been feeling (optional)"),
    ("consent", "share it with the partner services that support me"),
])
def test_someone_referring_themselves_is_asked_about_themselves(client, step, heading_or_label):
    _as(client, "self")
    page = HtmlPage(client.get(f"/refer/{step}"))
    assert heading_or_label in page.text("main")
    assert page.text(".govuk-caption-l").startswith("Refer yourself – step")
    for they in ("their sex", "Where do they live", "Are they registered", "they trust", "What would they"):
        assert they not in page.text("main")


@pytest.mark.parametrize("step, heading_or_label", [
    ("safety", "Is the person you are referring safe right now?"),
    ("about", "About the person who needs support"), ("contact", "Through a place or worker they trust"),
    ("address", "Are they registered with a GP?"), ("equality", "What is their sex?"),
    ("consent", "partner services that support the person"),
])
def test_a_helper_is_asked_about_the_person(client, step, heading_or_label):
    _as(client, "worker")
    page = HtmlPage(client.get(f"/refer/{step}"))
    assert heading_or_label in page.text("main")
    assert page.text(".govuk-caption-l").startswith("Refer someone else – step")
    assert "Refer someone else" in page.title
    assert "Are you safe" not in page.text("main") and "What is your" not in page.text("main")


def test_the_step_counter_is_right_for_both(client):
    _as(client, "self")
    assert HtmlPage(client.get("/refer/safety")).text(".govuk-caption-l") == "Refer yourself – step 2 of 10"
    assert HtmlPage(client.get("/refer/consent")).text(".govuk-caption-l") == "Refer yourself – step 10 of 10"
    client.post("/refer/who", data={"route": "on_behalf"})
    assert HtmlPage(client.get("/refer/safety")).text(".govuk-caption-l") == "Refer someone else – step 2 of 10"
    assert HtmlPage(client.get("/refer/referrer")).text(".govuk-caption-l") == "Refer someone else – step 3 of 10"


def test_error_messages_speak_to_the_right_person(client):
    _as(client, "on_behalf")
    assert "Select yes if they are safe right now" in client.post("/refer/safety", data={}).get_data(as_text=True)
    client.post("/refer/who", data={"route": "self"})
    body = client.post("/refer/address", data={}).get_data(as_text=True)
    assert "Select whether you have a GP" in body and "Select whether they have a GP" not in body


def test_a_helper_is_not_offered_the_wellbeing_scale(client, refer):
    refer({"who": {"route": "on_behalf"}}, stop_before="wellbeing")
    assert client.get("/refer/wellbeing").status_code == 302
    assert client.post("/refer/equality", data=VALID["equality"]).headers["Location"] == "/refer/consent"
    assert "How they have been feeling" not in client.get("/refer/check").get_data(as_text=True)


def test_no_score_is_stored_for_a_helper_even_if_answered_before_changing_who(client, db, refer, journey_token):
    refer()  # as themselves, the seven statements answered
    client.post("/refer/who?change=1", data={"route": "on_behalf"})
    client.post("/refer/referrer", data=REFERRER)
    client.post("/refer/send", data={"journey": journey_token()})
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.route == "on_behalf"
    assert referral.answers["swemwbs_score"] is None and "item1" not in referral.answers


def test_the_check_page_headings_follow_who_fills_it_in(client, refer):
    refer()
    titles = HtmlPage(client.get("/refer/check")).texts("h2.govuk-heading-m")
    assert "About you" in titles and "How should we contact you?" in titles
    refer({"who": {"route": "worker"}})
    titles = HtmlPage(client.get("/refer/check")).texts("h2.govuk-heading-m")
    assert "About the person who needs support" in titles and "Is the person you are referring safe right now?" \
        in titles


def test_only_the_required_message_changes_voice(client):
    _as(client, "self")
    body = client.post("/refer/about", data={"full_name": "x" * 121, "age": "30"}).get_data(as_text=True)
    assert "Name must be 120 characters or fewer" in body and "Enter your full name" not in body
    assert "Enter your full name" in client.post("/refer/about", data={"age": "30"}).get_data(as_text=True)


@pytest.mark.parametrize("route, heading, not_said", [
    ("self", "While you wait", "The person you referred"),
    ("on_behalf", "While they wait", "You can contact them yourself"),
    ("worker", "While they wait", "You can contact them yourself"),
])
def test_the_groups_to_try_while_waiting_are_offered_to_the_right_person(client, refer, journey_token, build,
                                                                           route, heading, not_said):
    build.service(name="Brookfield befriending", categories=("talk-befriending",))
    refer({"who": {"route": route}})
    client.post("/refer/send", data={"journey": journey_token()})
    page = HtmlPage(client.get("/refer/sent"))
    assert heading in page.texts("h2.govuk-heading-m")
    assert "Brookfield befriending" in page.text("ul.hg-cards")
    assert not_said not in page.text("main")
