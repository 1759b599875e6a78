"""Search in the site's other languages: the analysers, the translated category words, typo correction's page
text, and the distances note for postcodes."""
import re
from pathlib import Path

from app.directory.search.analysis import normalise_arabic, terms
from app.directory.search.spelling import edit_distance

ROOT = Path(__file__).resolve().parent.parent.parent


def test_arabic_is_normalised_before_stemming():
    # Short vowels, tatweel, alef with hamza and the definite article all go: one word each time.
    assert normalise_arabic("الطَّعَامُ") == "طعام"
    assert normalise_arabic("طـعـام") == "طعام"
    assert normalise_arabic("الإعانات") == normalise_arabic("اعانات") == "اعانات"
    assert normalise_arabic("وال") == "وال"  # too short to hold an article: left alone
    assert terms("ar", "الطعام") == terms("ar", "طعام") == terms("ar", "طَعَام")
    assert terms("ar", "الديون") == terms("ar", "ديون") == terms("ar", "والديون")
    assert terms("ar", "نصائح بشأن الديون")[-1] == terms("ar", "ديون")[0]


def test_each_language_has_its_analyser():
    assert terms("bn", "ঋণ বিষয়ে পরামর্শ") == ["ঋণ", "বিষয়ে", "পরামর্শ"]  # vowel signs stay inside words
    assert terms("pl", "długów") == terms("pl", "długi")  # Snowball's Polish stemmer
    assert terms("es", "deudas") == terms("es", "deuda")  # Whoosh's own Spanish stemmer
    assert terms("pt", "dívidas") == terms("pt", "dividas")  # accents folded
    assert terms("so", "Cuntada") == ["cuntada"]  # no stemmer: plain words
    assert terms("ar", "") == []


def test_a_swap_of_two_letters_is_one_slip():
    assert edit_distance("lonley", "lonely", 2) == 1
    assert edit_distance("anxeity", "anxiety", 2) == 1
    assert edit_distance("lonley", "long", 2) == 3
    assert edit_distance("a", "abcdef", 1) == 2


def _count(body):
    return re.search(r'hg-result-count" role="status">\s*([^<]*)', body).group(1).strip()


def test_a_category_word_in_another_language_finds_english_listings_marked_as_english(client, build):
    build.service(name="Debt clinic", categories=("money-debt",))
    build.service(name="Pantry", categories=("food-banks",))
    body = client.get("/search?q=ديون&lang=ar").get_data(as_text=True)
    assert "Debt clinic" in body and "Pantry" not in body
    assert 'lang="en"' in body and "hg-untranslated" in body
    body = client.get("/search?q=খাবার&lang=bn").get_data(as_text=True)
    assert "Pantry" in body and "Debt clinic" not in body
    # Arabic letters are searched in Arabic whatever the page's language.
    assert "Debt clinic" in client.get("/search?q=الديون&lang=en").get_data(as_text=True)


def test_a_misspelling_is_searched_as_the_real_word_and_the_original_offered(client, build):
    build.service(name="Telephone befriending", categories=("talk-befriending",))
    body = client.get("/search?q=lonley&lang=en").get_data(as_text=True)
    assert "Telephone befriending" in body
    assert "Showing results for <bdi><strong>lonely</strong></bdi>. Search instead for" in body
    assert 'href="/search?q=lonley&amp;exact=1">lonley</a>' in body
    exact = client.get("/search?q=lonley&exact=1&lang=en").get_data(as_text=True)
    assert "No listings matched your search" in exact and "Showing results for" not in exact
    assert "Did you mean:" in exact and ">lonely<" in exact


def test_the_corrected_search_is_said_in_arabic(client, build):
    build.service(name="Telephone befriending", categories=("talk-befriending",))
    body = client.get("/search?q=lonley&lang=ar").get_data(as_text=True)
    assert "Telephone befriending" in body
    assert "<strong>lonely</strong>" in body and 'href="/search?q=lonley&amp;exact=1">lonley</a>' in body
    assert "تظهر نتائج" in body and "ابحث بدلًا من ذلك عن" in body and "Showing results for" not in body
    assert "<bdi><strong>lonely</strong></bdi>" in body  # English words keep their own direction


def test_money_worries_finds_debt_advice(client, build):
    build.service(name="Debt advice appointments", categories=("money-debt",))
    build.service(name="Worry tree", description="Talk about your worries.", categories=("talk-peer-support",))
    body = client.get("/search?q=money+worries&lang=en").get_data(as_text=True)
    assert body.index("Debt advice appointments") < body.index("Worry tree") if "Worry tree" in body else True
    assert "Debt advice appointments" in body


def test_distances_from_an_unknown_full_postcode_say_they_are_from_the_district(client, build):
    org = build.organisation()
    build.service(organisation=org, name="Near hall", categories=("food-banks",))
    body = client.get("/search?q=food&near=NW5+1TL&sort=distance&lang=en").get_data(as_text=True)
    assert "Distances are from the centre of <bdi dir=\"ltr\">NW5</bdi>: we do not know where the postcode" in body
    assert "0.0 miles" not in body
    district = client.get("/search?q=food&near=NW5&lang=en").get_data(as_text=True)
    assert "Distances are from the centre of <bdi dir=\"ltr\">NW5</bdi>." in district


def test_a_known_full_postcode_measures_from_itself(client, build):
    org = build.organisation()
    build.service(organisation=org, name="Near hall", categories=("food-banks",))  # at NW5 2AB (the builder's)
    body = client.get("/search?q=food&near=NW5+2AB&sort=distance&lang=en").get_data(as_text=True)
    assert "Distances are from the centre" not in body
    assert "less than 0.1 miles away" in body
