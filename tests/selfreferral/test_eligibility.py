"""Who the service is for: age 16 and over, by age or by date of birth; people with a link to the borough."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.selfreferral import eligibility
from app.selfreferral.models import Referral
from tests.conftest import HtmlPage

TODAY = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _about(client, refer, frozen_clock, **answers):
    frozen_clock(TODAY)
    refer(stop_before="about")
    return client.post("/refer/about", data={"full_name": "Sam Young", **answers})


@pytest.mark.parametrize("answers", [
    {"dob_day": "1", "dob_month": "1", "dob_year": "2015"},  # 11 years old
    {"dob_day": "2", "dob_month": "12", "dob_year": "2010"},  # 16 tomorrow
    {"age": "15"},
    {"age": "0"},
])
def test_under_16s_are_refused_and_pointed_to_childrens_services(app, client, refer, frozen_clock, answers):
    response = _about(client, refer, frozen_clock, **answers)
    assert response.status_code == 400
    page = HtmlPage(response)
    assert "This service is for people aged 16 and over" in page.text(".govuk-error-summary")
    box = page.text("#children-services")
    assert app.config["CHILDREN_SERVICES_PHONE"] in box and "Childline" in box and "0800 1111" in box
    assert page.select_one(f'#children-services a[href="{app.config["CHILDREN_SERVICES_URL"]}"]') is not None
    assert page.select_one("#full_name")["value"] == "Sam Young"  # what they typed is kept


@pytest.mark.parametrize("answers", [{"dob_day": "1", "dob_month": "12", "dob_year": "2010"}, {"age": "16"}])
def test_16_today_is_accepted(client, refer, frozen_clock, answers):
    assert _about(client, refer, frozen_clock, **answers).status_code == 302


def test_the_childrens_service_is_a_setting(app, client, refer, frozen_clock):
    old = app.config["CHILDREN_SERVICES_NAME"], app.config["CHILDREN_SERVICES_PHONE"]
    app.config.update(CHILDREN_SERVICES_NAME="Camden Minds Youth", CHILDREN_SERVICES_PHONE="020 7946 0555")
    try:
        box = HtmlPage(_about(client, refer, frozen_clock, age="12")).text("#children-services")
    finally:
        app.config["CHILDREN_SERVICES_NAME"], app.config["CHILDREN_SERVICES_PHONE"] = old
    assert "Camden Minds Youth" in box and "020 7946 0555" in box


@pytest.mark.parametrize("born, age", [(date(2010, 12, 1), 16), (date(2010, 12, 2), 15), (date(2008, 2, 29), 18),
                                       (date(2015, 1, 1), 11)])
def test_age_on(born, age):
    assert eligibility.age_on(born, date(2026, 12, 1)) == age


# The borough

def _address(client, refer, **answers):
    refer(stop_before="address")
    return client.post("/refer/address", data={"has_gp": "yes", "address_line1": "1 Palace Road", **answers})


def test_an_address_outside_the_borough_asks_which_link_applies(client, refer):
    response = _address(client, refer, postcode="SW1A 1AA")
    assert response.status_code == 400
    page = HtmlPage(response)
    assert "outside Camden" in page.text("#outside-borough")
    assert "Which of these applies to you?" in page.text("main")
    assert [label for label in page.texts("label") if "Camden" in label or label == "None of these"] == [
        "I live in Camden", "I am registered with a GP in Camden", "I have no fixed address and stay in Camden",
        "None of these"]
    assert "Select which of these applies" in page.text(".govuk-error-summary")
    assert page.select_one("#postcode")["value"] == "SW1A 1AA"


def test_a_link_to_the_borough_lets_the_referral_through(client, db, refer, journey_token):
    refer({"address": {"postcode": "SW1A 1AA", "connection": "gp"}})
    client.post("/refer/send", data={"journey": journey_token()})
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.answers["connection"] == "gp" and referral.neighbourhood_code == ""


def test_no_link_to_the_borough_is_signposted_and_cannot_be_sent(client, refer):
    response = _address(client, refer, postcode="SW1A 1AA", connection="none")
    assert response.headers["Location"] == "/refer/outside-area"
    page = HtmlPage(client.get("/refer/outside-area"))
    assert "This service is for people in Camden" in page.heading
    assert "NHS 111" in page.text("main") and page.select_one('a[href*="talking-therapies"]') is not None
    assert page.select_one('a.govuk-button[href="/refer/address"]') is not None
    for step in ("needs", "language", "equality", "wellbeing", "consent"):
        client.post(f"/refer/{step}", data={"consent": "y", "interpreter": "no"})
    assert client.get("/refer/check").headers["Location"] == "/refer/address"


@pytest.mark.parametrize("answers", [{"postcode": "NW5 2AB"}, {"postcode": "WC1H 9AA"}, {"postcode": ""},
                                     {"postcode": "SW1A 1AA", "no_fixed_address": "y"}])
def test_borough_postcodes_and_no_fixed_address_are_not_asked(client, refer, answers):
    response = _address(client, refer, **answers)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_changing_to_a_borough_postcode_forgets_the_link(client, db, refer, journey_token):
    refer({"address": {"postcode": "SW1A 1AA", "connection": "lives"}})
    client.post("/refer/address?change=1", data={"postcode": "NW5 2AB", "has_gp": "yes", "connection": "lives"})
    client.post("/refer/send", data={"journey": journey_token()})
    referral = db.session.execute(select(Referral)).scalar_one()
    assert referral.answers["connection"] == "" and referral.neighbourhood_code == "kentish-town"


def test_outside_borough(app):
    assert eligibility.outside_borough("SW1A 1AA") and eligibility.outside_borough("NW10 1AA")
    assert not eligibility.outside_borough("nw5 2ab") and not eligibility.outside_borough("")
    assert not eligibility.outside_borough("banana")
