"""`flask referrals purge --dry-run` says what the purge would delete, and deletes nothing."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.selfreferral.models import Referral

NOW = datetime(2026, 6, 1, 12, 0)
RETENTION = timedelta(days=round(30.44 * 24))


def test_a_dry_run_counts_and_deletes_nothing(db, make_referral, runner, frozen_clock):
    frozen_clock(NOW)
    old = NOW - RETENTION - timedelta(days=1)
    make_referral(created_at=old, updated_at=old)
    make_referral(created_at=old, updated_at=old, status="closed", outcome="supported", closed_at=old)
    make_referral(created_at=NOW, updated_at=NOW)
    db.session.commit()
    result = runner.invoke(args=["referrals", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Dry run, nothing was deleted. Would delete 1 closed referrals, 1 open referrals"
                                    " with no activity for 24 months")
    db.session.expire_all()
    assert db.session.execute(select(func.count(Referral.id))).scalar_one() == 3
    assert db.session.execute(select(func.count(AuditEvent.id)).where(
        AuditEvent.action.in_(("purge", "purge_open")))).scalar_one() == 0
    result = runner.invoke(args=["referrals", "purge"])
    assert result.output.startswith("Deleted 1 closed referrals, 1 open referrals")
    assert db.session.execute(select(func.count(Referral.id))).scalar_one() == 1
