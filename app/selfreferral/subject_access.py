"""Subject access: everything held about one person, for `flask referrals export`."""
from flask import current_app
from sqlalchemy import select

from app.core import crypto
from app.core.audit import AuditEvent
from app.core.mail import OutboxMessage
from app.extensions import db


def _when(value):
    return value.isoformat() if value else None


def _neighbourhood(code):
    names = {h["code"]: h["name"] for h in current_app.config["NEIGHBOURHOODS"]}
    return {"code": code, "name": names.get(code, "")} if code else None


def emails_to(address):
    """The outbox messages to this address, decrypted (the outbox has no referral link: matched by recipient)."""
    address = (address or "").strip().lower()
    if not address:
        return []
    found = []
    for message in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)
                                      ).scalars():
        try:
            envelope = crypto.decrypt(message.envelope)
        except crypto.DecryptionError:
            continue  # under a retired key: cannot be anyone's to read
        if str(envelope.get("to", "")).strip().lower() == address:
            found.append({"subject": envelope.get("subject", ""), "kind": message.kind, "status": message.status,
                          "created_at": _when(message.created_at), "sent_at": _when(message.sent_at)})
    return found


def export_record(referral):
    """Everything held about one person. tests/selfreferral/test_subject_access.py checks every column is here."""
    answers = referral.answers
    return {
        "reference": referral.reference,
        "created_at": _when(referral.created_at),
        "updated_at": _when(referral.updated_at),
        "route": referral.route,
        "not_safe": bool(referral.not_safe),
        "status": referral.status,
        "triage_colour": referral.colour,
        "triage_reason": referral.triage_reason,
        "team": referral.team,
        "neighbourhood": _neighbourhood(referral.neighbourhood_code),
        "needs": list(referral.needs or []),
        "language": referral.language,
        "preferred_language": referral.preferred_language,
        "contact_methods": list(referral.contact_methods or []),
        "first_contact_at": _when(referral.first_contact_at),
        "last_contact_at": _when(referral.last_contact_at),
        "closed_at": _when(referral.closed_at),
        "outcome": referral.outcome,
        "outcome_detail": referral.outcome_detail,
        "answers": answers,
        "contact_attempts": [{"at": _when(a.at), "method": a.method, "result": a.result, "note": a.note}
                             for a in referral.contact_attempts],
        "updates": [{"at": _when(u.at), "method": u.method, "status": u.status} for u in referral.updates],
        "shared_with": [s.organisation.name for s in referral.shares],
        "shares": [{"organisation": s.organisation.name, "at": _when(s.at), "reason": s.reason,
                    "partner_outcome": s.outcome, "partner_note": s.outcome_note, "outcome_at": _when(s.outcome_at)}
                   for s in referral.shares],
        "emails": emails_to(answers.get("email")),
        "audit": [{"at": _when(e.at), "action": e.action, "by": e.user.email if e.user else None}
                  for e in db.session.execute(select(AuditEvent).where(AuditEvent.referral_id == referral.id)
                                              .order_by(AuditEvent.at)).scalars()],
    }
