"""What a manager sees when checking a change: words changed inside long text, and a new listing whole."""
from sqlalchemy import select

from app.directory import word_diff
from app.directory.models import Revision, Service

BEFORE = "Knitting and natter on Tuesdays, 10 till 12, in the back room. Everyone is welcome, bring wool."
AFTER = "Knitting and natter on Fridays, 10 till 12, in the back room. Everyone is welcome, bring wool."


def test_only_the_changed_words_are_marked_and_everything_is_escaped():
    old, new = word_diff.marked(BEFORE, AFTER)
    assert str(old).count("<del>") == 1 and "<del>Tuesdays,</del>" in str(old)
    assert str(new).count("<ins>") == 1 and "<ins>Fridays,</ins>" in str(new)
    old, new = word_diff.marked("a <b>bold</b> claim " * 5, "a <script>x</script> claim " * 5)
    assert "<script>" not in str(new) and "&lt;script&gt;" in str(new)
    assert word_diff.is_long_text(BEFORE, AFTER) and not word_diff.is_long_text("Tea", "Coffee")


def test_the_change_page_marks_words_within_a_long_description(client, login, build):
    service = build.service(name="Knit and natter", description=BEFORE)
    change = build.pending_change(service, build.user("provider", organisations=[service.organisation]),
                                  description=AFTER)
    login(build.user("manager"))
    page = client.get(f"/manage/changes/{change.id}").get_data(as_text=True)
    assert "<ins>Fridays,</ins>" in page and "<del>Tuesdays,</del>" in page
    assert "<ins>" + AFTER not in page  # not the whole paragraph struck out and added again


def test_a_new_listing_is_shown_whole_not_just_its_status(client, login, build, db):
    org = build.organisation(slug="fairfield")
    provider = build.user("provider", organisations=[org])
    login(provider)
    client.post("/provider/organisations/fairfield/services/new", data={
        "name": "Saturday art club", "description": "Paint and chat.\n\n- brushes lent\n- tea",
        "categories": ["food-meals"]})
    service = db.session.execute(select(Service).where(Service.name == "Saturday art club")).scalar_one()
    client.post(f"/provider/services/{service.slug}/edit/contact", data={
        "access_method": "drop_in", "cost_type": "free", "contact_name": "Jo", "contact_phone": "020 7946 0555"})
    client.post(f"/provider/services/{service.slug}/submit")
    client.post("/sign-out")
    login(build.user("manager"))
    revision = db.session.execute(select(Revision).where(Revision.kind == "create")).scalar_one()
    page = client.get(f"/manage/changes/{revision.id}").get_data(as_text=True)
    assert "The new listing, every field" in page
    whole = page.split("The new listing, every field")[1]
    for text in ("Saturday art club", "<li>brushes lent</li>", "Jo", "020 7946 0555", "Free"):
        assert text in whole, text
