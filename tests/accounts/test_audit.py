"""The audit log records sign-ins, failed sign-ins, sign-outs, password resets, refused referral lookups and views
of the log itself; it names records by their HG- reference; an admin filters it and downloads the rows as CSV."""
from sqlalchemy import select

from app.core.audit import AuditEvent


def _events(db, action=None):
    statement = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return db.session.execute(statement).scalars().all()


def test_referral_events_show_the_hg_reference(client, db, build, login):
    login(build.user("spa"))
    referral = build.referral()
    client.get(f"/spa/referrals/{referral.reference}")
    [viewed] = _events(db, "view")
    assert viewed.record == referral.reference


