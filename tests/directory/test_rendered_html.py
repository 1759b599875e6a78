"""Descriptions are rendered from Markdown once, when saved, and stored as sanitised HTML (app/directory/rendered.py):
on every path that changes them, never with a script in it, and shown from the store."""
import csv
import io

from sqlalchemy import select, text

from app.directory import rendered, translations
from app.directory.csv import COLUMNS, import_csv
from app.directory.models import Revision, Service, ServiceTranslation

HOSTILE = "**Bold** <script>alert('x')</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
LIVE_CONTACT = {"access_method": "self_refer", "cost_type": "free", "contact_name": "Alex Liaison",
                "contact_role": "Coordinator", "contact_phone": "020 7946 0999", "contact_email": "alex@org.example"}


def _stored(db, model, row_id):
    return db.session.execute(text(f"SELECT description_html FROM {model.__tablename__} WHERE id = :id"),  # nosec
                              {"id": row_id}).scalar_one()


def _assert_clean(html):
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html


def test_a_new_listing_stores_its_description_as_clean_html(db, build):
    service = build.service(name="Lunch club", description=HOSTILE)
    html = _stored(db, Service, service.id)
    assert "<strong>Bold</strong>" in html
    _assert_clean(html)


def test_a_changed_description_is_rendered_again_and_other_changes_leave_it(db, build):
    service = build.service(name="Lunch club", description="*Old*")
    service.description = "**New** words"
    db.session.commit()
    assert _stored(db, Service, service.id) == "<p><strong>New</strong> words</p>"
    db.session.execute(text("UPDATE service SET description_html = '<p>kept</p>' WHERE id = :id"), {"id": service.id})
    db.session.commit()
    db.session.expire_all()
    service.contact_name = "Sam"
    db.session.commit()
    assert _stored(db, Service, service.id) == "<p>kept</p>"  # nothing rendered again for an unrelated change


def test_the_provider_edit_and_the_managers_approval_refresh_it(db, build, client, login):
    org = build.organisation(slug="fairfield")
    service = build.service(organisation=org, name="Tuesday lunch club", description="Old words.")
    provider, manager = build.user("provider", organisations=[org]), build.user("manager")
    login(provider)
    basics = {"name": "Tuesday lunch club", "categories": ["talk-befriending"], "description": "Now *with* tea."}
    assert client.post(f"/provider/services/{service.slug}/edit/basics", data=basics).status_code == 302
    assert _stored(db, Service, service.id) == "<p>Old words.</p>"  # waiting: the public text is unchanged
    client.post("/sign-out")
    login(manager)
    change = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    assert client.post(f"/manage/changes/{change.id}/approve").status_code == 302
    assert _stored(db, Service, service.id) == "<p>Now <em>with</em> tea.</p>"
    # Restoring the first version puts the first words back, rendered.
    first = db.session.execute(select(Revision).where(Revision.kind == "published")).scalar_one()
    assert client.post(f"/manage/revisions/{first.id}/restore").status_code == 302
    assert _stored(db, Service, service.id) == "<p>Old words.</p>"
    assert "Old words." in client.get(f"/services/{service.slug}").get_data(as_text=True)


def test_a_translation_stores_its_own_html_and_the_page_shows_it(db, build, client):
    service = build.service(name="Lunch club", description="English words.")
    translation = translations.save(service, "es", {"name": "Club", "description": "**Palabras** " + HOSTILE}, None)
    db.session.commit()
    html = _stored(db, ServiceTranslation, translation.id)
    assert html.startswith("<p><strong>Palabras</strong>")
    _assert_clean(html)
    page = client.get(f"/services/{service.slug}?lang=es").get_data(as_text=True)
    assert "<strong>Palabras</strong>" in page and "alert(" not in page


def test_a_csv_import_stores_the_html(db, build):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow({column: "" for column in COLUMNS} | {
        "organisation_slug": "owls", "organisation_name": "Night Owls", "name": "Chess club",
        "description": "Chess *at night*. <script>x()</script>", "access_method": "drop in", "status": "published",
        "categories": "creative", "formats": "in_person", "languages": "en", "location_name": "Owl House",
        "address_1": "3 Dark Lane", "postcode": "NW5 1TL"})
    report = import_csv(out.getvalue().encode(), dry_run=False, user=build.user("manager"))
    assert report.ok, report
    service = db.session.execute(select(Service).where(Service.name == "Chess club")).scalar_one()
    html = _stored(db, Service, service.id)
    assert "<em>at night</em>" in html
    _assert_clean(html)


def test_the_demo_data_and_generated_listings_store_it(db, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "generate", "--listings", "5"]).exit_code == 0
    missing = db.session.execute(text("SELECT count(*) FROM service WHERE description_html IS NULL")).scalar()
    assert missing == 0


def test_render_html_fills_in_rows_from_before_the_column(db, build, runner):
    service = build.service(name="Old row", description="*Old*")
    db.session.execute(text("UPDATE service SET description_html = NULL"))
    db.session.commit()
    result = runner.invoke(args=["directory", "render-html"])
    assert result.exit_code == 0 and "Descriptions rendered: 1." in result.output
    assert _stored(db, Service, service.id) == "<p><em>Old</em></p>"
    assert "Descriptions rendered: 0." in runner.invoke(args=["directory", "render-html"]).output
    assert "Descriptions rendered: 1." in runner.invoke(args=["directory", "render-html", "--all"]).output


def test_a_page_never_shows_a_script_even_if_one_was_written_into_the_column(db, build, client):
    service = build.service(name="Lunch club", description="Plain words.")
    db.session.execute(text("UPDATE service SET description_html = :html WHERE id = :id"),
                       {"html": "<p>Hi</p><script>alert(1)</script><a href='javascript:x'>y</a>", "id": service.id})
    db.session.commit()
    page = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "<p>Hi</p>" in page and "alert(1)" not in page and "javascript:x" not in page
    search = client.get("/search?q=lunch").get_data(as_text=True)
    assert "alert(1)" not in search


def test_nothing_stored_yet_is_rendered_on_the_way_out(db, build, client):
    service = build.service(name="Lunch club", description="**Strong** words.")
    db.session.execute(text("UPDATE service SET description_html = NULL"))
    db.session.commit()
    assert "<strong>Strong</strong>" in client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert str(rendered.shown(None, "")) == ""
