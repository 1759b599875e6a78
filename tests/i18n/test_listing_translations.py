
from sqlalchemy import select

from app.directory import search
from app.directory.models import TranslationChange


def test_provider_translates_a_listing_and_spanish_readers_see_and_find_it(client, build, login, db):
    org = build.organisation()
    service = build.service(organisation=org, name="Coffee and company", description="A friendly weekly group.")
    login(build.user("provider", organisations=[org]))
    response = client.post(f"/provider/services/{service.slug}/translations/es", data={
        "name": "Café y compañía", "description": "Un grupo semanal para charlar y hacer amigos."})
    assert response.status_code == 302
    client.post("/sign-out")
    # Checked like the provider's English: nobody reads or finds it until a directory manager approves it.
    assert "Café y compañía" not in client.get(f"/services/{service.slug}?lang=es").get_data(as_text=True)
    # (The site's own Spanish words for befriending find it in English meanwhile; its Spanish name does not.)
    assert "Café y compañía" not in client.get("/search?q=compa%C3%B1%C3%ADa&lang=es").get_data(as_text=True)
    change = db.session.execute(select(TranslationChange)).scalar_one()
    client.get("/?lang=en")
    login(build.user("manager"))
    assert client.post(f"/manage/translations/{change.id}/approve").status_code == 302
    client.post("/sign-out")
    page = client.get(f"/services/{service.slug}?lang=es").get_data(as_text=True)
    assert "Café y compañía" in page and "charlar" in page
    assert "not been translated" not in page
    # A Spanish query finds the Spanish words, with Spanish stemming ("amigo" / "amigos").
    results = client.get("/search?q=amigo&lang=es").get_data(as_text=True)
    assert "Café y compañía" in results
    assert search.query_index("charlar", language="es").total == 1
    assert search.query_index("charlar", language="en").total == 0


def test_untranslated_listings_are_marked_as_english(client, build):
    service = build.service(name="Knitting circle")
    page = client.get(f"/services/{service.slug}?lang=ar").get_data(as_text=True)
    assert 'lang="en">Knitting circle' in page
    assert 'dir="rtl"' in page


def test_translators_may_translate_any_listing_but_providers_only_their_own(client, build, login):
    service = build.service()
    login(build.user("provider", organisations=[build.organisation()]))
    assert client.get(f"/provider/services/{service.slug}/translations/es").status_code == 404
    client.post("/sign-out")
    login(build.user("translator"))
    assert client.get(f"/provider/services/{service.slug}/translations/es").status_code == 200
    assert client.get(f"/provider/services/{service.slug}/translations/xx").status_code == 404
    response = client.post(f"/provider/services/{service.slug}/translations/es", data={"name": ""})
    assert response.status_code == 400 and "Enter the name in this language" in response.get_data(as_text=True)
