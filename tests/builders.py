"""Builders for test data: each makes a valid object with sensible defaults, overridable per test."""
import itertools
from datetime import time

from flask import current_app
from sqlalchemy import select

from app.accounts import services as accounts
from app.core import validation
from app.core.db import utcnow
from app.directory import moderation, translation_review
from app.directory.listings import neighbourhood_for_postcode
from app.directory.models import (
    Category,
    JoinRequest,
    Location,
    Organisation,
    ProblemReport,
    Schedule,
    Service,
    ServiceAtLocation,
)
from app.directory.provider import onboarding
from app.selfreferral.models import Referral, ReferralShare, WaitingUpdate

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
        postcode = validation.postcode(postcode)
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

    def referral(self, shared_with=(), **overrides):
        """A referral as the form makes it, optionally shared with partner organisations."""
        n = next(_seq)
        values = dict(reference=f"HG-B{n:04d}", journey_token=f"builder-journey-{n}", route="self",
                      needs=["talk"], contact_methods=["phone", "email"], neighbourhood_code="kentish-town")
        values.update(overrides)
        answers = values.pop("answers", dict(REFERRAL_ANSWERS))
        referral = Referral(**values)
        referral.answers = answers
        referral.shares = [ReferralShare(organisation=organisation) for organisation in shared_with]
        self.db.session.add(referral)
        self.db.session.commit()
        return referral

    def waiting_update(self, referral, method="phone", status="to_do"):
        update = WaitingUpdate(referral=referral, method=method, status=status)
        self.db.session.add(update)
        self.db.session.commit()
        return update

    def pending_change(self, service, user, **changes):
        """A provider's edit to a listing, waiting for a directory manager."""
        snapshot = {**moderation.snapshot_service(service), **changes}
        revision = moderation.propose("service", service, snapshot, user)
        self.db.session.commit()
        return revision

    def pending_translation(self, service, user, language="ar", **values):
        """A provider's translation of a listing, waiting for a directory manager."""
        values = {"name": "اسم", "description": "وصف", "access_text": "", "eligibility": "", **values}
        translation_review.submit(service, language, values, user)
        self.db.session.commit()
        return translation_review.draft_for(service, language)

    def problem_report(self, service, problem="times", message="It starts at 11 now."):
        report = ProblemReport(service=service, problem=problem, message=message)
        self.db.session.add(report)
        self.db.session.commit()
        return report

    def join_request(self, organisation=None, **overrides):
        n = next(_seq)
        values = dict(name=f"Joiner {n}", email=f"joiner{n}@test.example", role_at_org="Volunteer",
                      organisation=organisation, proposed_name="" if organisation else f"New Group {n}")
        values.update(overrides)
        join_request = JoinRequest(**values)
        self.db.session.add(join_request)
        self.db.session.commit()
        return join_request

    def invitation_token(self, invited_by, organisations, email=None):
        """The token from an invitation e-mail, for someone without an account yet."""
        email = email or f"invitee{next(_seq)}@test.example"
        with current_app.test_request_context():
            _invitation, link = onboarding.invite(invited_by, email, list(organisations))
        self.db.session.commit()
        return link.rsplit("/", 1)[-1]

    def saved_draft_token(self, answers=None, days=7):
        """The token from a "save and come back later" e-mail, for a draft already detached from any browser."""
        import secrets
        from datetime import timedelta

        from app.selfreferral.models import ReferralDraft, SavedDraftLink
        from app.selfreferral.saved_drafts import hash_token
        draft = ReferralDraft(id=secrets.token_urlsafe(32), journey_token=secrets.token_urlsafe(32))
        draft.answers = answers or {"route": "self", "_completed": ["who"]}
        token = secrets.token_urlsafe(32)
        self.db.session.add(draft)
        self.db.session.add(SavedDraftLink(token_hash=hash_token(token), draft_id=draft.id,
                                           expires_at=utcnow() + timedelta(days=days)))
        self.db.session.commit()
        return token

    def password_reset_token(self, user):
        """The token from a password reset e-mail."""
        with current_app.test_request_context():
            link = accounts.request_reset(user.email)
        self.db.session.commit()
        return link.rsplit("/", 1)[-1]


REFERRAL_ANSWERS = {
    "safe": "yes", "route": "self", "full_name": "Amina Example", "preferred_name": "Amina", "dob_day": "4",
    "dob_month": "7", "dob_year": "1988", "methods": ["phone", "email"], "phone": "07700 900982",
    "email": "amina@example.org", "leave_message": "no", "address_line1": "12 Oak Road", "postcode": "NW5 2AB",
    "has_gp": "no", "needs": ["talk"], "own_words": "I feel very low.", "preferred_language": "en", "consent": True,
}


def _t(value):
    hours, minutes = (int(p) for p in value.split(":"))
    return time(hours, minutes)
