"""A short run of bench/referral_load.py: referrals through the real form under gunicorn (gunicorn.conf.py,
production settings), with one worker killed with kill -9 mid-run. Nothing may be lost or stored twice, and
every referral gets exactly one confirmation e-mail once the outbox is drained."""
import importlib.util
import os
import signal
import socket
import threading
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "referral_load.py"


def _bench():
    spec = importlib.util.spec_from_file_location("referral_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A fresh SQLite file, or on the PostgreSQL run a schema of its own in the test database (the rest of
    the suite keeps `public`)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'load.sqlite'}"
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dreferral_load"


def test_referrals_survive_a_killed_worker_and_each_gets_one_email(tmp_path, database_url):
    bench = _bench()
    mailbox = bench.Mailbox(_free_port())
    killed = []
    lock = threading.Lock()

    def kill_one_worker(server, finished):
        with lock:
            if finished == 5 and not killed:  # mid-run: other clients are in the middle of their requests
                workers = bench.children(server.proc.pid)
                os.kill(workers[0], signal.SIGKILL)
                killed.append(workers[0])
    try:
        result = bench.run_once("test", database_url=database_url, referrals=15, clients=5, kill=False,
                                workdir=tmp_path / "run", mailbox=mailbox, smtp_port=mailbox.controller.port,
                                port=_free_port(), on_progress=kill_one_worker, extra_env={"WEB_CONCURRENCY": "2"})
    finally:
        mailbox.stop()
    assert len(killed) == 1
    assert result["errors"] == []
    assert result["submitted"] == result["acknowledged"] == result["stored"] == 15
    assert result["lost"] == 0
    assert result["duplicated_by_journey"] == result["duplicated_by_content"] == 0
    assert result["mail_after_reclaim"] == {1: 15}, result
