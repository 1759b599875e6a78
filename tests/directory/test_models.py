import pytest
from sqlalchemy import func, select

from app.core import validation
from app.directory.listings import neighbourhood_for_postcode, seed_reference_data
from app.directory.models import Category, Service
from app.directory.taxonomy import CATEGORIES, all_category_codes


@pytest.mark.parametrize("raw, expected", [
    ("nw5 2ab", "NW5 2AB"), ("NW52AB", "NW5 2AB"), (" wc1h  9ab ", "WC1H 9AB"), ("N19 5QT", "N19 5QT"),
    ("EC1A1BB", "EC1A 1BB"), ("not a postcode", None), ("", None), (None, None), ("NW5", None), ("12345", None),
])
def test_postcodes_are_validated_and_normalised(raw, expected):
    assert validation.postcode(raw) == expected


@pytest.mark.parametrize("postcode, hood", [
    ("NW5 1AA", "kentish-town"), ("N19 3AB", "kentish-town"), ("NW3 2QQ", "north-west"), ("NW6 1AB", "north-west"),
    ("NW1 0AB", "south"), ("WC1H 9AB", "south"), ("WC1X 8XX", "south"),
])
def test_postcodes_map_to_neighbourhoods(app, postcode, hood):
    assert neighbourhood_for_postcode(postcode).code == hood


def test_nw10_is_not_mistaken_for_nw1(app):
    assert neighbourhood_for_postcode("NW10 4AB") is None
    assert neighbourhood_for_postcode("E1 6AN") is None


def test_taxonomy_seed_is_two_levels_with_stable_codes_and_repeatable(app, db):
    seed_reference_data()
    seed_reference_data()
    count = db.session.execute(select(func.count()).select_from(Category)).scalar_one()
    assert count == len(all_category_codes())
    talk = db.session.execute(select(Category).where(Category.code == "talk")).scalar_one()
    assert [c.code for c in talk.children] == [code for code, *_ in CATEGORIES[0][3]]
    assert all(child.parent_id == talk.id for child in talk.children)


def test_code_lists_round_trip_and_filter(app, db, build):
    service = build.service(languages=["en", "bn", "so"], accessibility=["bsl"])
    db.session.expire_all()
    stored = db.session.get(Service, service.id)
    assert stored.languages == ["bn", "en", "so"]
    from app.core.db import code_list_contains
    found = db.session.execute(select(Service.id).where(code_list_contains(Service.languages, "bn"))).scalars().all()
    assert found == [service.id]
    assert not db.session.execute(select(Service.id).where(code_list_contains(Service.languages, "b"))).all()


def test_deleting_an_organisation_removes_its_services(app, db, build):
    service = build.service()
    db.session.delete(service.organisation)
    db.session.commit()
    assert db.session.get(Service, service.id) is None


# --- statuses: one transitions table per field, and the database's CHECK constraints -------------

LISTING_MOVES = [("draft", "published", True), ("draft", "archived", True), ("published", "archived", True),
                 ("archived", "published", True), ("published", "published", True),
                 ("published", "draft", False), ("archived", "draft", False), ("draft", "pending", False),
                 ("published", "hidden", False)]


@pytest.mark.parametrize("old, new, allowed", LISTING_MOVES)
def test_a_listing_moves_only_between_allowed_statuses(app, db, build, old, new, allowed):
    from app.directory.models import StatusChangeError
    service = build.service(status=old)
    if allowed:
        service.status = new
        db.session.commit()
        db.session.refresh(service)
        assert service.status == new
        return
    with pytest.raises(StatusChangeError) as raised:
        service.status = new
    assert (raised.value.old, raised.value.new) == (old, new)
    db.session.rollback()
    db.session.refresh(service)
    assert service.status == old


CHANGE_MOVES = [("pending", "applied", True), ("pending", "sent_back", True), ("pending", "superseded", True),
                ("applied", "pending", False), ("applied", "sent_back", False),
                ("applied", "applied", False), ("sent_back", "applied", False), ("sent_back", "pending", False),
                ("sent_back", "superseded", True),  # the provider sends their kept draft again
                ("superseded", "applied", False), ("pending", "approved", False), ("pending", "rejected", False)]


@pytest.mark.parametrize("old, new, allowed", CHANGE_MOVES)
def test_a_change_moves_only_between_allowed_statuses(app, db, build, old, new, allowed):
    from app.directory.models import Revision, StatusChangeError
    service = build.service()
    revision = Revision(entity_type="service", entity_id=service.id, organisation_id=service.organisation_id,
                        status=old, snapshot={})
    db.session.add(revision)
    db.session.commit()
    if allowed:
        revision.status = new
        db.session.commit()
        assert db.session.get(Revision, revision.id).status == new
    else:
        with pytest.raises(StatusChangeError):
            revision.status = new
        assert revision.status == old


def test_a_new_row_may_start_in_any_known_status_but_no_other(app, db, build):
    from app.directory.models import Revision, StatusChangeError
    assert build.service(status="archived").status == "archived"
    assert Revision(status="superseded").status == "superseded"
    with pytest.raises(StatusChangeError):
        Service(status="live")


@pytest.mark.parametrize("table, bad", [("service", "live"), ("revision", "approved")])
def test_the_database_refuses_an_unknown_status(app, db, build, table, bad):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError
    service = build.service()
    if table == "revision":
        from app.directory.models import Revision
        revision = Revision(entity_type="service", entity_id=service.id, organisation_id=service.organisation_id,
                            status="pending", snapshot={})
        db.session.add(revision)
        db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text(f"UPDATE {table} SET status = :bad"), {"bad": bad})
        db.session.flush()
    db.session.rollback()
