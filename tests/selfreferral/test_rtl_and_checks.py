"""Right-to-left pages keep numbers, references and addresses in order; the referral's weaker checks."""
import re
from datetime import datetime

import pytest
from bs4 import BeautifulSoup

from app.core import validation
from tests.conftest import HtmlPage

# Phone-like numbers in parts, times, e-mail addresses and references: what reverses in right-to-left text.
LTR_RUN = re.compile(r"HG-[A-Z0-9-]+|[\w.+-]+@[\w-]+\.[\w.]+|\+?\d+(?:[ :.–-]\d+)+")
ISOLATING = {"hg-number", "hg-reference"}


def unisolated(html):
    """Each left-to-right run in the page's text that is not inside <bdi> or an isolating class."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "title", "head"]):
        hidden.decompose()
    found = []
    for node in soup.find_all(string=True):
        if any(p.name == "bdi" or ISOLATING & set(p.get("class") or []) for p in node.parents):
            continue
        found += LTR_RUN.findall(str(node))
    return found


def test_unisolated_finds_what_is_not_wrapped():
    assert unisolated('<p>اتصل 07700 900321 أو <bdi dir="ltr">116 123</bdi></p>') == ["07700 900321"]
    assert unisolated('<p><span class="hg-number">HG-ABC234</span> HG-XYZ789</p>') == ["HG-XYZ789"]


@pytest.mark.parametrize("now", [datetime(2026, 12, 1, 11, 0), datetime(2026, 12, 1, 19, 30)],
                         ids=["in-hours", "out-of-hours"])
def test_arabic_journey_pages_isolate_every_number_and_reference(client, refer, journey_token, frozen_clock, now):
    frozen_clock(now)  # out of hours the pages also say when the team next looks, with a time
    client.get("/?lang=ar")
    refer({"contact": {"phone": "07700 900321"}})
    check = client.get("/refer/check")
    assert check.status_code == 200 and 'dir="rtl"' in check.get_data(as_text=True)
    body = check.get_data(as_text=True)
    assert "07700 900321" in body and "amina@example.org" in body
    assert unisolated(body) == []
    client.post("/refer/send", data={"journey": journey_token()})
    sent = client.get("/refer/sent").get_data(as_text=True)
    assert re.search(r"HG-[A-Z0-9]+", sent)
    assert unisolated(sent) == []
    for path in ("/refer/urgent", "/refer/contact"):
        assert unisolated(client.get(path).get_data(as_text=True)) == [], path


@pytest.mark.parametrize("lang", ["so", "ar", "bn"])
def test_the_preferred_language_starts_as_the_interface_language(client, refer, lang):
    client.get(f"/?lang={lang}")
    refer(stop_before="language")
    page = HtmlPage(client.get("/refer/language"))
    assert page.select_one("#preferred_language option[selected]")["value"] == lang


def test_an_answer_given_wins_over_the_interface_language(client, refer):
    client.get("/?lang=so")
    refer(stop_before="equality")  # answered Bengali
    page = HtmlPage(client.get("/refer/language"))
    assert page.select_one("#preferred_language option[selected]")["value"] == "bn"


def test_in_english_the_preferred_language_starts_as_english(client, refer):
    refer(stop_before="language")
    page = HtmlPage(client.get("/refer/language"))
    assert page.select_one("#preferred_language option[selected]")["value"] == "en"


@pytest.mark.parametrize(("raw", "person", "service"), [
    ("12345", None, None), ("0770090", None, None), ("07700 90", None, None),
    ("07700 900982", "07700 900982", "07700 900982"),  # drama range: real-shaped, kept for examples
    ("020 7946 0000", "020 7946 0000", "020 7946 0000"), ("0300 123 4567", "0300 123 4567", "0300 123 4567"),
    ("+44 7400 123456", "+44 7400 123456", "+44 7400 123456"),
    ("+44 7700 900123", "+44 7700 900123", "+44 7700 900123"),
    ("116 123", None, "116 123"), ("111", None, "111"), ("999", None, "999"),
])
def test_a_persons_phone_must_be_a_real_number_service_numbers_only_for_services(raw, person, service):
    assert validation.uk_phone(raw) == person
    assert validation.uk_service_phone(raw) == service


@pytest.mark.parametrize("phone", ["12345", "0770090", "116 123"])
def test_the_contact_page_refuses_a_number_that_cannot_be_theirs(client, phone):
    client.post("/refer/start")
    response = client.post("/refer/contact", data={"methods": ["phone"], "phone": phone, "leave_message": "no"})
    assert response.status_code == 400
    page = HtmlPage(response)
    assert "Enter a phone number, like" in page.text("#phone-error")
    assert page.select_one("#phone")["value"] == phone


@pytest.mark.parametrize(("start", "end"), [("18:00", "09:00"), ("10:00", "10:00")])
def test_a_contact_window_must_end_after_it_starts(client, start, end):
    client.post("/refer/start")
    response = client.post("/refer/contact", data={"methods": ["phone"], "phone": "07700 900982",
                                                   "not_before": start, "not_after": end, "leave_message": "no"})
    assert response.status_code == 400
    page = HtmlPage(response)
    assert "must be later than the time not to call before" in page.text("#not_after-error")
    assert page.select_one("#not_before")["value"] == start and page.select_one("#not_after")["value"] == end
    assert page.select_one('.govuk-error-summary a[href="#not_after"]')


def test_a_contact_window_the_right_way_round_is_accepted(client):
    client.post("/refer/start")
    response = client.post("/refer/contact", data={"methods": ["phone"], "phone": "07700 900982",
                                                   "not_before": "09:00", "not_after": "18:00", "leave_message": "no"})
    assert response.status_code == 302


def test_long_answers_have_a_character_count_that_works_without_javascript(client):
    client.post("/refer/start")
    page = HtmlPage(client.get("/refer/needs"))
    count = page.select_one('[data-module="govuk-character-count"]:has(#own_words)')
    assert count["data-maxlength"] == "3000"
    assert "You can enter up to 3,000 characters" in page.text("#own_words-info")
    assert "own_words-info" in page.select_one("#own_words")["aria-describedby"]
    assert not page.select_one("#own_words").has_attr("maxlength")  # nothing typed is cut off
    typed = "word " * 700  # 3,500 characters
    response = client.post("/refer/needs", data={"own_words": typed})
    assert response.status_code == 400
    page = HtmlPage(response)
    assert "3,000 characters or fewer" in page.text("#own_words-error")
    assert page.select_one("#own_words").text == typed


def test_the_character_count_speaks_the_page_language(client):
    client.get("/?lang=ar")
    client.post("/refer/start")
    page = HtmlPage(client.get("/refer/needs"))
    count = page.select_one('[data-module="govuk-character-count"]:has(#own_words)')
    assert "%{count}" in count["data-i18n.characters-under-limit.other"]
