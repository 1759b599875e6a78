"""Several processes (as with several gunicorn workers) write to one index at once without corrupting it."""
import multiprocessing

from app.directory import search
from app.directory.search import sync


def _writer(args):
    index_dir, worker, count = args
    from app import create_app
    app = create_app({"SEARCH_INDEX_DIR": index_dir, "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    with app.app_context():
        for n in range(count):
            doc = {"id": f"{worker}{n:04d}", "name": f"Worker {worker} listing {n}", "categories": "talk",
                   "neighbourhood": "none", "places": []}
            sync.apply_changes(sync.open_index(), [doc], [])
    return worker


def test_parallel_writers_keep_every_document(app):
    index_dir = app.config["SEARCH_INDEX_DIR"]
    workers, per_worker = 4, 15
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        assert sorted(pool.map(_writer, [(index_dir, w + 1, per_worker) for w in range(workers)])) == [1, 2, 3, 4]
    status = search.index_status()
    assert status == {"status": "ok", "documents": workers * per_worker}
    assert search.query_index("worker").total == workers * per_worker
