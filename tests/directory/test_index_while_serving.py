"""The index broken under a running site, after searches have opened it: search answers from the database with a
quiet note, /healthz says degraded, a listing edit still saves, and `flask search rebuild` puts it all right."""
import json
import shutil
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app.directory.search import sync

QUIET_NOTE = "Search is running in a simpler mode just now"


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # nosec B310 (the test's own loopback server)
        return response.status, response.read().decode()


def _health(base):
    status, body = _get(base + "/healthz")
    assert status == 200
    return json.loads(body)["search_index"]["status"]


def _search(base, text):
    status, body = _get(f"{base}/search?q={text}")
    assert status == 200
    return body


def _index_files(app):
    return [path for path in Path(app.config["SEARCH_INDEX_DIR"]).resolve().iterdir() if path.is_file()]


def _delete(app):
    target = Path(app.config["SEARCH_INDEX_DIR"])
    shutil.rmtree(target.resolve())
    if target.is_symlink():
        target.unlink()


def _truncate(app):
    for path in _index_files(app):
        path.write_bytes(b"")


def _garble(app, only_segments=False):
    for path in _index_files(app):
        if only_segments and (path.name.endswith(".toc") or "LOCK" in path.name):
            continue
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.seek(size // 3)
            handle.write(b"\xff\x00garbled" * max(2, size // 30))


def _garble_segments(app):
    _garble(app, only_segments=True)  # the table of contents still opens; what it names is damaged


def _lose_segments(app):
    for path in _index_files(app):
        if not path.name.endswith(".toc") and "LOCK" not in path.name:
            path.unlink()


@pytest.fixture
def serving(app, build, live_server, runner):
    build.service(name="Riverside allotment club", description="Growing vegetables together.")
    build.service(name="Chess in the park")
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    for text in ("allotment", "alotment", "chess"):  # searches made: the running site has the index open
        assert QUIET_NOTE not in _search(live_server, text)
    assert _health(live_server) == "ok"
    return live_server


@pytest.mark.parametrize("damage", [_delete, _truncate, _garble, _garble_segments, _lose_segments],
                         ids=["deleted", "truncated", "garbled", "segments-garbled", "segments-lost"])
def test_a_broken_index_while_serving_falls_back_then_a_rebuild_restores_it(app, serving, runner, damage):
    damage(app)
    body = _search(serving, "allotment")
    assert "Riverside allotment club" in body and "Chess in the park" not in body
    assert QUIET_NOTE in body
    said = BeautifulSoup(body, "html.parser").select_one("main").get_text(" ").lower()
    assert not [word for word in ("index", "error", "traceback", "broken", "unavailable") if word in said]
    assert _health(serving) == "degraded"
    assert "Chess in the park" in _search(serving, "chess")

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert _health(serving) == "ok"
    body = _search(serving, "alotment")  # a typo: only the index corrects it
    assert "Riverside allotment club" in body and QUIET_NOTE not in body


def test_a_listing_edit_while_the_index_is_gone_is_saved_and_indexed_by_the_rebuild(app, db, build, serving, client,
                                                                                     login, runner, caplog):
    from app.directory.models import Revision, Service
    service = db.session.query(Service).filter_by(name="Chess in the park").one()
    manager = build.user("manager")
    revision = build.pending_change(service, manager, name="Chess and draughts in the park")
    _delete(app)
    login(manager)
    response = client.post(f"/manage/changes/{revision.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Chess and draughts in the park"
    assert db.session.get(Revision, revision.id).status != "pending"
    assert "will appear after `flask search rebuild`" in caplog.text
    assert "Chess and draughts" in _search(serving, "draughts")  # from the database meanwhile

    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    body = _search(serving, "draughts")
    assert "Chess and draughts in the park" in body and QUIET_NOTE not in body


def test_a_half_written_build_left_by_a_crash_does_not_disturb_search_or_the_next_rebuild(app, serving, runner):
    target = Path(app.config["SEARCH_INDEX_DIR"])
    leftover = target.parent / f"{target.name}.build-1-2-3"
    leftover.mkdir()
    (leftover / "_MAIN_1.toc").write_bytes(b"half")
    assert QUIET_NOTE not in _search(serving, "chess")
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert _health(serving) == "ok"
    assert sync.index_status()["documents"] == 2
