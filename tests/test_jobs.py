"""The scheduled jobs: what runs when, `flask jobs`, two real worker processes, and /healthz."""
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import event, func, select

from app import jobs as app_jobs
from app.core import jobs, mail
from app.core.jobs import ScheduledRun
from app.core.mail import OutboxMessage
from tests.conftest import TEST_KEY

ROOT = Path(__file__).resolve().parent.parent


def test_the_schedule_has_the_three_jobs_at_their_default_times(app):
    scheduler = jobs.build_scheduler(app, app_jobs.JOBS, scheduler_class=BackgroundScheduler)
    by_id = {job.id: job.trigger for job in scheduler.get_jobs()}
    assert set(by_id) == {"send_mail", "purge", "remind"}
    assert isinstance(by_id["send_mail"], IntervalTrigger) and by_id["send_mail"].interval == timedelta(seconds=30)
    assert isinstance(by_id["purge"], CronTrigger) and str(by_id["purge"]) == "cron[hour='3', minute='0']"
    assert isinstance(by_id["remind"], CronTrigger)
    assert str(by_id["remind"]) == "cron[day_of_week='mon', hour='9', minute='0']"
    assert str(by_id["purge"].timezone) == "Europe/London"
    assert {job.id: (job.coalesce, job.max_instances) for job in scheduler.get_jobs()} == {
        name: (True, 1) for name in by_id}


def test_jobs_list_shows_each_schedule_next_and_last_run(app, db, runner, frozen_clock):
    frozen_clock(datetime(2026, 12, 1, 10, 0, 10))  # a Tuesday, GMT
    db.session.add(ScheduledRun(job="purge", slot=datetime(2026, 12, 1, 3, 0), started_at=datetime(2026, 12, 1, 3, 0),
                                finished_at=datetime(2026, 12, 1, 3, 0, 1), outcome="ok", detail='{"referrals": 2}'))
    db.session.commit()
    lines = runner.invoke(args=["jobs", "list"]).output.splitlines()
    assert lines == [
        "send_mail (send queued e-mail): every 30s; next 2026-12-01 10:00:30; last never",
        "purge (delete referrals, drafts and mail past retention): daily 03:00; next 2026-12-02 03:00:00; "
        'last 2026-12-01 03:00:00 ok {"referrals": 2}',
        "remind (e-mail providers whose listings need checking): mon 09:00; next 2026-12-07 09:00:00; last never"]


def test_a_bad_schedule_setting_stops_the_worker_with_a_message(app, runner):
    app.config["JOBS_PURGE"] = "sometimes"
    try:
        result = runner.invoke(args=["jobs", "run"])
        listed = runner.invoke(args=["jobs", "list"]).output
    finally:
        app.config["JOBS_PURGE"] = "daily 03:00"
    assert result.exit_code == 1 and "'sometimes' is not a schedule" in result.output
    assert "purge: 'sometimes' is not a schedule" in listed


def test_run_once_runs_the_same_service_as_the_command(app, db, runner, smtp_server, frozen_clock):
    now = frozen_clock(datetime(2026, 12, 1, 10, 0))
    db.session.add(ScheduledRun(job="remind", slot=now - timedelta(days=40), started_at=now - timedelta(days=40)))
    mail.queue("someone@example.org", "Hello", "Body")
    db.session.commit()
    assert runner.invoke(args=["jobs", "run-once", "send_mail"]).output == 'send_mail: ok {"not_sent": 0, "sent": 1}\n'
    assert [m["To"] for m in smtp_server] == ["someone@example.org"]
    purged = runner.invoke(args=["jobs", "run-once", "purge"])
    assert purged.exit_code == 0 and '"old_runs": 1' in purged.output and '"referrals": 0' in purged.output
    assert runner.invoke(args=["jobs", "run-once", "remind"]).output.startswith('remind: ok {"listings_included": 0')
    assert runner.invoke(args=["jobs", "run-once", "nothing"]).exit_code == 2
    db.session.expire_all()
    assert sorted(db.session.execute(select(ScheduledRun.job)).scalars()) == ["purge", "remind", "send_mail"]


def test_the_scheduled_sender_stops_at_an_unreachable_server_and_never_gives_up_on_it(app, db, caplog):
    for i in range(3):
        mail.queue(f"p{i}@example.org", "Hi", "Hello")
    db.session.commit()
    first = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().first()
    first.attempts = mail.MAX_ATTEMPTS
    db.session.commit()
    assert app_jobs._send_mail() == {"sent": 0, "not_sent": 1}  # nothing listens on the test MAIL_PORT
    assert len([r for r in caplog.records if r.name == "app.core.mail"]) == 1  # one line, not one per message
    db.session.expire_all()
    rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)).all()
    assert rows == [("pending", mail.MAX_ATTEMPTS + 1), ("pending", 0), ("pending", 0)]


def _worker(tmp_path, app, name):
    env = dict(os.environ, APP_ENV="development", FLASK_APP="wsgi.py", SECRET_KEY="test-secret",
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], PERSONAL_DATA_KEYS=TEST_KEY,
               MAIL_SERVER="127.0.0.1", MAIL_PORT=str(app.config["MAIL_PORT"]), SITE_URL="http://localhost",
               INSTANCE_PATH=str(tmp_path / name), SEARCH_INDEX_DIR=str(tmp_path / name / "index"),
               JOBS_SEND_MAIL="every 1s", JOBS_PURGE="every 1s", JOBS_REMIND="every 2s")
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed when the process has stopped
    process = subprocess.Popen([sys.executable, "-m", "flask", "jobs", "run", "--verbose"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    return process, log


def test_two_workers_run_each_slot_once_and_send_each_message_once(app, db, smtp_server, tmp_path):
    for i in range(10):
        mail.queue(f"before{i}@example.org", "Hi", "Hello")
    db.session.commit()
    workers = [_worker(tmp_path, app, name) for name in ("one", "two")]
    try:
        _wait(db, lambda: len(smtp_server) >= 10)
        for i in range(10):  # queued while both are running: the next run sends them
            mail.queue(f"during{i}@example.org", "Hi", "Hello")
        db.session.commit()
        _wait(db, lambda: len(smtp_server) >= 20 and min(_finished_runs(db).values(), default=0) >= 3
              and len(_finished_runs(db)) == 3)
    finally:
        for process, _log in workers:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=60) for process, _log in workers]
        for _process, log in workers:
            log.close()
    logs = [(tmp_path / f"{name}.log").read_text() for name in ("one", "two")]
    assert codes == [0, 0], logs
    expected = [f"before{i}@example.org" for i in range(10)] + [f"during{i}@example.org" for i in range(10)]
    assert sorted(m["To"] for m in smtp_server) == sorted(expected)  # each message once
    db.session.expire_all()
    runs = db.session.execute(select(ScheduledRun)).scalars().all()
    assert {run.outcome for run in runs} == {"ok"}, logs
    assert len({(run.job, run.slot) for run in runs}) == len(runs)
    # Every run is one of the schedule's fire times (both workers name the same slots), so a duplicate
    # would have met the UNIQUE (job, slot) rather than slipping in as a slot of its own.
    assert {run.slot.microsecond for run in runs} == {0}
    assert {run.slot.second % 2 for run in runs if run.job == "remind"} == {0}
    # Both were running and competing for the same slots: the loser of each claim skipped that run.
    skipped = sum(log.count("another worker has this run") for log in logs)
    assert skipped > 0, logs
    assert "Traceback" not in "".join(logs)
    assert all(log.rstrip().endswith("Scheduled jobs stopped.") for log in logs)


def _finished_runs(db):
    return dict(db.session.execute(select(ScheduledRun.job, func.count()).where(
        ScheduledRun.finished_at.is_not(None)).group_by(ScheduledRun.job)).all())


def _wait(db, done, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        found = done()
        db.session.commit()  # end the read, so the workers can write (SQLite)
        if found:
            return
        time.sleep(0.25)


def test_healthz_reports_waiting_mail_and_the_last_purge(app, db, client, frozen_clock):
    now = frozen_clock(datetime(2026, 12, 1, 12, 0))
    body = client.get("/healthz").json
    assert (body["status"], body["oldest_unsent_mail_seconds"], body["last_purge"]) == ("ok", None, None)
    mail.queue("someone@example.org", "Hi", "Hello")
    db.session.add(ScheduledRun(job="purge", slot=now, started_at=now, finished_at=now + timedelta(seconds=2),
                                outcome="ok"))
    db.session.commit()
    frozen_clock(now + timedelta(minutes=2))
    body = client.get("/healthz").json
    assert (body["status"], body["oldest_unsent_mail_seconds"], body["last_purge"]) == (
        "ok", 120, "2026-12-01T12:00:02+00:00")
    frozen_clock(now + timedelta(minutes=12))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert (response.json["status"], response.json["oldest_unsent_mail_seconds"]) == ("degraded", 720)
    assert "someone@" not in response.get_data(as_text=True)


def test_healthz_reads_no_referral_table(app, db, client):
    statements = []

    def keep(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        assert client.get("/healthz").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert any("outbox_message" in s for s in statements) and any("scheduled_run" in s for s in statements)
    assert not [s for s in statements if "referral" in s]
