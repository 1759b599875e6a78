from datetime import date, time

import pytest

from app.core.templating import format_date, format_time, weekday_name

STARTER = ("ar", "bn", "so", "es", "pt", "pl")


def _html_tag(response):
    body = response.get_data(as_text=True)
    return body[body.index("<html"):body.index(">", body.index("<html"))]


@pytest.mark.parametrize("lang", STARTER)
def test_explicit_choice_sets_lang_and_is_remembered(client, lang):
    response = client.get(f"/?lang={lang}")
    assert f'lang="{lang}"' in _html_tag(response)
    assert f"lang={lang}" in response.headers["Set-Cookie"]
    again = client.get("/categories/")
    assert f'lang="{lang}"' in _html_tag(again)


def test_arabic_is_right_to_left(client):
    assert 'dir="rtl"' in _html_tag(client.get("/?lang=ar"))
    assert 'dir="ltr"' in _html_tag(client.get("/?lang=es"))


def test_browser_language_is_used_when_nothing_was_chosen(client):
    response = client.get("/", headers={"Accept-Language": "bn-BD,bn;q=0.9,en;q=0.5"})
    assert 'lang="bn"' in _html_tag(response)
    response = client.get("/", headers={"Accept-Language": "de-DE"})
    assert 'lang="en"' in _html_tag(response)


@pytest.mark.parametrize("bad", ["xx", "<script>", "en-" + "a" * 50, "../../etc", "", "ar\x01"])
def test_unknown_or_malformed_choices_fall_back_safely(client, bad):
    response = client.get("/", query_string={"lang": bad})
    assert response.status_code == 200
    assert 'lang="en"' in _html_tag(response)


def test_a_bad_cookie_is_ignored(client):
    client.set_cookie("lang", "zz-<b>")
    assert 'lang="en"' in _html_tag(client.get("/"))


def test_pages_are_translated(client):
    body = client.get("/?lang=es").get_data(as_text=True)
    assert "Find local support" not in body
    assert "116 123" in body


def test_switcher_names_each_language_in_itself_and_keeps_the_page(client, build):
    service = build.service()
    body = client.get(f"/services/{service.slug}?lang=en").get_data(as_text=True)
    for name in ("العربية", "বাংলা", "Soomaali", "Español", "Português", "Polski"):
        assert name in body
    assert f'href="/services/{service.slug}?lang=ar"' in body


def test_switcher_drops_url_for_control_arguments(client):
    body = client.get("/search?q=food&_external=1&_scheme=javascript").get_data(as_text=True)
    assert "javascript:" not in body
    assert 'href="/search?q=food&amp;lang=ar"' in body


def test_dates_times_and_weekdays_follow_the_locale(app):
    from flask_babel import refresh
    with app.test_request_context("/?lang=en"):
        refresh()
        assert format_date(date(2026, 3, 5)) == "5 March 2026"
        assert format_time(time(14, 30)) == "14:30"
        assert weekday_name(0) == "Monday"
    with app.test_request_context("/?lang=pl"):
        refresh()
        assert format_date(date(2026, 3, 5)) == "5 marca 2026"
        assert weekday_name(0) == "poniedziałek"
    with app.test_request_context("/?lang=ar"):
        refresh()
        assert weekday_name(4) == "الجمعة"


PUBLIC_PAGES = ["/", "/categories/", "/categories/talk", "/search?q=food", "/search?q=zzzqqq", "/search?near=banana",
                "/my-list", "/my-list/print", "/whats-on/", "/refer/", "/sign-in", "/reset-password", "/join",
                "/no-such-page"]


@pytest.mark.parametrize("lang", STARTER)
def test_every_public_page_in_every_starter_language(client, build, lang):
    service = build.service(name="Lunch club", categories=("food-meals",))
    client.post("/refer/start")
    pages = PUBLIC_PAGES + [f"/services/{service.slug}", f"/services/{service.slug}/report", "/refer/safety"]
    direction = "rtl" if lang == "ar" else "ltr"
    for path in pages:
        separator = "&" if "?" in path else "?"
        response = client.get(f"{path}{separator}lang={lang}")
        assert response.status_code == (404 if path == "/no-such-page" else 200), path
        tag = _html_tag(response)
        assert f'lang="{lang}"' in tag and f'dir="{direction}"' in tag, path
