"""Two app processes (as two gunicorn workers would be) share one rate limit through Redis."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import sys
from flask_migrate import upgrade
from werkzeug.serving import run_simple
from app import create_app
app = create_app({"WTF_CSRF_ENABLED": False})
with app.app_context():
    upgrade()
run_simple("127.0.0.1", int(sys.argv[1]), app, threaded=True)
"""


def _redis():
    try:
        import redis
    except ImportError:
        pytest.skip("the redis package is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {type(exc).__name__}")
    return client


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(tmp_path, name, prefix):
    port = _free_port()
    env = {**os.environ, "APP_ENV": "development", "RATELIMIT_STORAGE_URI": REDIS_URL,
           "RATELIMIT_KEY_PREFIX": prefix, "RATELIMIT_SIGN_IN_PER_ACCOUNT": "3 per hour",
           "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite", "INSTANCE_PATH": str(tmp_path / name),
           "SEARCH_INDEX_DIR": str(tmp_path / name / "index"), "PASSWORD_HASH_TIME_COST": "1",
           "PASSWORD_HASH_MEMORY_COST": "64", "MAIL_PORT": "1"}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=10)
            return process, port
        except OSError:  # not listening yet, or too busy starting to answer in time (URLError is one too)
            if process.poll() is not None:
                pytest.fail(f"the {name} server stopped with {process.returncode}")
            time.sleep(0.3)
    process.kill()
    pytest.fail(f"the {name} server did not start")


def _sign_in(port):
    data = urllib.parse.urlencode({"email": "victim@test.example", "password": "wrong-guess"}).encode()
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", data=data, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_processes_share_one_limit_in_redis(tmp_path):
    client = _redis()
    prefix = f"hg-test-{uuid.uuid4().hex}"
    servers = []
    try:
        servers = [_start(tmp_path, name, prefix) for name in ("one", "two")]
        (_, first), (_, second) = servers
        statuses = [_sign_in(port) for port in (first, second, first, second, first)]
        # Three failures allowed in all: counted apart, each process would have allowed three of its own.
        assert statuses == [401, 401, 401, 429, 429]
        assert any(client.scan_iter(match=f"*{prefix}*"))
    finally:
        for process, _port in servers:
            process.terminate()
            process.wait(timeout=10)
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)


def test_redis_out_of_reach_is_no_error_page(_session_app, tmp_path, db):
    from app import create_app
    from app.extensions import limiter
    config = dict(_session_app.config)
    config.update(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                  SEARCH_INDEX_DIR=str(tmp_path / "i"))
    app = create_app(config)
    try:
        response = app.test_client().post("/sign-in", data={"email": "x@test.example", "password": "wrong-guess"})
        assert response.status_code == 401
    finally:
        with contextlib.suppress(Exception):  # reset() talks to the storage, which is not there
            limiter.reset()
        limiter.enabled = False
        with app.app_context():
            db.engine.dispose()
