"""Scheduled work: when each job runs, and the database claim that makes each run happen once.

APScheduler fires the jobs in each worker process, but it has no locking between processes. So every run
first claims its slot (the job's scheduled fire time) by inserting a `scheduled_run` row: the row's UNIQUE
(job, slot) lets exactly one worker's insert commit; any other worker's insert fails and that worker skips
the run. Two workers (or a restarted one) therefore never run one slot twice.

Schedules are settings such as "every 30s", "daily 03:00" or "mon 09:00", in the borough's local time.
This module imports no domain: the job list lives in app/jobs.py.
"""
import json
import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import borough_timezone, now_aware, now_utc
from app.extensions import db

log = logging.getLogger(__name__)

SEND_MAIL, PURGE, REMIND = "send_mail", "purge", "remind"
# Interval schedules count from this instant, so every worker's "every 30s" fires at the same moments.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EVERY = re.compile(r"^every\s+(\d+)\s*(s|m|h)$")
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_AT = re.compile(r"^(daily|mon|tue|wed|thu|fri|sat|sun)\s+([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduledRun(db.Model):
    """One run of one job: claimed before it starts, finished with its outcome. No personal data."""
    __tablename__ = "scheduled_run"
    __table_args__ = (UniqueConstraint("job", "slot", name="uq_scheduled_run_job_slot"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(40), nullable=False)
    slot = mapped_column(DateTime, nullable=False)  # the scheduled fire time, naive UTC
    started_at = mapped_column(DateTime, nullable=False)
    finished_at = mapped_column(DateTime, nullable=True, index=True)
    # running -> ok, or error (the exception's class name in detail).
    outcome: Mapped[str] = mapped_column(String(10), nullable=False, default="running")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")  # counts, as JSON
    worker: Mapped[str] = mapped_column(String(120), nullable=False, default="")  # host:pid


@dataclass(frozen=True)
class Job:
    name: str
    schedule_setting: str  # the config key holding the schedule, e.g. "JOBS_PURGE"
    run: Callable[[], dict]  # does the work in an app context, commits, returns counts
    description: str = ""


class ScheduleError(ValueError):
    pass


def parse_schedule(text, timezone=None):
    """An APScheduler trigger for "every 30s" / "every 5m" / "every 1h", "daily HH:MM" or "<day> HH:MM"."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger
    value = " ".join((text or "").strip().lower().split())
    every = _EVERY.match(value)
    if every:
        seconds = int(every.group(1)) * {"s": 1, "m": 60, "h": 3600}[every.group(2)]
        if seconds < 1:
            raise ScheduleError(f"{text!r}: the interval must be at least 1 second")
        return IntervalTrigger(seconds=seconds, start_date=EPOCH, timezone=UTC)
    at = _AT.match(value)
    if at:
        day, hour, minute = at.group(1), int(at.group(2)), int(at.group(3))
        return CronTrigger(day_of_week=None if day == "daily" else day, hour=hour, minute=minute,
                           timezone=timezone or borough_timezone())
    raise ScheduleError(f"{text!r} is not a schedule: use 'every 30s', 'daily 03:00' or 'mon 09:00'")


def trigger_for(job, config):
    return parse_schedule(config[job.schedule_setting], borough_timezone())


def _tolerance(trigger):
    # Workers on different machines disagree by a little about the time: a run that starts a moment
    # "before" its slot still claims that slot, not the one before (which is long since claimed).
    interval = getattr(trigger, "interval", None)
    return min(timedelta(seconds=5), interval / 4) if interval else timedelta(seconds=5)


def slot_for(trigger, now=None):
    """The fire time this run belongs to: the latest at or before now (aware UTC)."""
    now = (now or now_aware()) + _tolerance(trigger)
    interval = getattr(trigger, "interval", None)
    lookback = 2 * interval if interval else timedelta(days=8)  # a weekly cron fires within 8 days
    fire = trigger.get_next_fire_time(None, now - lookback)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest.astimezone(UTC).replace(tzinfo=None) if latest else None


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(job_name, slot):
    """Insert and commit this worker's claim on (job, slot). None when another worker already has it."""
    values = {"job": job_name, "slot": slot, "started_at": now_utc(), "outcome": "running", "detail": "",
              "worker": worker_name()}
    upsert = _INSERTS.get(db.session.get_bind().dialect.name)
    if upsert is not None:
        # ON CONFLICT DO NOTHING: the losing insert inserts nothing, without an error in the database's log
        # every 30 seconds; the UNIQUE (job, slot) still decides.
        new_id = db.session.execute(upsert(ScheduledRun).values(**values).on_conflict_do_nothing(
            index_elements=["job", "slot"]).returning(ScheduledRun.id)).scalar()
        db.session.commit()
        return db.session.get(ScheduledRun, new_id) if new_id is not None else None
    run = ScheduledRun(**values)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run


def run_job(job, slot):
    """Claim the slot, run the job, record how it went. Returns the run, or None when the slot was taken.
    Never raises for the job's own failure: one job that fails must not stop the others."""
    run = claim(job.name, slot)
    if run is None:
        log.debug("%s at %s: another worker has this run", job.name, slot)
        return None
    try:
        counts = job.run() or {}
    except Exception as exc:  # logged as one line (the class only: a message could hold personal data)
        db.session.rollback()
        run = db.session.get(ScheduledRun, run.id)
        run.outcome, run.detail = "error", type(exc).__name__
        log.warning("%s failed: %s", job.name, type(exc).__name__)
    else:
        run = db.session.get(ScheduledRun, run.id)
        run.outcome, run.detail = "ok", json.dumps(counts, sort_keys=True)
        # A line when the job did something; "not_sent" alone was logged already (one line per failure).
        if any(value for key, value in counts.items() if not key.startswith("not_")):
            log.info("%s: %s", job.name, ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    run.finished_at = now_utc()
    db.session.commit()
    return run


def run_scheduled(app, job):
    """What the scheduler calls: in a fresh app context, claim this fire time's slot and run the job."""
    with app.app_context():
        try:
            slot = slot_for(trigger_for(job, app.config))
            if slot is not None:
                run_job(job, slot)
        except Exception as exc:  # the database is down, say: report it and wait for the next fire time
            db.session.rollback()
            log.warning("%s could not start: %s", job.name, type(exc).__name__)
        finally:
            db.session.remove()


def run_now(job):
    """Run a job by hand (`flask jobs run-once`): its own slot, now, so it never takes a scheduled one."""
    return run_job(job, now_utc())


def build_scheduler(app, jobs, scheduler_class=None):
    """A scheduler holding every job, each at most one at a time in this process."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    scheduler = (scheduler_class or BlockingScheduler)(timezone=borough_timezone())
    for job in jobs:
        trigger = trigger_for(job, app.config)
        options = {}
        if _missed_just_now(trigger):
            options["next_run_time"] = now_aware()
        scheduler.add_job(run_scheduled, trigger, args=(app, job), id=job.name, name=job.name,
                          coalesce=True, max_instances=1, misfire_grace_time=_grace(trigger), **options)
    return scheduler


def _missed_just_now(trigger):
    # A worker (re)started within the grace time after a daily or weekly fire time (a deploy at 03:00:20)
    # runs that slot at once; if another worker already has it, the claim says so and nothing runs twice.
    if getattr(trigger, "interval", None):
        return False  # the next fire time is moments away anyway
    slot = slot_for(trigger)
    return slot is not None and now_utc() - slot <= timedelta(seconds=_grace(trigger))


def _grace(trigger):
    # A fire time missed by more than this (the worker was busy or asleep) is skipped, not run late.
    interval = getattr(trigger, "interval", None)
    return max(1, int(interval.total_seconds())) if interval else 3600


def last_runs(names):
    """The latest run of each job, by name (None when it has never run)."""
    latest = {name: None for name in names}
    newest = (select(ScheduledRun.job, func.max(ScheduledRun.started_at).label("at"))
              .where(ScheduledRun.job.in_(list(names))).group_by(ScheduledRun.job).subquery())
    rows = db.session.execute(select(ScheduledRun).join(
        newest, (ScheduledRun.job == newest.c.job) & (ScheduledRun.started_at == newest.c.at))).scalars()
    for run in rows:
        latest[run.job] = run
    return latest


def last_finished(job_name):
    """When the job last finished well (naive UTC), or None."""
    return db.session.execute(select(func.max(ScheduledRun.finished_at)).where(
        ScheduledRun.job == job_name, ScheduledRun.outcome == "ok")).scalar()


def delete_old_runs(days):
    """Keep the table small: forget runs that started more than `days` ago. The caller commits."""
    result = db.session.execute(delete(ScheduledRun).where(ScheduledRun.started_at < now_utc() - timedelta(days=days))
                                .execution_options(synchronize_session=False))
    return result.rowcount


def health(config, now=None):
    """What /healthz says about scheduled work: reads only the outbox and scheduled_run (nothing personal).
    `late` is true when mail has waited too long, or the last purge is too old. A site whose purge has never
    run (a new one, or a developer's machine without a worker) is not late for it: watch for null instead."""
    from app.core import mail
    now = now or now_utc()
    waited = mail.oldest_unsent_age(now)
    purged = last_finished(PURGE)
    late = (waited is not None and waited > config["HEALTH_MAIL_WAIT_MINUTES"] * 60) or (
        purged is not None and now - purged > timedelta(hours=config["HEALTH_PURGE_AGE_HOURS"]))
    return {"oldest_unsent_mail_seconds": waited,
            "last_purge": purged.replace(tzinfo=UTC).isoformat() if purged else None}, late
