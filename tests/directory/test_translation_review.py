"""A provider's translation is checked like their English: it waits for a directory manager (who sees the English
beside it, approves it or sends it back with a reason), unless a manager trusts their organisation. The public
never sees a waiting translation. Translators' and managers' own translations go live at once, as before."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core import crypto
from app.core.audit import AuditEvent
from app.core.db import utcnow
from app.core.mail import OutboxMessage
from app.directory import search, translations
from app.directory.models import ServiceTranslation, TranslationChange

ARABIC = {"name": "القهوة والرفقة", "description": "مجموعة أسبوعية ودية للحديث وتكوين صداقات."}


@pytest.fixture
def setup(build):
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Coffee and company", description="A friendly weekly group.")
    provider = build.user("provider", email="coffee@provider.example", organisations=[org])
    manager = build.user("manager")
    return service, provider, manager


def _mail(db, kind):
    return [crypto.decrypt(m.envelope) for m in db.session.execute(
        select(OutboxMessage).where(OutboxMessage.kind == kind)).scalars()]


def _events(db, *actions):
    return [(e.action, e.record) for e in db.session.execute(
        select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)).scalars()]


def _change(db):
    return db.session.execute(select(TranslationChange).order_by(TranslationChange.id.desc())).scalars().first()


def test_a_providers_translation_waits_and_the_public_never_sees_it(client, login, setup, db):
    service, provider, manager = setup
    login(provider)
    response = client.post(f"/provider/services/{service.slug}/translations/ar", data=ARABIC)
    assert response.status_code == 302
    assert "sent to the directory team to check" in client.get(response.headers["Location"]).get_data(as_text=True)
    change = _change(db)
    assert change.status == "pending" and change.language == "ar" and change.name == ARABIC["name"]
    assert db.session.execute(select(ServiceTranslation)).scalars().all() == []
    listing = client.get(f"/provider/services/{service.slug}/translations").get_data(as_text=True)
    assert "Waiting for the directory team" in listing
    dashboard = client.get("/provider/").get_data(as_text=True)
    assert "Translation into Arabic (العربية) waiting for the directory team" in dashboard
    client.post("/sign-out")
    page = client.get(f"/services/{service.slug}?lang=ar").get_data(as_text=True)
    assert ARABIC["name"] not in page and "Coffee and company" in page
    assert search.query_index("صداقات", language="ar").total == 0
    assert ARABIC["name"] not in client.get("/search?q=coffee&lang=ar").get_data(as_text=True)


def test_the_manager_sees_it_in_the_queue_with_the_english_beside_it_and_approves(client, login, setup, db, build,
                                                                                   html_page):
    service, provider, manager = setup
    change = build.pending_translation(service, provider, **ARABIC)
    login(manager)
    dashboard = html_page(client.get("/manage/"))
    assert dashboard.text("a[href='/manage/changes']") == "1 changes to check"
    queue = client.get("/manage/changes").get_data(as_text=True)
    assert f'href="/manage/translations/{change.id}"' in queue and "Translation into Arabic (العربية)" in queue
    page = client.get(f"/manage/translations/{change.id}").get_data(as_text=True)
    assert "A friendly weekly group." in page and ARABIC["description"] in page
    assert 'lang="ar" dir="rtl"' in page and "Check the Arabic" in page
    response = client.post(f"/manage/translations/{change.id}/approve")
    assert response.status_code == 302
    db.session.refresh(change)
    live = translations.translation_for(service, "ar")
    assert change.status == "applied" and live.description == ARABIC["description"]
    assert _events(db, "translation_approve") == [("translation_approve", "")]
    [message] = _mail(db, "translation_approved")
    assert message["to"] == provider.email and "Arabic" in message["body"]
    client.post("/sign-out")
    page = client.get(f"/services/{service.slug}?lang=ar").get_data(as_text=True)
    assert ARABIC["name"] in page
    assert search.query_index("صداقات", language="ar").total == 1
    # Approving twice is refused, not a server error.
    login(manager)
    assert client.post(f"/manage/translations/{change.id}/approve").status_code == 400


def test_sent_back_with_a_reason_the_provider_keeps_their_words(client, login, setup, db, build, html_page):
    service, provider, manager = setup
    change = build.pending_translation(service, provider, **ARABIC)
    login(manager)
    response = client.post(f"/manage/translations/{change.id}/reject", data={"reason": "  "})
    assert response.status_code == 400
    doc = html_page(response)
    assert doc.title.startswith("Error:") and "Give a reason" in doc.text(".govuk-error-summary")
    response = client.post(f"/manage/translations/{change.id}/reject", data={"reason": "x" * 2001})
    assert response.status_code == 400 and "2,000 characters or fewer" in response.get_data(as_text=True)
    response = client.post(f"/manage/translations/{change.id}/reject",
                           data={"reason": "Please translate the opening times too."})
    assert response.status_code == 302
    db.session.refresh(change)
    assert change.status == "sent_back"
    assert _events(db, "translation_send_back") == [("translation_send_back", "")]
    [message] = _mail(db, "translation_sent_back")
    assert "Please translate the opening times too." in message["body"]
    assert f"/provider/services/{service.slug}/translations/ar" in message["body"]
    client.post("/sign-out")
    login(provider)
    dashboard = client.get("/provider/").get_data(as_text=True)
    assert "Your translation into Arabic (العربية) was sent back:" in dashboard and "opening times too" in dashboard
    page = html_page(client.get(f"/provider/services/{service.slug}/translations/ar"))
    assert page.soup.select_one("textarea#description").get_text() == ARABIC["description"]
    assert "Please translate the opening times too." in page.text(".govuk-notification-banner")
    # Sent again: one change waits, the sent-back one is replaced.
    client.post(f"/provider/services/{service.slug}/translations/ar", data={**ARABIC, "access_text": "تعال فقط"})
    assert [c.status for c in db.session.execute(select(TranslationChange).order_by(TranslationChange.id))
            .scalars()] == ["superseded", "pending"]


def test_a_trusted_organisations_translations_go_live_and_trust_is_audited(client, login, setup, db, html_page):
    service, provider, manager = setup
    login(manager)
    organisations = client.get("/manage/organisations").get_data(as_text=True)
    assert "/manage/organisations/fairfield/trust" in organisations
    confirm = html_page(client.get("/manage/organisations/fairfield/trust"))
    assert confirm.heading == "Trust Fairfield Hall with translations?"
    assert client.post("/manage/organisations/fairfield/trust", data={"trusted": "yes"}).status_code == 302
    assert service.organisation.translations_trusted
    assert "Trusted: translations go live straight away" in client.get("/manage/organisations").get_data(
        as_text=True)
    client.post("/sign-out")
    login(provider)
    page = client.get(f"/provider/services/{service.slug}/translations/ar").get_data(as_text=True)
    assert "Your translations go live straight away because your organisation is trusted." in page
    client.post(f"/provider/services/{service.slug}/translations/ar", data=ARABIC)
    assert translations.translation_for(service, "ar").name == ARABIC["name"] and _change(db) is None
    client.post("/sign-out")
    login(manager)
    assert html_page(client.get("/manage/organisations/fairfield/trust")).heading == \
        "Stop trusting Fairfield Hall with translations?"
    client.post("/manage/organisations/fairfield/trust", data={"trusted": "no"})
    client.post("/manage/organisations/fairfield/trust", data={"trusted": "no"})  # again: nothing more to record
    assert not service.organisation.translations_trusted
    assert _events(db, "organisation_trust", "organisation_untrust") == [
        ("organisation_trust", "fairfield"), ("organisation_untrust", "fairfield")]
    assert client.get("/manage/organisations/nowhere/trust").status_code == 404


def test_translators_and_managers_translations_go_live_at_once(client, login, setup, db, build):
    service, _provider, manager = setup
    login(build.user("translator"))
    client.post(f"/provider/services/{service.slug}/translations/es", data={"name": "Café y compañía"})
    assert translations.translation_for(service, "es").name == "Café y compañía" and _change(db) is None
    client.post("/sign-out")
    login(manager)
    client.post(f"/provider/services/{service.slug}/translations/so", data={"name": "Kafee iyo saaxiibo"})
    assert translations.translation_for(service, "so").name == "Kafee iyo saaxiibo" and _change(db) is None


def test_an_approved_translation_written_before_the_english_changed_needs_updating(client, login, setup, db, build):
    service, provider, manager = setup
    change = build.pending_translation(service, provider, **ARABIC)
    change.submitted_at = utcnow() - timedelta(hours=2)
    service.description = "A friendly weekly group, now on Fridays too."
    db.session.commit()
    login(manager)
    page = client.get(f"/manage/translations/{change.id}").get_data(as_text=True)
    assert "The English changed after this translation was written" in page
    client.post(f"/manage/translations/{change.id}/approve")
    assert translations.is_stale(service, translations.translation_for(service, "ar"))
    client.post("/sign-out")
    assert 'id="translation-stale"' in client.get(f"/services/{service.slug}?lang=ar").get_data(as_text=True)


def test_only_managers_decide_and_only_its_providers_translate(client, login, setup, build):
    service, provider, _manager = setup
    change = build.pending_translation(service, provider, **ARABIC)
    urls = [f"/manage/translations/{change.id}", "/manage/organisations/fairfield/trust"]
    for url in urls:
        assert client.get(url).headers["Location"].startswith("/sign-in")
    for user in (provider, build.user("translator")):
        login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        assert client.post(f"/manage/translations/{change.id}/approve").status_code == 403
        assert client.post("/manage/organisations/fairfield/trust", data={"trusted": "yes"}).status_code == 403
        client.post("/sign-out")
    login(build.user("provider", organisations=[build.organisation()]))  # another organisation's provider
    assert client.post(f"/provider/services/{service.slug}/translations/ar", data=ARABIC).status_code == 404
    assert not service.organisation.translations_trusted and change.status == "pending"


def test_deleting_a_draft_takes_its_waiting_translation_with_it(client, login, setup, db, build):
    service, provider, manager = setup
    draft = build.service(organisation=service.organisation, name="Half an idea", status="draft",
                          last_verified_at=None)
    build.pending_translation(draft, provider, **ARABIC)
    login(provider)
    response = client.post(f"/provider/services/{draft.slug}/delete", data={"confirm": "yes"})
    assert response.status_code == 302
    assert db.session.execute(select(TranslationChange)).scalars().all() == []
    client.post("/sign-out")
    login(manager)
    assert "Nothing waiting" in client.get("/manage/changes").get_data(as_text=True)
