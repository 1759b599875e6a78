"""The hello-world route bench/page_throughput.py measures against exists only when asked for, never in production."""
from app.core import bench


def test_the_bench_route_is_absent_unless_asked_for(client):
    assert client.get("/__bench/hello").status_code == 404


def test_it_is_never_enabled_in_production(monkeypatch):
    monkeypatch.setenv("HIDDEN_GEMS_BENCH", "1")
    assert bench.enabled({"APP_ENV": "development"})
    assert not bench.enabled({"APP_ENV": "production"})
    monkeypatch.delenv("HIDDEN_GEMS_BENCH")
    assert not bench.enabled({"APP_ENV": "development"})
