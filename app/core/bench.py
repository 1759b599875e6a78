"""A hello-world route for bench/page_throughput.py: the framework's ceiling under the same server and hooks.

Registered only when HIDDEN_GEMS_BENCH=1 and the site is not in production, so it never exists on a real site.
"""
import os


def enabled(config):
    return os.environ.get("HIDDEN_GEMS_BENCH") == "1" and config.get("APP_ENV") != "production"


def init_app(app):
    if not enabled(app.config):
        return

    @app.route("/__bench/hello")
    def bench_hello():
        return "Hello, world!"
