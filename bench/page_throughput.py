"""Pages per second under gunicorn (the project's gunicorn.conf.py), each against a hello-world route of the same
server in the same run, measured with Debian's `wrk`; then the memory (RSS) of each worker.

Targets (issue 13): home and a service page at >= 40% of the hello-world rate, an uncached search results page at
>= 10%, and the memory per worker reported with 10,000 listings.
The hello-world route exists only with HIDDEN_GEMS_BENCH=1 outside production (app/core/bench.py).
"Uncached" search varies the query string on every request (a counter in a wrk Lua script), so no page cache
can answer it; the search itself is the same.

Run: .venv/bin/python bench/page_throughput.py [--listings 10000] [--workers 2] [--connections 16] [--seconds 8]
(`make bench-pages`). It builds its own database and index in a temporary folder; nothing else is touched.
"""
import argparse
import contextlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess  # nosec B404  (runs our own commands with fixed arguments)
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

VARY_QUERY_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/search?q=counselling&bench=" .. counter)
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env, *args):
    subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,  # nosec B603
                   stdout=subprocess.DEVNULL)


def prepare(env, listings):
    flask(env, "db", "upgrade")
    flask(env, "directory", "seed")
    flask(env, "demo", "load")
    if listings:
        flask(env, "demo", "generate", "--listings", str(listings))
        flask(env, "directory", "seed")  # what `make run` does after loading: stored HTML, counts
    flask(env, "search", "rebuild")


def a_service_slug(instance):
    with sqlite3.connect(instance / "hidden_gems.sqlite") as conn:
        row = conn.execute("SELECT slug FROM service WHERE status = 'published' ORDER BY id LIMIT 1").fetchone()
    return row[0]


def wait_until_up(base, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/__bench/hello", timeout=2) as response:  # nosec B310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer in time")


def warm(base, path, times=20):
    for _ in range(times):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + path, timeout=10).read()  # nosec B310


def run_wrk(base, path, args, script=None):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s"]
    if script:
        command += ["-s", script]
    result = subprocess.run(command + [base + path], capture_output=True, text=True, check=True)  # nosec B603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    latency = re.search(r"Latency\s+([\d.]+\w+)", result.stdout)
    return float(rate.group(1)), int(errors.group(1)) if errors else 0, latency.group(1) if latency else "?"


def worker_rss(master_pid):
    children = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master_pid)], capture_output=True,  # nosec
                              text=True, check=False).stdout.split()
    return [int(children[i + 1]) // 1024 for i in range(0, len(children), 2)]


def measure(args, base, slug, tmp):
    script = Path(tmp) / "vary.lua"
    script.write_text(VARY_QUERY_LUA)
    pages = [("hello-world route", "/__bench/hello", None), ("home", "/", None),
             ("a service page", f"/services/{slug}", None), ("/healthz", "/healthz", None),
             ("/search?q=counselling (uncached)", "/search?q=counselling", str(script)),
             ("/search?q=counselling (cached)", "/search?q=counselling", None),
             ("/search?q=lonley", "/search?q=lonley", None)]
    rows = []
    for label, path, lua in pages:
        warm(base, path)
        rows.append((label, *run_wrk(base, path, args, lua)))
    return rows


def print_table(rows, rss, args):
    hello = rows[0][1]
    print(f"\n{args.listings or 'demo (180)'} listings, {args.workers or 'configured'} workers, "
          f"wrk {args.connections} connections, {args.seconds} s")
    print(f"| {'page':<36} | {'requests/s':>10} | {'share of hello':>14} | {'mean latency':>12} | non-2xx |")
    print(f"|{'-' * 38}|{'-' * 12}|{'-' * 16}|{'-' * 14}|---------|")
    for label, rate, errors, latency in rows:
        print(f"| {label:<36} | {rate:>10,.0f} | {100 * rate / hello:>13.1f}% | {latency:>12} | {errors:>7} |")
    print(f"RSS per worker (MB): {', '.join(str(r) for r in rss)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listings", type=int, default=0, help="generated listings on top of the demo ones")
    parser.add_argument("--workers", type=int, default=0, help="WEB_CONCURRENCY (default: gunicorn.conf.py's)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: bash scripts/install-system-packages.sh")
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = dict(os.environ, APP_ENV="development", INSTANCE_PATH=tmp, HIDDEN_GEMS_BENCH="1", FLASK_APP="wsgi.py",
                   BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="/dev/null", GUNICORN_PIDFILE=f"{tmp}/gunicorn.pid",
                   SITE_URL=f"http://127.0.0.1:{port}")
        env.pop("DATABASE_URL", None)
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        prepare(env, args.listings)
        slug = a_service_slug(Path(tmp))
        server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,  # nosec
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base)
            rows = measure(args, base, slug, tmp)
            rss = worker_rss(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=60)
    print_table(rows, rss, args)


if __name__ == "__main__":
    sys.exit(main())
