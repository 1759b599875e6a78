from app.core.text import slugify


def test_slugs_are_lower_case_ascii_words():
    assert slugify("Café Chat & Tea") == "cafe-chat-tea"
    assert slugify("  Świetlica  dla   seniorów ") == "swietlica-dla-seniorow"


def test_other_scripts_are_transliterated_not_dropped():
    assert slugify("مجموعة القهوة") == "mjmw-h-lqhwh"
    assert slugify("চা চক্র") == "ca-ckr"


def test_nothing_to_spell_gives_the_fallback():
    assert slugify("!!!") == "listing"
    assert slugify("", fallback="fairfield-hall") == "fairfield-hall"
    assert len(slugify("a" * 500, max_length=80)) == 80
