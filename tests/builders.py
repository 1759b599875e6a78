"""Builders for test data: each makes a valid object with sensible defaults, overridable per test."""
import itertools
from datetime import time

from sqlalchemy import select

from app.accounts import services as accounts
from app.directory.models import Category, Location, Organisation, Schedule, Service, ServiceAtLocation
from app.directory.listings import neighbourhood_for_postcode, normalise_postcode
from app.core.db import utcnow

_seq = itertools.count(1)


class Builders:
    PASSWORD = "correct horse battery"

    def __init__(self, db):
        self.db = db

    def organisation(self, **overrides):
        n = next(_seq)
        values = dict(slug=f"org-{n}", name=f"Test Organisation {n}", phone="020 7946 0001",
                      email=f"hello{n}@org.example")
        values.update(overrides)
        org = Organisation(**values)
        self.db.session.add(org)
        self.db.session.commit()
        return org

    def location(self, organisation, postcode="NW5 2AB", **overrides):
        postcode = normalise_postcode(postcode)
        values = dict(name="Test Hall", address_1="1 Test Road", latitude=51.55, longitude=-0.14)
        values.update(overrides)
        location = Location(organisation=organisation, postcode=postcode,
                            neighbourhood=neighbourhood_for_postcode(postcode), **values)
        self.db.session.add(location)
        self.db.session.commit()
        return location

    def category(self, code):
        return self.db.session.execute(select(Category).where(Category.code == code)).scalar_one()

    def service(self, organisation=None, categories=("talk-befriending",), location=True, weekly=(), events=(),
                **overrides):
        n = next(_seq)
        organisation = organisation or self.organisation()
        values = dict(slug=f"service-{n}", name=f"Test service {n}", description="A friendly weekly group.",
                      status="published", formats=["in_person"], languages=["en"], cost_type="free",
                      capacity_status="taking", last_verified_at=utcnow(), contact_name="Alex Liaison",
                      contact_role="Coordinator", contact_phone="020 7946 0999", contact_email="alex@org.example")
        values.update(overrides)
        categories = [self.category(code) for code in categories]
        loc = None
        if location:
            loc = location if isinstance(location, Location) else self.location(organisation)
        service = Service(organisation=organisation, **values)
        self.db.session.add(service)
        service.categories = categories
        if loc:
            service.service_locations.append(ServiceAtLocation(location=loc))
        for weekday, opens, closes in weekly:
            service.schedules.append(Schedule(kind="weekly", weekday=weekday, opens_at=_t(opens), closes_at=_t(closes)))
        for day, opens, closes, title in events:
            service.schedules.append(Schedule(kind="event", event_date=day, opens_at=_t(opens), closes_at=_t(closes),
                                              title=title))
        self.db.session.add(service)
        self.db.session.commit()
        return service

    def user(self, *roles, email=None, organisations=(), password=None):
        n = next(_seq)
        user = accounts.create_user(email or f"user{n}@test.example", password or self.PASSWORD, roles,
                                    name=f"User {n}", organisations=organisations)
        self.db.session.commit()
        return user


def _t(value):
    hours, minutes = (int(p) for p in value.split(":"))
    return time(hours, minutes)
