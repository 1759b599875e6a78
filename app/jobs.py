"""The scheduled jobs (what runs when) and `flask jobs`. The claim-and-run machinery is app/core/jobs.py;
this module only wires each domain's service function to a schedule setting, as app/cli.py wires commands."""
import contextlib
import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.core import jobs as core_jobs
from app.core import mail
from app.core.clock import borough_timezone, now_aware, to_local
from app.directory import freshness
from app.extensions import db
from app.selfreferral import spa

jobs_cli = AppGroup("jobs", help="Scheduled work: sending mail, the retention purge, provider reminders.")


def _send_mail():
    sent, failed = mail.send_pending(limit=500, give_up_on_connection_error=True)
    return {"sent": sent, "not_sent": failed}


def _purge():
    counts = spa.run_purge()
    counts["old_runs"] = core_jobs.delete_old_runs(current_app.config["JOBS_KEEP_RUNS_DAYS"])
    db.session.commit()
    return counts


def _remind():
    result = freshness.send_reminders()
    return {"providers_emailed": result.providers_emailed, "listings_included": result.listings_included,
            "providers_skipped": result.providers_skipped, "not_sent": result.failed}


JOBS = (
    core_jobs.Job(core_jobs.SEND_MAIL, "JOBS_SEND_MAIL", _send_mail, "send queued e-mail"),
    core_jobs.Job(core_jobs.PURGE, "JOBS_PURGE", _purge, "delete referrals, drafts and mail past retention"),
    core_jobs.Job(core_jobs.REMIND, "JOBS_REMIND", _remind, "e-mail providers whose listings need checking"),
)
BY_NAME = {job.name: job for job in JOBS}


def _scheduler_or_fail(app, jobs=JOBS, scheduler_class=None):
    try:
        return core_jobs.build_scheduler(app, jobs, scheduler_class)
    except core_jobs.ScheduleError as exc:
        raise click.ClickException(str(exc)) from None


@jobs_cli.command("run")
@click.option("--verbose", is_flag=True, help="Also log each run another worker had claimed first.")
@with_appcontext
def run(verbose):
    """Run the scheduled jobs until stopped (Ctrl+C or SIGTERM). Safe to start more than one."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    logging.getLogger("app.core.jobs").setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line for every run
    app = current_app._get_current_object()
    scheduler = _scheduler_or_fail(app)
    # SIGTERM (systemd, kill) and SIGINT stop it: no new runs; a run in progress finishes first. SIGINT is
    # handled here too because a shell starts background commands with it ignored.
    def stop(*_):
        if scheduler.running:  # a second Ctrl+C while stopping is not an error
            # Waits for a run in progress, so "stopped" is said only once nothing is left running.
            scheduler.shutdown(wait=True)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    for job in JOBS:
        click.echo(f"{job.name}: {app.config[job.schedule_setting]}")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        scheduler.start()
    click.echo("Scheduled jobs stopped.")


@jobs_cli.command("list")
@with_appcontext
def list_jobs():
    """Each job: its schedule, next run and last run (borough time)."""
    app = current_app._get_current_object()
    last = core_jobs.last_runs(BY_NAME)
    for job in JOBS:
        try:
            trigger = core_jobs.trigger_for(job, app.config)
        except core_jobs.ScheduleError as exc:
            click.echo(f"{job.name}: {exc}")
            continue
        upcoming = trigger.get_next_fire_time(None, now_aware())
        latest = last[job.name]
        when = "never" if latest is None else (
            f"{to_local(latest.started_at):%Y-%m-%d %H:%M:%S} {latest.outcome} {latest.detail}".rstrip())
        click.echo(f"{job.name} ({job.description}): {app.config[job.schedule_setting]}; "
                   f"next {upcoming.astimezone(borough_timezone()):%Y-%m-%d %H:%M:%S}; last {when}")


@jobs_cli.command("run-once")
@click.argument("name", type=click.Choice(sorted(BY_NAME)))
@with_appcontext
def run_once(name):
    """Run one job now, by hand (recorded like a scheduled run)."""
    run = core_jobs.run_now(BY_NAME[name])
    if run is None:
        raise click.ClickException(f"{name} is already running")
    click.echo(f"{name}: {run.outcome} {run.detail}")
    if run.outcome != "ok":
        raise SystemExit(1)
