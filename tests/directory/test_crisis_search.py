"""Searches that read like someone in crisis put urgent help above the results, in every language."""
import pytest

from app.directory.search import crisis, is_crisis
from tests.conftest import HtmlPage


@pytest.mark.parametrize("text", [
    "suicidal", "I want to kill myself", "overdose", "self harm", "Self-harm", "end my life",
    "انتحار",  # Arabic: suicide
    "আত্মহত্যা",  # Bengali: suicide
    "waxaan rabaa inaan dhinto",  # Somali: I want to die
    "quiero morir",  # Spanish: I want to die
    "Quero me matar",  # Portuguese: I want to kill myself
    "myśli samobójcze",  # Polish: suicidal thoughts
])
def test_crisis_searches_show_urgent_help_above_the_results(client, build, text):
    build.service(name="Brookfield befriending", categories=("talk-befriending",))
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 200
    page = HtmlPage(response)
    box = page.select_one("#crisis-help")
    assert box is not None, text
    for number in ("999", "111", "116 123"):
        assert number in box.get_text()
    html = str(page.soup)
    assert html.index('id="crisis-help"') < html.index('id="results"') < html.index("hg-urgent\"")


@pytest.mark.parametrize("text", ["", "gardening", "food bank", "self help", "harmony choir", "dishwasher",
                                  "kill", "die casting", "matar el tiempo"])
def test_other_searches_do_not(client, text):
    assert HtmlPage(client.get("/search", query_string={"q": text})).select_one("#crisis-help") is None


def test_the_box_shows_in_the_page_language_too(client):
    page = HtmlPage(client.get("/search", query_string={"q": "suicidio", "lang": "es"}))
    assert page.select_one("html")["lang"] == "es" and page.select_one("#crisis-help") is not None


@pytest.mark.parametrize("typed, same_as", [
    ("SUICÍDIO", "suicidio"), ("أريد أن أموت", "اريد ان اموت"), ("والانتحار", "انتحار"), ("Zabić się!", "zabic sie"),
    ("jarcaada xad-dhaafka", "jarcaada xad dhaafka"), ("autolesión", "autolesion"),
])
def test_case_accents_diacritics_and_punctuation_do_not_matter(typed, same_as):
    assert crisis.words(typed) == crisis.words(same_as)


def test_every_language_has_terms_and_each_term_matches_itself():
    import json
    data = json.loads(crisis.DATA_FILE.read_text(encoding="utf-8"))["terms"]
    assert set(data) == {"en", "ar", "bn", "so", "es", "pt", "pl"}
    for language, terms in data.items():
        assert terms, language
        for term in terms:
            assert is_crisis(term.rstrip("*")), (language, term)
