"""Open referrals with no activity for OPEN_REFERRAL_RETENTION_MONTHS are deleted, after a warning to SPA staff."""
from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.audit import AuditEvent
from app.selfreferral.models import ContactAttempt, Referral

NOW = datetime(2026, 6, 1, 12, 0)
RETENTION = timedelta(days=round(30.44 * 24))


def _idle_since(make_referral, when, **columns):
    return make_referral(created_at=when, updated_at=when, **columns)


def test_purge_deletes_open_referrals_idle_past_retention_and_audits_each(db, make_referral, runner, frozen_clock):
    frozen_clock(NOW)
    stale = _idle_since(make_referral, NOW - RETENTION - timedelta(days=1))
    busy = _idle_since(make_referral, NOW - RETENTION - timedelta(days=1))
    db.session.add(ContactAttempt(referral=busy, method="phone", result="no_answer", at=NOW - timedelta(days=3)))
    recent = _idle_since(make_referral, NOW - RETENTION + timedelta(days=5))
    closed = _idle_since(make_referral, NOW - RETENTION - timedelta(days=1), status="closed", outcome="supported",
                         closed_at=NOW - timedelta(days=10))
    db.session.commit()
    stale_id = stale.id
    result = runner.invoke(args=["referrals", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 open referrals with no activity for 24 months" in result.output
    remaining = set(db.session.execute(select(Referral.reference)).scalars())
    assert remaining == {busy.reference, recent.reference, closed.reference}
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "purge_open")).scalars().all()
    assert [e.referral_id for e in events] == [stale_id]
    assert "Amina" not in events[0].detail + result.output


def test_retention_is_a_setting(app, db, make_referral, runner, frozen_clock):
    frozen_clock(NOW)
    _idle_since(make_referral, NOW - timedelta(days=200))
    app.config["OPEN_REFERRAL_RETENTION_MONTHS"] = 6
    try:
        result = runner.invoke(args=["referrals", "purge"])
    finally:
        app.config["OPEN_REFERRAL_RETENTION_MONTHS"] = 24
    assert "1 open referrals with no activity for 6 months" in result.output
    assert db.session.execute(select(Referral)).first() is None


def test_inbox_warns_of_open_referrals_due_for_deletion_and_lists_them(client, db, make_referral, spa_user, login,
                                                                        frozen_clock):
    frozen_clock(NOW)
    soon = _idle_since(make_referral, NOW - RETENTION + timedelta(days=10))
    later = _idle_since(make_referral, NOW - RETENTION + timedelta(days=40))
    login(spa_user)
    body = client.get("/spa/").get_data(as_text=True)
    assert "1 open referral will be deleted in the next 30 days" in body
    assert "expiring=yes" in body
    listed = client.get("/spa/?expiring=yes").get_data(as_text=True)
    assert soon.reference in listed and later.reference not in listed


def test_no_banner_when_nothing_is_due(client, db, make_referral, spa_user, login, frozen_clock):
    frozen_clock(NOW)
    _idle_since(make_referral, NOW - timedelta(days=5))
    login(spa_user)
    body = client.get("/spa/").get_data(as_text=True)
    assert "will be deleted in the next" not in body


def test_key_rotation_is_not_activity(app, db, make_referral, runner, frozen_clock):
    frozen_clock(NOW)
    _idle_since(make_referral, NOW - RETENTION - timedelta(days=1))
    assert runner.invoke(args=["referrals", "rotate-key"]).exit_code == 0  # rewrites every row
    result = runner.invoke(args=["referrals", "purge"])
    assert "1 open referrals with no activity" in result.output


def test_a_staff_action_is_activity(db, make_referral, runner, frozen_clock, spa_user):
    from app.selfreferral import spa
    frozen_clock(NOW)
    referral = _idle_since(make_referral, NOW - RETENTION - timedelta(days=1))
    spa.triage(referral, spa_user, "green", "Low risk")
    db.session.commit()
    result = runner.invoke(args=["referrals", "purge"])
    assert "0 open referrals with no activity" in result.output
