from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import utcnow
from app.demo import content
from app.demo.generate import generate_listings
from app.demo.loader import DEMO_ACCOUNTS, load_demo
from app.directory import search
from app.directory.models import Category, Location, Organisation, Schedule, Service
from app.directory.taxonomy import CAPACITY_STATUSES, COST_TYPES
from app.selfreferral.models import Referral


def _count(db, model, *where):
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_demo_load_is_realistic_and_repeatable(app, db, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for email, _name, _roles, password in DEMO_ACCOUNTS:
        assert email in result.output and password in result.output
    published = _count(db, Service, Service.status == "published")
    assert published >= 150

    services = db.session.execute(select(Service)).scalars().all()
    used_codes = {c.code for s in services for c in s.categories}
    sub_codes = set(db.session.execute(select(Category.code).where(Category.parent_id.is_not(None))).scalars())
    assert sub_codes <= used_codes, f"categories with no demo listing: {sub_codes - used_codes}"
    assert {s.capacity_status for s in services} == set(CAPACITY_STATUSES)
    assert {s.cost_type for s in services} == set(COST_TYPES)
    hoods = {loc.neighbourhood.code for loc in db.session.execute(select(Location)).scalars() if loc.neighbourhood}
    assert hoods == {"north-west", "kentish-town", "south"}
    outwards = {loc.postcode.split()[0][:3] for loc in db.session.execute(select(Location)).scalars()}
    assert {"NW1", "NW3", "NW5", "NW6", "WC1", "N19"} <= outwards
    assert any(s.last_verified_at < utcnow() - timedelta(days=200) for s in services)
    assert len({lang for s in services for lang in s.languages}) >= 6
    today = utcnow().date()
    assert _count(db, Schedule, Schedule.kind == "event", Schedule.event_date >= today) >= 20
    assert _count(db, User) == len(DEMO_ACCOUNTS)
    assert search.query_index("befriending").total > 0

    again = runner.invoke(args=["demo", "load"])
    assert "Demo listings added: 0. Demo accounts created: 0. Demo referrals added: 0." in again.output
    assert _count(db, Service, Service.status == "published") == published
    assert _count(db, User) == len(DEMO_ACCOUNTS)


def test_demo_load_is_the_whole_data_set(app, db, runner):
    # The content lives in app/demo/data/*.json; these are the figures it held as a Python literal.
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert _count(db, Organisation) == len(content.organisations()) == 62
    assert _count(db, Service) == sum(len(org["services"]) for org in content.organisations()) == 180
    assert _count(db, Referral) == 24
    slugs = set(db.session.execute(select(Service.slug)).scalars())
    assert len(slugs) == 180 and "thursday-community-lunch" in slugs
    lunch = db.session.execute(select(Service).where(Service.slug == "thursday-community-lunch")).scalar_one()
    assert lunch.organisation.name == "Kentish Town Kitchen Collective"
    assert [(s.kind, s.weekday, s.opens_at.isoformat("minutes"), s.closes_at.isoformat("minutes"))
            for s in lunch.schedules if s.kind == "weekly"] == [("weekly", 3, "12:30", "14:30")]
    assert [email for email, *_ in DEMO_ACCOUNTS] == [a["email"] for a in content.accounts()]


def test_demo_accounts_can_sign_in(app, db, client):
    load_demo()
    db.session.commit()
    for email, _name, _roles, password in DEMO_ACCOUNTS:
        response = client.post("/sign-in", data={"email": email, "password": password})
        assert response.status_code == 302, email
        client.post("/sign-out")


def test_demo_provider_sees_their_organisation(app, db, client):
    load_demo()
    db.session.commit()
    email, _n, _r, password = DEMO_ACCOUNTS[0]
    client.post("/sign-in", data={"email": email, "password": password})
    body = client.get("/provider/").get_data(as_text=True)
    assert "Your listings" in body and "Still correct" in body and "Update availability" in body


def test_generate_makes_published_listings_that_index(app, db, runner):
    made = generate_listings(300, seed=3)
    assert made == 300
    assert _count(db, Service, Service.status == "published") == 300
    service = db.session.execute(select(Service).limit(1)).scalar_one()
    assert service.categories and service.locations and service.schedules
    result = runner.invoke(args=["search", "rebuild"])
    assert "Indexed 300 published listings" in result.output
    # A second batch does not collide with the first.
    assert generate_listings(10, seed=3) == 10


def test_demo_load_is_refused_outside_development(app, db, runner, monkeypatch):
    # Its accounts' passwords are in the README: a production site must never get them.
    monkeypatch.setitem(app.config, "APP_ENV", "production")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "development only" in result.output
    from app.accounts.models import User
    assert db.session.query(User).count() == 0
