"""Fictional referrals so the SPA inbox and reports have something to show in the demo."""
import random
import secrets
from datetime import timedelta

from sqlalchemy import func, select

from app.core.clock import now_utc
from app.demo import content
from app.extensions import db
from app.selfreferral.journey import new_reference
from app.selfreferral.models import ContactAttempt, Referral


def load_demo_referrals(count=24, seed=3):
    """Add `count` fictional referrals unless there are referrals already; the caller commits."""
    if db.session.execute(select(func.count()).select_from(Referral)).scalar_one():
        return 0
    rng = random.Random(seed)
    now = now_utc()
    people = content.referral_people()
    for n in range(count):
        db.session.add(_fictional_referral(rng, n, now, people))
    db.session.flush()
    return count


def _fictional_referral(rng, n, now, people):
    # The order of the random draws is what makes the seed reproducible: keep it when editing.
    name = rng.choice(people["first_names"])
    created = now - timedelta(days=rng.randint(0, 80), hours=rng.randint(0, 23))
    status = rng.choice(["new", "new", "triaged", "contacted", "allocated", "closed", "closed"])
    methods = rng.sample(["phone", "text", "email", "letter"], rng.randint(1, 2))
    referral = Referral(
        reference=new_reference(), journey_token=secrets.token_urlsafe(32),
        route=rng.choice(["self", "self", "self", "on_behalf", "worker"]), not_safe=n % 11 == 0,
        status=status, colour=None if status == "new" else rng.choice(["red", "amber", "green", "green"]),
        neighbourhood_code=rng.choice(["north-west", "kentish-town", "south", ""]),
        needs=rng.sample(["talk", "money", "housing", "food", "active", "creative", "community"], 2),
        preferred_language=rng.choice(["en", "en", "bn", "so", "pl", "pt", "ar"]), contact_methods=methods,
        created_at=created, team=rng.choice(["", "North-West core team", "South core team"]))
    referral.answers = {
        "full_name": f"{name} Example", "preferred_name": name, "age": str(rng.randint(18, 80)),
        "methods": methods, "phone": f"07700 900{n:03d}", "email": f"{name.lower()}{n}@example.org",
        "leave_message": rng.choice(["yes", "no"]), "not_before": "10:00", "not_after": "18:00",
        "has_gp": rng.choice(["yes", "no", "not_sure"]), "ethnicity": rng.choice(people["ethnicities"]),
        "own_words": "Fictional demo referral.", "consent": True, "safe": "no" if n % 11 == 0 else "yes",
        "route": referral.route, "needs": referral.needs, "preferred_language": referral.preferred_language,
        "connection": "",
    }
    if referral.route != "self":  # a helper filled it in: their details, and no wellbeing score (only the person's)
        referral.answers = {**referral.answers, "referrer_name": "Demo Helper", "referrer_phone": "020 7946 0000",
                            "agreement": True, "swemwbs_score": None}
    if status != "new":
        referral.triage_reason = "Demo triage."
    if status in ("contacted", "allocated", "closed"):
        _contacted(referral, rng, created, now)
    if status == "closed":
        referral.closed_at = min(now, (referral.first_contact_at or created) + timedelta(days=rng.randint(1, 30)))
        referral.outcome = rng.choice(["supported", "signposted", "referred_on", "declined", "could_not_contact"])
        referral.outcome_detail = "Demo" if referral.outcome in ("signposted", "referred_on") else ""
    return referral


def _contacted(referral, rng, created, now):
    contact_at = created + timedelta(days=rng.randint(1, 20))
    referral.first_contact_at = referral.last_contact_at = min(contact_at, now)
    attempt = ContactAttempt(method="phone", result="reached", at=referral.first_contact_at)
    attempt.note = ""
    referral.contact_attempts.append(attempt)
