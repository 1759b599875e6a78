"""The subject access export holds everything about the person: every column, every related record, their mail."""
import json
from datetime import timedelta

from sqlalchemy import inspect

from app.core.db import utcnow
from app.core.mail import queue
from app.selfreferral import subject_access
from app.selfreferral.models import Referral

# Each Referral column and the export key that carries it (encrypted columns appear decrypted).
EXPORTED = {
    "reference": "reference", "answers_encrypted": "answers", "route": "route", "not_safe": "not_safe",
    "status": "status", "colour": "triage_colour", "triage_reason_encrypted": "triage_reason", "team": "team",
    "neighbourhood_code": "neighbourhood", "needs": "needs", "language": "language",
    "preferred_language": "preferred_language", "contact_methods": "contact_methods", "outcome": "outcome",
    "outcome_detail_encrypted": "outcome_detail", "created_at": "created_at",
    "first_contact_at": "first_contact_at", "last_contact_at": "last_contact_at", "closed_at": "closed_at",
    "updated_at": "updated_at",
}
NOT_EXPORTED = {
    "id": "the database's own key: says nothing about the person",
    "journey_token": "a once-only submit token: a secret, not information about the person",
}
RELATED = {"contact_attempts": "contact_attempts", "updates": "updates", "shares": "shared_with"}


def test_every_column_and_related_record_is_exported_or_excused(db, make_referral):
    referral = make_referral(not_safe=True, neighbourhood_code="kentish-town", first_contact_at=utcnow(),
                             last_contact_at=utcnow(), status="closed", outcome="supported", closed_at=utcnow())
    data = subject_access.export_record(referral)
    columns = {c.key for c in inspect(Referral).column_attrs}
    assert columns == set(EXPORTED) | set(NOT_EXPORTED), "a new Referral column needs a place in the export"
    for column, key in EXPORTED.items():
        assert key in data, column
    relationships = {r.key for r in inspect(Referral).relationships}
    assert relationships == set(RELATED), "a new record about a referral needs a place in the export"
    for key in [*RELATED.values(), "audit", "emails"]:
        assert key in data
    assert data["not_safe"] is True
    assert data["neighbourhood"]["code"] == "kentish-town" and data["neighbourhood"]["name"]
    assert data["first_contact_at"] and data["last_contact_at"] and data["closed_at"]
    json.dumps(data)  # the command writes it as JSON


def test_export_includes_the_mail_sent_to_the_person_decrypted(db, make_referral, runner):
    referral = make_referral()
    queue("someone-else@example.org", "Not theirs", "body")
    queue("AMINA@example.org", "Your referral", "body")
    db.session.commit()
    result = runner.invoke(args=["referrals", "export", referral.reference])
    data = json.loads(result.output)
    subjects = [m["subject"] for m in data["emails"]]
    assert "Your referral" in subjects and "Not theirs" not in subjects
    assert all({"subject", "created_at", "sent_at", "status"} <= set(m) for m in data["emails"])


def test_export_without_an_email_address_lists_no_mail(db, make_referral):
    referral = make_referral(overrides={"contact": {"methods": ["phone"], "email": ""}},
                             created_at=utcnow() - timedelta(days=1))
    queue("", "Blank", "body")
    db.session.commit()
    assert subject_access.export_record(referral)["emails"] == []
