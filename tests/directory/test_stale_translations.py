"""When a listing's English words change, its older translations say they may be out of date: to translators,
to its providers and on the public page, until someone saves the translation again."""
from datetime import timedelta

from sqlalchemy import select

from app.core.db import utcnow
from app.directory import translations
from app.directory.models import ServiceTranslation, TranslationChange


def _translated(build, db, **fields):
    service = build.service(name="Befriending", description="Someone to talk to.", **fields)
    translation = ServiceTranslation(service=service, language="so", name="Saaxiibtinimo",
                                     description="Qof aad la hadasho.", updated_at=utcnow() - timedelta(days=3))
    db.session.add(translation)
    db.session.commit()
    return service, translation


def test_only_a_change_to_the_english_words_makes_a_translation_stale(build, db):
    service, translation = _translated(build, db)
    assert not translations.is_stale(service, translation)
    service.capacity_status, service.contact_phone = "full", "020 7946 0111"
    db.session.commit()
    assert service.text_changed_at is None and not translations.is_stale(service, translation)
    service.description = "Someone to talk to.  "  # the same words
    db.session.commit()
    assert not translations.is_stale(service, translation)
    service.description = "Someone to talk to, on Fridays too."
    db.session.commit()
    assert service.text_changed_at is not None and translations.is_stale(service, translation)


def test_the_public_page_and_the_provider_say_so_until_it_is_saved_again(build, db, client, login):
    service, translation = _translated(build, db)
    service.description = "Someone to talk to, on Fridays too."
    db.session.commit()
    page = client.get(f"/services/{service.slug}?lang=so", headers={"Accept-Language": "so"}).get_data(as_text=True)
    assert "Saaxiibtinimo" in page
    fresh = build.service(name="Art group")
    db.session.add(ServiceTranslation(service=fresh, language="so", name="Koox farshaxan"))
    db.session.commit()
    assert 'id="translation-stale"' not in client.get(f"/services/{fresh.slug}?lang=so").get_data(as_text=True)
    assert 'id="translation-stale"' in page
    provider = build.user("provider", organisations=[service.organisation])
    client.get("/?lang=en")  # back to English for the provider's pages
    login(provider)
    listing = client.get(f"/provider/services/{service.slug}/translations").get_data(as_text=True)
    assert "Needs updating: the English changed on" in listing
    response = client.post(f"/provider/services/{service.slug}/translations/so", data={
        "name": "Saaxiibtinimo", "description": "Qof aad la hadasho, Jimcaha sidoo kale."})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    db.session.refresh(translation)
    assert translations.is_stale(service, translation)  # waiting for a check: the live one is still the old one
    client.post("/sign-out")
    login(build.user("manager"))
    change = db.session.execute(select(TranslationChange)).scalar_one()
    assert client.post(f"/manage/translations/{change.id}/approve").status_code == 302
    client.post("/sign-out")
    login(provider)
    db.session.refresh(translation)
    assert not translations.is_stale(service, translation)
    assert "Needs updating" not in client.get(f"/provider/services/{service.slug}/translations").get_data(
        as_text=True)
