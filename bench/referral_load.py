"""Referral load and fault benchmark: complete self-referrals through the real form, served by gunicorn.

Each client is a thread that walks the multi-page form like a browser: GET /refer/, POST /refer/start, every
question page (fields read from the page, answers from a table, the honeypot left empty, the CSRF token sent
back), the check page, Send, and the confirmation page with its HG- reference. Every journey is a new person
with their own cookies and e-mail address. On a connection error or a 5xx the client waits a moment and sends
the same request again with the same cookies and form, as a person pressing Send again or reloading would.

Runs, each on a fresh database (SQLite by default, `--database-url` for PostgreSQL), gunicorn started with the
repo's gunicorn.conf.py in production settings:
  baseline: the same referrals from 1 client, one after another, undisturbed (the simple alternative);
  (a) N clients at once, undisturbed;
  (b) N clients at once while workers are killed with `kill -9` at random moments and, every few kills,
      the master too (a new gunicorn is then started with the same config).
Then it counts: submitted, acknowledged, stored (rows, decrypted), lost, duplicated (by journey token and by
decrypted content), confirmation e-mails per referral (a local SMTP server in this process) before and after
`flask outbox send` drains what a killed worker left queued, throughput, p50/p95 of the final submit.

Targets: 0 lost, 0 duplicated, exactly one confirmation e-mail per referral.
Run: .venv/bin/python bench/referral_load.py [--referrals 500 --clients 50] [--no-kill] [--quick]
     [--database-url postgresql://postgres@127.0.0.1:5432/load_bench] [--skip-baseline]
Rate limits are raised for the run (every client is 127.0.0.1) and REFERRAL_MIN_SECONDS is 0: see BENCH_ENV.
"""
import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess  # nosec B404: starts gunicorn and flask commands from this repo
import sys
import tempfile
import threading
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REFERENCE = re.compile(r"HG-[0-9A-Z]{4}-[0-9A-Z]{2}")
# Valid answers per field name (as tests/selfreferral/conftest.py VALID); "email" is each journey's own.
ANSWERS = {
    "safe": "yes", "route": "self", "full_name": "Amina Example", "preferred_name": "Amina", "dob_day": "4",
    "dob_month": "7", "dob_year": "1988", "pronouns": "she/her", "methods": ["phone", "email"],
    "phone": "07700 900982", "best_days": ["1", "3"], "best_times": ["morning"], "not_before": "10:00",
    "not_after": "17:30", "leave_message": "no", "address_line1": "12 Oak Road", "postcode": "nw5 2ab",
    "has_gp": "no", "needs": ["talk", "money"], "own_words": "I feel very low and I'm behind on rent.",
    "substances": "prefer_not", "preferred_language": "bn", "interpreter": "yes", "ethnicity": "asian-bangladeshi",
    "sex": "female", "religion": "muslim", "consent": "y", **{f"item{i}": "2" for i in range(1, 8)},
}
HONEYPOT = "website"
# Production settings, with every referral limit far above what 500 referrals from one address need.
BENCH_ENV = {
    "REFERRAL_MIN_SECONDS": "0",
    "RATELIMIT_REFERRAL_PER_ADDRESS": "100000 per hour",
    "RATELIMIT_REFERRAL_PER_SESSION": "100 per hour",
    "WEB_CONCURRENCY": "",  # gunicorn.conf.py's default: 2 x cores + 1
    # Production refuses to start without the service's real contacts; these stand in for them.
    "SPA_DUTY_EMAIL": "spa-duty@bench.example", "CHILDREN_SERVICES_PHONE": "020 7946 0321",
    "CONTACT_PHONE": "020 7946 0000", "CONTACT_EMAIL": "hello@bench.example",
    "DATA_PROTECTION_EMAIL": "dpo@bench.example",
}
RETRY_FOR = 120  # seconds a client keeps retrying one request (a master restart takes a few)


class Forms(HTMLParser):
    """The page's POST forms: [{"action", "fields": [(name, type, value, checked)]}], plus text seen."""

    def __init__(self):
        super().__init__()
        self.forms, self.text, self._select = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": []})
        elif self.forms and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            self.forms[-1]["fields"].append((a["name"], kind, a.get("value") or "", "checked" in a))

    def handle_data(self, data):
        self.text.append(data)


def parse(body):
    page = Forms()
    page.feed(body)
    return page


def fill(form, email):
    """The form's fields answered: hidden values kept, known questions answered, the honeypot left empty."""
    data, seen = [], set()
    for name, kind, value, _checked in form["fields"]:
        if kind in ("hidden", "submit"):
            if kind == "hidden":
                data.append((name, value))
            continue
        if name == HONEYPOT or name in seen:
            continue
        seen.add(name)
        answer = email if name == "email" else ANSWERS.get(name)
        if answer is None:
            continue  # an optional question the table does not answer
        data.extend((name, item) for item in (answer if isinstance(answer, list) else [answer]))
    return data


class JourneyError(Exception):
    pass


class Browser:
    """One person's browser: a keep-alive connection, a cookie jar, and retries of the same request."""

    def __init__(self, port):
        self.port, self.cookies, self.conn = port, {}, None
        self.retries = self.server_errors = 0

    def _close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, method, path, data=None):
        body = urlencode(data) if data is not None else None
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
                if body is not None:
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
            except (OSError, http.client.HTTPException):
                self._close()
                self.retries += 1
            else:
                self._keep_cookies(response)
                if response.status < 500:
                    location = response.getheader("Location")
                    return response.status, urlsplit(location).path if location else None, text
                self.server_errors += 1
                self._close()
            if time.monotonic() > deadline:
                raise JourneyError(f"{method} {path}: no answer for {RETRY_FOR} s")
            time.sleep(random.uniform(0.2, 0.6))  # nosec B311: a pause, not a secret

    def _keep_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower() or "expires=thu, 01 jan 1970" in attributes.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value  # Secure is ignored: TLS would end in front of gunicorn

    def close(self):
        self._close()


def walk(port, email):
    """One complete referral. Returns a record of what the person saw."""
    record = {"email": email, "submitted": False, "reference": None, "journey": None, "send_seconds": None}
    browser = Browser(port)
    try:
        _status, _loc, body = browser.request("GET", "/refer/")
        start = next(f for f in parse(body).forms if f["action"].endswith("/refer/start"))
        _status, path, _body = browser.request("POST", "/refer/start", fill(start, email))
        for _ in range(30):
            if path == "/refer/check":
                break
            status, location, body = browser.request("GET", path)
            if status == 302:
                path = location
                continue
            form = parse(body).forms[-1]
            status, location, body = browser.request("POST", form["action"] or path, fill(form, email))
            if status != 302:
                raise JourneyError(f"{path} answered {status}")
            path = location
        _status, _loc, body = browser.request("GET", "/refer/check")
        send = next(f for f in parse(body).forms if f["action"].endswith("/refer/send"))
        data = fill(send, email)
        record["journey"] = dict(data).get("journey")
        record["submitted"], began = True, time.perf_counter()
        status, location, body = browser.request("POST", "/refer/send", data)
        record["send_seconds"] = time.perf_counter() - began
        if status != 302 or location != "/refer/sent":
            raise JourneyError(f"send answered {status} to {location}")
        _status, _loc, body = browser.request("GET", "/refer/sent")
        found = REFERENCE.search(body)
        record["reference"] = found.group(0) if found else None
    except (JourneyError, StopIteration, IndexError) as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        record["retries"], record["server_errors"] = browser.retries, browser.server_errors
        browser.close()
    return record


def drive(port, run, referrals, clients, on_progress=None):
    """`referrals` journeys shared among `clients` threads; returns (records, seconds). `on_progress(n)` is
    called as each journey ends, with how many have."""
    todo = list(range(referrals))
    lock, records = threading.Lock(), []

    def client(number):
        while True:
            with lock:
                if not todo:
                    return
                n = todo.pop(0)
            record = walk(port, f"load-{run}-{n}@example.org")
            record["client"] = number
            with lock:
                records.append(record)
                finished = len(records)
            if on_progress:
                on_progress(finished)

    began = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return records, time.perf_counter() - began


class Mailbox:
    """A real SMTP server on loopback counting messages per recipient."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller
        self.received, self.lock = Counter(), threading.Lock()
        box = self

        class Count:
            async def handle_DATA(self, server, session, envelope):
                with box.lock:
                    box.received.update(envelope.rcpt_tos)
                return "250 OK"

        self.controller = Controller(Count(), hostname="127.0.0.1", port=port)
        self.controller.start()

    def counts(self):
        with self.lock:
            return Counter(self.received)

    def stop(self):
        self.controller.stop()


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[-1][:1] != "Z"


class Gunicorn:
    """gunicorn -c gunicorn.conf.py on one port, restartable after its master is killed."""

    def __init__(self, env, port, log):
        self.env, self.port, self.log, self.proc = env, port, log, None
        # Each bench run keeps its own pidfile beside its log (GUNICORN_PIDFILE would do the same).
        self.pidfile = str(Path(log).parent / "gunicorn.pid")
        self.orphans = []  # workers of a killed master: they notice and exit by themselves
        self.worker_kills = self.master_kills = 0

    def start(self, timeout=120):
        """Start a master and wait until it serves: alive, with workers, /healthz answering, and no worker of a
        killed master left (those still answer /healthz while they finish, and hold the port)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log, "ab") as log:
                self.proc = subprocess.Popen(  # nosec B603
                    [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--pid", self.pidfile, "--no-control-socket"],
                    cwd=ROOT, env=self.env, stdout=log, stderr=log)
            while time.monotonic() < deadline and self.proc.poll() is None:
                self.orphans = [pid for pid in self.orphans if alive(pid)]
                if not self.orphans and children(self.proc.pid) and self.healthy():
                    return
                time.sleep(0.1)
            self.proc.wait()  # it could not bind (old workers still held the port): start another
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def healthy(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def kill_worker(self):
        workers = children(self.proc.pid)
        if workers:
            os.kill(random.choice(workers), signal.SIGKILL)  # nosec B311
            self.worker_kills += 1

    def kill_master(self):
        self.orphans += children(self.proc.pid)
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()  # reaped, so the pidfile's pid is gone and the new master may write it
        self.master_kills += 1
        # As a service manager does when a service's main process dies (systemd's control group): TERM what is
        # left (the workers finish their request), KILL it after 10 s, then start the service again. Left
        # alone, the old workers go on holding the port, on a busy machine for minutes.
        for pid in self.orphans:
            if alive(pid):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in self.orphans) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in self.orphans:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.start()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in self.orphans) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in self.orphans:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def chaos(server, stop, every=(0.5, 2.5), master_every=5):
    """Until `stop` is set: kill -9 a worker at random moments, and every few kills the master instead."""
    while not stop.wait(random.uniform(*every)):  # nosec B311
        if (server.worker_kills + 1) % master_every == 0 and server.master_kills < server.worker_kills // master_every:
            server.kill_master()
        else:
            server.kill_worker()


def free_port(low, high):
    for port in range(low, high + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


def site_env(database_url, port, smtp_port, workdir):
    from cryptography.fernet import Fernet
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATELIMIT_", "MAIL_", "GUNICORN_"))}
    env.pop("APP_ENV", None)  # production
    env.update(BENCH_ENV, FLASK_APP="wsgi.py", DATABASE_URL=database_url, BIND=f"127.0.0.1:{port}",
               SECRET_KEY=secrets.token_urlsafe(48), PERSONAL_DATA_KEYS=Fernet.generate_key().decode(),
               SITE_URL=f"http://127.0.0.1:{port}", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/6",
               RATELIMIT_KEY_PREFIX=f"load-bench-{secrets.token_hex(4)}", MAIL_SERVER="127.0.0.1",
               MAIL_PORT=str(smtp_port), INSTANCE_PATH=str(workdir), SEARCH_INDEX_DIR=str(workdir / "index"),
               GUNICORN_ACCESS_LOG=str(workdir / "access.log"),
               GUNICORN_ERROR_LOG=str(workdir / "error.log"))
    if not env["WEB_CONCURRENCY"]:
        env.pop("WEB_CONCURRENCY")
    return env


class Site:
    """The site's own commands (`flask db upgrade`, `flask outbox send`...) in one long-lived process with the
    site's settings, so each costs a command, not an interpreter start. One line in, one JSON line out."""

    def __init__(self, env):
        self.proc = subprocess.Popen([sys.executable, __file__, "--site-commands"], cwd=ROOT, env=env,  # nosec
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        if reply.get("exit_code"):
            raise RuntimeError(f"flask {command} failed: {reply}")
        return reply

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.proc.stdout.close()


def site_commands():
    """The child side of Site: `inspect` prints the stored referrals (decrypted) and the outbox by status;
    anything else is a `flask` command line, run through the app's own CLI."""
    import shlex
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.extensions import db
    app = create_app()
    runner = app.test_cli_runner()
    for line in sys.stdin:
        if line.strip() == "inspect":
            with app.app_context():
                reply = _inspect()
        else:
            result = runner.invoke(args=shlex.split(line))
            reply = {"output": result.output.strip(), "exit_code": result.exit_code}
        with app.app_context():
            db.session.remove()  # nothing held open (SQLite would lock the site out) while the run goes on
        print(json.dumps(reply), flush=True)


def _inspect():
    from sqlalchemy import func, select

    from app.core.mail import OutboxMessage
    from app.extensions import db
    from app.selfreferral.models import Referral
    rows = [{"reference": r.reference, "journey": r.journey_token, "email": r.answers.get("email")}
            for r in db.session.execute(select(Referral)).scalars()]
    outbox = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    db.session.rollback()
    return {"referrals": rows, "outbox": outbox}


def fresh_database(site, url):
    """Empty the database (PostgreSQL: the schema a `?options=-csearch_path=NAME` URL names, else public),
    then migrate and seed it as a new site would be."""
    if url.startswith("postgres"):
        from sqlalchemy import create_engine, text
        found = re.search(r"search_path(?:%3D|=)(\w+)", url)
        schema = found.group(1) if found else "public"
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))  # nosec B608: a \w+ name
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    site("db upgrade")
    site("directory seed")


def run_once(name, *, database_url, referrals, clients, kill, workdir, mailbox, smtp_port, port, on_progress=None,
             extra_env=None):
    """One run on a fresh database; returns its figures. `on_progress(server, n)` as each journey ends."""
    workdir.mkdir(parents=True, exist_ok=True)
    url = database_url or f"sqlite:///{workdir / 'load.sqlite'}"
    env = {**site_env(url, port, smtp_port, workdir), **(extra_env or {})}
    site = Site(env)
    try:
        fresh_database(site, url)
        return _serve_and_drive(name, site, env, port, referrals, clients, kill, workdir, mailbox, on_progress)
    finally:
        site.close()


def _serve_and_drive(name, site, env, port, referrals, clients, kill, workdir, mailbox, on_progress):
    server = Gunicorn(env, port, workdir / "gunicorn.out")
    server.start()
    stop = threading.Event()
    killer = threading.Thread(target=chaos, args=(server, stop)) if kill else None
    try:
        if killer:
            killer.start()
        records, seconds = drive(port, name, referrals, clients,
                                 (lambda n: on_progress(server, n)) if on_progress else None)
    finally:
        stop.set()
        if killer:
            killer.join()
        server.stop()
    return tally(name, site, records, seconds, mailbox, server, clients)


def tally(name, site, records, seconds, mailbox, server, clients):
    prefix = f"load-{name}-"
    before = {k: v for k, v in mailbox.counts().items() if k.startswith(prefix)}
    db_state = site("inspect")
    outbox_before = db_state["outbox"]
    drained = site("outbox send")["output"]
    time.sleep(0.5)
    after_plain = {k: v for k, v in mailbox.counts().items() if k.startswith(prefix)}
    # gunicorn is stopped: no sender is running, so what a killed worker left claimed may be sent too.
    reclaimed = site("outbox send --reclaim")["output"]
    time.sleep(0.5)
    after = {k: v for k, v in mailbox.counts().items() if k.startswith(prefix)}
    rows = db_state["referrals"]
    by_reference = {r["reference"] for r in rows}
    by_email = Counter(r["email"] for r in rows)
    by_journey = Counter(r["journey"] for r in rows)
    submitted = [r for r in records if r["submitted"]]
    acknowledged = [r for r in records if r["reference"]]
    lost = [r for r in acknowledged if r["reference"] not in by_reference]
    lost += [r for r in submitted if not r["reference"] and by_email[r["email"]] == 0]
    stored_emails = [r["email"] for r in rows]
    sends = sorted(r["send_seconds"] for r in acknowledged if r["send_seconds"] is not None)
    return {
        "run": name, "clients": clients, "journeys": len(records), "submitted": len(submitted),
        "acknowledged": len(acknowledged), "stored": len(rows), "lost": len(lost),
        "duplicated_by_journey": sum(n - 1 for n in by_journey.values() if n > 1),
        "duplicated_by_content": sum(n - 1 for n in by_email.values() if n > 1),
        "errors": [r["error"] for r in records if r.get("error")][:5],
        "retries": sum(r["retries"] for r in records), "server_errors": sum(r["server_errors"] for r in records),
        "worker_kills": server.worker_kills, "master_kills": server.master_kills,
        "mail_before_drain": _mail(before, stored_emails), "outbox_before_drain": outbox_before,
        "drain": drained, "mail_after_drain": _mail(after_plain, stored_emails),
        "reclaim": reclaimed, "mail_after_reclaim": _mail(after, stored_emails),
        "seconds": round(seconds, 2), "referrals_per_second": round(len(acknowledged) / seconds, 2),
        "send_p50_ms": _ms(sends, 0.50), "send_p95_ms": _ms(sends, 0.95),
    }


def _mail(counts, stored_emails):
    """Confirmation e-mails per stored referral: {count: referrals}, e.g. {1: 500} is one each."""
    return dict(sorted(Counter(counts.get(email, 0) for email in stored_emails).items()))


def _ms(values, q):
    if not values:
        return None
    if len(values) == 1:
        return round(values[0] * 1000, 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1] * 1000, 1)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--kill", action=argparse.BooleanOptionalAction, default=True,
                        help="also run (b), with kill -9 of workers and the master (default on)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (emptied); default a fresh SQLite file")
    parser.add_argument("--quick", action="store_true", help="40 referrals from 8 clients")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--only-kill", action="store_true", help="run (b) alone: with kill -9, no baseline or (a)")
    parser.add_argument("--ports", default="5330-5339")
    parser.add_argument("--smtp-ports", default="1030-1039")
    parser.add_argument("--site-commands", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.site_commands:
        return site_commands()
    if args.quick:
        args.referrals, args.clients = 40, 8
    port = free_port(*map(int, args.ports.split("-")))
    smtp_port = free_port(*map(int, args.smtp_ports.split("-")))
    mailbox = Mailbox(smtp_port)
    results = []
    plan = ([] if args.skip_baseline else [("baseline", 1, False)]) + [("a", args.clients, False)] + (
        [("b", args.clients, True)] if args.kill else [])
    if args.only_kill:
        plan = [("b", args.clients, True)]
    try:
        tmp = tempfile.mkdtemp(prefix="referral-load-")  # kept: the logs of each run are in it
        print(f"Logs and databases in {tmp}", flush=True)
        if True:
            for name, clients, kill in plan:
                result = run_once(name, database_url=args.database_url, referrals=args.referrals, clients=clients,
                                  kill=kill, workdir=Path(tmp) / name, mailbox=mailbox, smtp_port=smtp_port,
                                  port=port)
                results.append(result)
                print(json.dumps(result), flush=True)
    finally:
        mailbox.stop()
    report(results, args)
    return results


def report(results, args):
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\nReferral load: {args.referrals} referrals, {database}, gunicorn.conf.py workers, {os.cpu_count()} cores")
    columns = ("run", "clients", "submitted", "acknowledged", "stored", "lost", "duplicated_by_journey",
               "duplicated_by_content", "worker_kills", "master_kills", "retries", "server_errors",
               "referrals_per_second", "send_p50_ms", "send_p95_ms")
    print(" | ".join(columns))
    for r in results:
        print(" | ".join(str(r[c]) for c in columns))
    for r in results:
        print(f"{r['run']}: e-mails per referral (count: referrals) before draining {r['mail_before_drain']} "
              f"(outbox {r['outbox_before_drain']}); after `flask outbox send` ({r['drain']}) "
              f"{r['mail_after_drain']}; after `flask outbox send --reclaim` ({r['reclaim']}) "
              f"{r['mail_after_reclaim']}")
    base = next((r for r in results if r["run"] == "baseline"), None)
    if base:
        for r in results:
            if r is not base and base["referrals_per_second"]:
                print(f"{r['run']}: {r['referrals_per_second'] / base['referrals_per_second']:.2f}x the baseline's "
                      "throughput")


if __name__ == "__main__":
    main()
