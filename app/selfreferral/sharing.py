"""What a partner organisation sees of a referral shared with it, and what it reports back.

A partner gets the minimum needed to support the person, defined once here (PARTNER_FIELDS): never the equality
answers, the wellbeing score, the triage notes or the SPA's contact log. The partner page and anything a partner
can download are built from `partner_view()` alone.
"""
from flask_babel import gettext as _

from app.core.db import utcnow
from app.extensions import db
from app.selfreferral import contact_wishes
from app.selfreferral.models import PARTNER_OUTCOMES, ReferralShare
from app.selfreferral.spa import SpaError, audit, partner_organisation_ids

# The answers a partner may read: who the person is, how and when to contact them, their language, what they
# want help with. Anything not listed here stays with the SPA.
PARTNER_FIELDS = (
    "full_name", "preferred_name", "pronouns",
    "phone", "email", "trusted_contact", "methods", "best_days", "best_times", "not_before", "not_after",
    "leave_message",
    "preferred_language", "interpreter", "access_needs",
    "needs", "own_words",
)
# The address only when a letter is how they want to be contacted.
PARTNER_LETTER_FIELDS = ("address_line1", "address_line2", "town", "postcode")


def partner_answers(referral):
    answers = referral.answers
    fields = PARTNER_FIELDS + (PARTNER_LETTER_FIELDS if "letter" in (referral.contact_methods or []) else ())
    return {name: answers[name] for name in fields if name in answers}


def partner_view(referral, user):
    """Everything the partner page shows: the minimum answers, the contact wishes, the share (reason, outcome)."""
    answers = partner_answers(referral)
    return {"reference": referral.reference, "answers": answers, "needs": list(referral.needs or []),
            "preferred_language": referral.preferred_language,
            "contact": contact_wishes.window(referral, answers), "shares": shares_for(referral, user)}


def shares_for(referral, user):
    """This partner's shares of the referral (one per organisation they have access to)."""
    org_ids = partner_organisation_ids(user)
    return [share for share in referral.shares if share.organisation_id in org_ids]


def share(referral, user, organisation, reason):
    if organisation is None:
        raise SpaError(_("Choose the partner organisation"), field="organisation")
    if not (reason or "").strip():
        raise SpaError(_("Say why you are sharing it, so the partner knows what to do"), field="share-reason")
    existing = next((s for s in referral.shares if s.organisation_id == organisation.id), None)
    if existing is not None:
        existing.reason = reason.strip()[:1000]
        return existing
    shared = ReferralShare(referral=referral, organisation=organisation, shared_by_id=user.id)
    shared.reason = reason.strip()[:1000]
    db.session.add(shared)
    audit(user, "share", referral, f"organisation={organisation.slug}")
    return shared


def record_outcome(referral, user, outcome, note="", organisation_id=None):
    """The partner says what happened: accepted, started, declined or could not contact, with an optional note."""
    mine = shares_for(referral, user)
    if organisation_id is not None:
        mine = [s for s in mine if str(s.organisation_id) == str(organisation_id)] or mine
    if not mine:
        raise SpaError(_("This referral is not shared with your organisation"))
    if outcome not in PARTNER_OUTCOMES:
        raise SpaError(_("Choose what happened"), field="partner-outcome")
    shared = mine[0]
    shared.outcome, shared.outcome_at, shared.outcome_by_id = outcome, utcnow(), user.id
    shared.outcome_note = (note or "").strip()[:1000]
    audit(user, "partner_outcome", referral, f"organisation={shared.organisation.slug} outcome={outcome}")
    return shared


def latest_outcomes(referrals):
    """{referral id: [(organisation name, outcome)]} for the inbox, from shares already loaded."""
    return {r.id: [(s.organisation.name, s.outcome) for s in r.shares if s.outcome] for r in referrals}
