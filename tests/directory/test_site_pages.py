"""The privacy notice, accessibility statement and contact page: shipped text, fallbacks, managers' edits."""
import json

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.directory import site_pages
from app.directory.cli import directory_cli
from app.directory.models import SitePage

LANGUAGES = ("en", "ar", "bn", "so", "es", "pt", "pl")


def test_every_language_ships_every_page_with_the_same_settings_named():
    """A translation must keep the {settings} the English names, or the page would say "{dpo_email}"."""
    english, _written = site_pages.shipped("en")
    for language in LANGUAGES:
        pages, written = site_pages.shipped(language)
        assert written is not None, language
        assert set(pages) == set(site_pages.PAGES), language
        for slug, page in pages.items():
            assert page["title"].strip() and page["body"].strip(), (language, slug)
            for name in site_pages.PLACEHOLDERS:
                assert (f"{{{name}}}" in page["body"]) == (f"{{{name}}}" in english[slug]["body"]), \
                    (language, slug, name)
            assert page["body"].count("<bdi") == english[slug]["body"].count("<bdi"), (language, slug)


def test_the_privacy_notice_covers_what_the_law_asks(client, html_page, app):
    app.config.update(REFERRAL_RETENTION_MONTHS=18, DATA_PROTECTION_EMAIL="dpo@borough.example")
    page = html_page(client.get("/privacy"))
    assert page.status_code == 200
    assert page.heading == "Privacy notice"
    text = page.text("main")
    for needed in ("Article 6(1)(e)", "Article 9(2)(h)", "How long we keep it",
                   "18 months", "subject access request", "Information Commissioner"):
        assert needed in text, needed
    assert page.select_one("main a[href='mailto:dpo@borough.example'] bdi[dir=ltr]") is not None
    assert "{" not in text  # every setting filled in
    assert "Last updated: 1 December 2026" in text


def test_the_accessibility_statement_and_contact_page_use_the_settings(client, html_page, app):
    app.config.update(BOROUGH_NAME="Fairfield", CONTACT_PHONE="020 7946 0999", CONTACT_EMAIL="help@fairfield.example")
    statement = html_page(client.get("/accessibility"))
    assert statement.heading == "Accessibility statement"
    assert "partially compliant" in statement.text("main") and "machine" in statement.text("main")
    contact = html_page(client.get("/contact"))
    assert contact.heading == "Contact us" and "Fairfield" in contact.text("main")
    phone = contact.select_one("main a[href='tel:02079460999']")
    assert phone is not None and phone.select_one("bdi[dir=ltr]").get_text() == "020 7946 0999"
    assert contact.select_one("main a[href='mailto:help@fairfield.example']") is not None


def test_a_setting_cannot_add_markup(client, app):
    app.config.update(BOROUGH_NAME="<script>alert(1)</script>")
    body = client.get("/contact").get_data(as_text=True)
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_pages_are_shown_in_the_readers_language(client, html_page):
    page = html_page(client.get("/privacy?lang=ar"))
    assert page.select_one("html")["dir"] == "rtl"
    assert page.select_one("main [lang=en]") is None  # Arabic text, not the English
    assert page.heading == site_pages.shipped("ar")[0]["privacy"]["title"]


def test_a_language_without_text_shows_the_english_marked_as_english(client, html_page, db, build):
    manager = build.user("manager")
    site_pages.seed_defaults()
    site_pages.save("privacy", "so", "", "", manager)  # emptied: Somali readers get the English
    db.session.commit()
    page = html_page(client.get("/privacy?lang=so"))
    assert page.select_one("html")["lang"] == "so"
    english = page.select_one("main [lang=en]")
    assert english is not None and english["dir"] == "ltr"
    assert english.select_one("h1").get_text() == "Privacy notice"
    note = _translated("so", "This page is not yet written in your language, so it is shown in English.")
    assert note in page.text("main") and "shown in English" not in page.text("main")


def test_seeding_adds_missing_pages_and_never_overwrites_an_edit(runner, db, build):
    manager = build.user("manager")
    result = runner.invoke(directory_cli, ["seed"])
    assert result.exit_code == 0, result.output
    assert "Site pages added: 21" in result.output
    site_pages.save("privacy", "ar", "سياسة الخصوصية", "نص جديد", manager)
    db.session.delete(db.session.execute(select(SitePage).filter_by(slug="contact", language="pl")).scalar_one())
    db.session.commit()
    result = runner.invoke(directory_cli, ["seed"])
    assert "Site pages added: 1" in result.output
    kept = db.session.execute(select(SitePage).filter_by(slug="privacy", language="ar")).scalar_one()
    assert kept.body == "نص جديد" and kept.updated_by_id == manager.id


def test_a_manager_edits_the_arabic_privacy_notice_and_it_is_public(client, login, html_page, db, build):
    manager = build.user("manager")
    login(manager)
    form = html_page(client.get("/manage/pages/privacy/ar"))
    assert form.status_code == 200
    assert form.select_one("textarea#body")["lang"] == "ar" and form.select_one("textarea#body")["dir"] == "rtl"
    assert "9(2)(h)" in form.select_one("textarea#body").get_text()  # starts from the shipped Arabic text
    response = client.post("/manage/pages/privacy/ar", data={
        "title": "إشعار الخصوصية", "body": "## ما نجمعه\n\nنص **جديد** <script>alert(1)</script> {dpo_email}"})
    assert response.status_code == 302 and response.headers["Location"] == "/manage/pages/"
    assert "Saved. The page is live." in html_page(client.get("/manage/pages/")).text(".govuk-notification-banner")
    client.post("/sign-out")
    page = html_page(client.get("/privacy?lang=ar"))
    assert page.heading == "إشعار الخصوصية"
    assert page.select_one(".hg-page h2").get_text() == "ما نجمعه"
    assert page.select_one(".hg-page strong").get_text() == "جديد"
    assert page.select_one("main script") is None
    assert page.select_one("main a[href^='mailto:'] bdi") is not None
    assert _translated("ar", "Last updated: %(date)s").split("%(date)s")[0].strip() in page.text("main")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "site_page_edit")).scalar_one()
    assert event.user_id == manager.id and event.record == "privacy ar"
    assert "إشعار" not in event.detail  # the log says what happened, not the text


@pytest.mark.parametrize(("language", "data", "errors"), [
    ("en", {"title": "", "body": ""}, ["Enter a title", "Enter the page text"]),
    ("ar", {"title": "عنوان", "body": " "}, ["Enter the page text"]),
    ("ar", {"title": "", "body": "نص"}, ["Enter a title"]),
    ("es", {"title": "x" * 201, "body": "texto"}, ["Field cannot be longer than 200 characters."]),
])
def test_a_bad_edit_says_what_is_wrong_and_keeps_what_was_typed(client, login, html_page, build, language, data,
                                                                  errors):
    login(build.user("manager"))
    page = html_page(client.post(f"/manage/pages/privacy/{language}", data=data))
    assert page.status_code == 400
    assert page.texts(".govuk-error-summary__list a") == errors
    assert page.title.startswith("Error:")
    assert page.select_one("input#title")["value"] == data["title"]
    assert page.select_one("textarea#body").get_text().strip() == data["body"].strip()


def test_only_known_pages_and_languages_can_be_edited(client, login, build):
    login(build.user("admin"))
    assert client.get("/manage/pages/").status_code == 200
    assert client.get("/manage/pages/cookies/en").status_code == 404
    assert client.get("/manage/pages/privacy/zz").status_code == 404
    assert client.post("/manage/pages/privacy/" + "x" * 300, data={"title": "t", "body": "b"}).status_code == 404


def test_the_list_shows_which_languages_fall_back(client, login, html_page, db, build):
    manager = build.user("manager")
    site_pages.seed_defaults()
    site_pages.save("contact", "pl", "", "", manager)
    db.session.commit()
    login(manager)
    page = html_page(client.get("/manage/pages/"))
    assert page.texts(".govuk-tag") == ["Shows the English"]
    assert len(page.select("main a[href^='/manage/pages/']")) == 21


def test_shipped_text_is_valid_json_and_has_no_raw_html_but_bdi():
    for path in site_pages.DATA_DIR.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for page in data["pages"].values():
            body = page["body"].replace('<bdi dir="ltr">', "").replace("</bdi>", "")
            assert "<" not in body, path.name


def test_a_post_without_the_fields_saves_nothing(client, login, db, build):
    login(build.user("manager"))
    assert client.post("/manage/pages/privacy/en", data={}).status_code == 400
    assert db.session.execute(select(SitePage)).scalars().all() == []


def test_before_seeding_the_list_counts_the_shipped_text_as_written(client, login, html_page, build):
    login(build.user("manager"))
    page = html_page(client.get("/manage/pages/"))
    assert page.texts(".govuk-tag") == []
    assert page.texts("main tbody tr td:nth-of-type(1)").count("Written") == 21


def test_a_preview_shows_the_page_as_it_will_look_and_saves_nothing(client, login, html_page, db, build):
    login(build.user("manager"))
    page = html_page(client.post("/manage/pages/contact/ar", data={
        "title": "اتصل بنا", "body": "## الهاتف\n\nاتصل على {contact_phone} <script>x</script>", "action": "preview"}))
    assert page.status_code == 200
    preview = page.select_one("#preview")
    assert preview.select_one("[lang=ar][dir=rtl] h2").get_text() == "الهاتف"
    assert preview.select_one("a[href^='tel:'] bdi") is not None and preview.select_one("script") is None
    assert page.select_one("textarea#body").get_text().startswith("## الهاتف")
    assert db.session.execute(select(SitePage)).scalars().all() == []


def _translated(language, message):
    from pathlib import Path

    from babel.support import Translations
    root = Path(__file__).resolve().parents[2] / "translations"
    text = Translations.load(str(root), [language]).gettext(message)
    assert text != message, f"{message!r} is translated into {language}"
    return text
