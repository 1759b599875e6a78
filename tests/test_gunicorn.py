"""The site under gunicorn with the repo's gunicorn.conf.py: what only the real server shows."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {**os.environ, "APP_ENV": "development", "FLASK_APP": "wsgi.py", "INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite'}", "BIND": f"127.0.0.1:{port}",
           "WEB_CONCURRENCY": "1", "GUNICORN_PIDFILE": str(tmp_path / "gunicorn.pid"),
           "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"), "SITE_URL": f"http://127.0.0.1:{port}"}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start")
            time.sleep(0.3)
    yield base, tmp_path
    server.terminate()
    server.wait(timeout=60)


def _get(url, **headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=20) as response:
        return response.status, response.headers


def test_a_forged_https_header_from_this_machine_does_not_turn_on_hsts(served):
    base, _ = served
    status, headers = _get(base + "/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers.get("Strict-Transport-Security") is None  # PROXY_COUNT is 0: nobody's forwarding is believed


def test_the_access_log_has_paths_without_query_strings_or_tokens(served):
    base, folder = served
    assert _get(base + "/search?q=secretword")[0] == 200
    with contextlib.suppress(urllib.error.HTTPError):  # an unknown link: its page, whatever its status
        _get(base + "/reset-password/sometoken123")
    deadline = time.monotonic() + 10
    while "reset-password" not in (folder / "access.log").read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = (folder / "access.log").read_text()
    assert '"GET /search HTTP/1.1" 200' in log
    assert "secretword" not in log and "sometoken123" not in log and "?" not in log
