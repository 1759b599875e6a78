"""The claim-and-run machinery: schedules, slots, one claim per (job, slot), failures recorded, health."""
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.core import jobs, mail
from app.core.jobs import Job, ScheduledRun

LONDON = ZoneInfo("Europe/London")


def _local(*args):
    return datetime(*args, tzinfo=LONDON)


def test_interval_schedules_fire_at_the_same_moments_in_every_worker():
    trigger = jobs.parse_schedule("every 30s")
    assert trigger.interval == timedelta(seconds=30)
    # Counted from a fixed instant, not from when the worker started: two workers agree on every fire time.
    later = trigger.get_next_fire_time(None, datetime(2026, 12, 1, 12, 0, 7, 123, tzinfo=UTC))
    assert later == datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC)
    assert jobs.parse_schedule("every 5m").interval == timedelta(minutes=5)
    assert jobs.parse_schedule(" Every  2 h ").interval == timedelta(hours=2)


def test_daily_and_weekly_schedules_are_borough_time_across_the_clock_change():
    daily = jobs.parse_schedule("daily 03:00", LONDON)
    assert daily.get_next_fire_time(None, _local(2026, 12, 1, 10, 0)) == _local(2026, 12, 2, 3, 0)
    summer = daily.get_next_fire_time(None, _local(2026, 7, 1, 10, 0))
    assert summer.astimezone(UTC) == datetime(2026, 7, 2, 2, 0, tzinfo=UTC)  # 03:00 BST
    weekly = jobs.parse_schedule("mon 09:00", LONDON)
    assert weekly.get_next_fire_time(None, _local(2026, 12, 1, 10, 0)) == _local(2026, 12, 7, 9, 0)  # a Tuesday


@pytest.mark.parametrize("text", ["", "sometimes", "every 0s", "every 3 days", "daily 25:00", "daily 3pm",
                                  "monday 09:00", "every -5s"])
def test_a_schedule_that_makes_no_sense_is_refused(text):
    with pytest.raises(jobs.ScheduleError):
        jobs.parse_schedule(text, LONDON)


def test_a_run_belongs_to_the_latest_fire_time_even_from_a_clock_slightly_behind():
    daily = jobs.parse_schedule("daily 03:00", LONDON)
    three = datetime(2026, 12, 1, 3, 0)  # naive UTC, as stored (GMT in December)
    assert jobs.slot_for(daily, _local(2026, 12, 1, 3, 0, 0, 400)) == three
    assert jobs.slot_for(daily, _local(2026, 12, 1, 14, 0)) == three
    assert jobs.slot_for(daily, _local(2026, 12, 1, 2, 59, 58)) == three  # a worker 2 s behind
    assert jobs.slot_for(daily, _local(2026, 12, 1, 2, 59, 50)) == three - timedelta(days=1)
    every = jobs.parse_schedule("every 30s")
    assert jobs.slot_for(every, datetime(2026, 12, 1, 12, 0, 31, tzinfo=UTC)) == datetime(2026, 12, 1, 12, 0, 30)
    weekly = jobs.parse_schedule("mon 09:00", LONDON)
    assert jobs.slot_for(weekly, _local(2026, 12, 6, 23, 0)) == datetime(2026, 11, 30, 9, 0)


def test_a_slot_is_claimed_once(app, db):
    slot = datetime(2026, 12, 1, 3, 0)
    first = jobs.claim("purge", slot)
    assert first is not None and first.outcome == "running" and first.worker.endswith(f":{os.getpid()}")
    assert jobs.claim("purge", slot) is None  # the UNIQUE (job, slot) refuses a second claim
    assert jobs.claim("purge", slot + timedelta(days=1)) is not None  # the next slot is free
    assert jobs.claim("remind", slot) is not None  # and another job's same slot
    assert db.session.execute(select(ScheduledRun.job, ScheduledRun.slot).order_by(ScheduledRun.id)).all() == [
        ("purge", slot), ("purge", slot + timedelta(days=1)), ("remind", slot)]


def test_parallel_claims_of_one_slot_leave_one_winner(app, db):
    slot, winners, start = datetime(2026, 12, 1, 3, 0), [], threading.Barrier(4)

    def worker():
        with app.app_context():
            start.wait()
            if jobs.claim("purge", slot) is not None:
                winners.append(threading.get_ident())
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(winners) == 1
    assert db.session.execute(select(ScheduledRun)).scalars().all()[0].slot == slot


def test_a_run_records_its_counts_and_a_taken_slot_does_not_run(app, db, frozen_clock):
    frozen_clock(datetime(2026, 12, 1, 3, 0, 2))
    calls = []
    job = Job("count", "JOBS_PURGE", lambda: calls.append(1) or {"deleted": 3})
    run = jobs.run_job(job, datetime(2026, 12, 1, 3, 0))
    assert (run.outcome, run.detail, run.finished_at) == ("ok", '{"deleted": 3}', datetime(2026, 12, 1, 3, 0, 2))
    assert jobs.run_job(job, datetime(2026, 12, 1, 3, 0)) is None
    assert calls == [1]


def test_a_job_that_raises_is_recorded_in_one_line_without_its_message(app, db, caplog):
    def broken():
        db.session.add(ScheduledRun(job="half-done", slot=datetime(2026, 1, 1), started_at=datetime(2026, 1, 1)))
        db.session.flush()
        raise ValueError("someone@example.org")

    with caplog.at_level(logging.INFO, logger="app.core.jobs"):
        run = jobs.run_job(Job("broken", "JOBS_PURGE", broken), datetime(2026, 12, 1, 3, 0))
    assert (run.outcome, run.detail) == ("error", "ValueError") and run.finished_at is not None
    assert [r.getMessage() for r in caplog.records] == ["broken failed: ValueError"]
    assert "someone@" not in caplog.text
    # What the job had not committed is undone; the claim stays, so the slot is not run again.
    assert db.session.execute(select(ScheduledRun.job)).scalars().all() == ["broken"]


def test_old_runs_are_forgotten(app, db, frozen_clock):
    now = frozen_clock(datetime(2026, 12, 1, 3, 0))
    for days in (31, 29):
        db.session.add(ScheduledRun(job="purge", slot=now - timedelta(days=days),
                                    started_at=now - timedelta(days=days), outcome="ok"))
    db.session.commit()
    assert jobs.delete_old_runs(30) == 1
    db.session.commit()
    assert db.session.execute(select(ScheduledRun.slot)).scalars().all() == [now - timedelta(days=29)]


def test_health_reports_waiting_mail_and_the_last_finished_purge(app, db, frozen_clock):
    config = {"HEALTH_MAIL_WAIT_MINUTES": 10, "HEALTH_PURGE_AGE_HOURS": 48}
    now = frozen_clock(datetime(2026, 12, 1, 12, 0))
    assert jobs.health(config) == ({"oldest_unsent_mail_seconds": None, "last_purge": None}, False)
    mail.queue("a@example.org", "Hi", "Hello")
    sent = mail.queue("b@example.org", "Hi", "Hello")
    db.session.commit()
    sent.status, sent.created_at = "sent", now - timedelta(hours=5)  # sent long ago: not waiting
    db.session.add(ScheduledRun(job="purge", slot=now - timedelta(days=3), started_at=now - timedelta(days=3),
                                finished_at=now - timedelta(days=3), outcome="ok"))
    db.session.add(ScheduledRun(job="purge", slot=now - timedelta(days=1), started_at=now - timedelta(days=1),
                                outcome="running"))  # never finished: not a purge that happened
    db.session.commit()
    frozen_clock(now + timedelta(minutes=9))
    report, late = jobs.health(config)
    assert report == {"oldest_unsent_mail_seconds": 540, "last_purge": "2026-11-28T12:00:00+00:00"}
    assert late  # the last purge is three days old
    db.session.add(ScheduledRun(job="purge", slot=now - timedelta(hours=2), started_at=now - timedelta(hours=2),
                                finished_at=now - timedelta(hours=2), outcome="ok"))
    db.session.commit()
    assert jobs.health(config) == ({"oldest_unsent_mail_seconds": 540, "last_purge": "2026-12-01T10:00:00+00:00"},
                                   False)
    frozen_clock(now + timedelta(minutes=11))
    assert jobs.health(config)[1]  # mail has waited too long


def test_the_worker_keeps_going_when_one_job_raises(app, db):
    from apscheduler.schedulers.background import BackgroundScheduler

    def broken():
        raise RuntimeError("boom")

    app.config["JOBS_TEST_EVERY"] = "every 1s"
    scheduler = jobs.build_scheduler(app, [Job("broken", "JOBS_TEST_EVERY", broken),
                                           Job("works", "JOBS_TEST_EVERY", lambda: {"done": 1})],
                                     scheduler_class=BackgroundScheduler)
    scheduler.start()
    try:
        outcomes = _wait_for(db, lambda rows: sum(r.job == "works" for r in rows) >= 3
                             and sum(r.job == "broken" for r in rows) >= 3)
    finally:
        scheduler.shutdown(wait=True)
        app.config.pop("JOBS_TEST_EVERY")
    assert {(r.job, r.outcome, r.detail) for r in outcomes} == {("broken", "error", "RuntimeError"),
                                                                ("works", "ok", '{"done": 1}')}


def _wait_for(db, done, seconds=60):
    import time
    deadline = time.monotonic() + seconds
    while True:
        db.session.expire_all()
        rows = db.session.execute(select(ScheduledRun).where(ScheduledRun.finished_at.is_not(None))).scalars().all()
        if done(rows) or time.monotonic() > deadline:
            db.session.commit()
            return rows
        time.sleep(0.2)


def test_a_worker_started_soon_after_a_daily_fire_time_runs_that_slot_at_once(app, frozen_clock):
    from apscheduler.schedulers.background import BackgroundScheduler
    app.config["JOBS_TEST_DAILY"] = "daily 03:00"
    job = Job("daily", "JOBS_TEST_DAILY", lambda: {})
    try:
        frozen_clock(datetime(2026, 12, 1, 3, 20))  # a deploy restarted the worker just after 03:00
        soon = jobs.build_scheduler(app, [job], scheduler_class=BackgroundScheduler).get_jobs()[0]
        frozen_clock(datetime(2026, 12, 1, 9, 0))  # long after: wait for tomorrow
        later = jobs.build_scheduler(app, [job], scheduler_class=BackgroundScheduler).get_jobs()[0]
    finally:
        app.config.pop("JOBS_TEST_DAILY")
    assert soon.next_run_time == datetime(2026, 12, 1, 3, 20, tzinfo=UTC)
    assert getattr(later, "next_run_time", None) is None  # the trigger decides when the scheduler starts


def test_on_a_database_without_on_conflict_the_failed_insert_refuses_the_claim(app, db, monkeypatch):
    monkeypatch.setattr(jobs, "_INSERTS", {})  # the plain INSERT, whose UNIQUE violation is caught
    slot = datetime(2026, 12, 1, 3, 0)
    assert jobs.claim("purge", slot) is not None
    assert jobs.claim("purge", slot) is None
    assert jobs.claim("purge", slot + timedelta(days=1)) is not None  # the session still works
