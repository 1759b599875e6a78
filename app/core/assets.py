"""The built CSS and scripts: hashed file names from dist/manifest.json, and how long browsers keep static files.

scripts/build-assets.mjs names each built file after its content (app.3f2a9c1b.css), so a hashed file never
changes and can be cached for a year; a new build gives new names, which the pages link at once.
"""
import json
import logging
from pathlib import Path

from flask import current_app, request, url_for

log = logging.getLogger(__name__)

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=3600"  # fonts, images and anything else under /static keep their names


def _manifest_path():
    return Path(current_app.static_folder) / "dist" / "manifest.json"


def manifest():
    """{plain name: hashed name}, read again when the build changes it (a rebuild while the site runs)."""
    path = _manifest_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        log.warning("No %s: run `make assets` (node scripts/build-assets.mjs)", path)
        return {}
    cache = current_app.extensions.setdefault("asset_manifest", {})
    if cache.get("stamp") != stamp:
        cache.update(stamp=stamp, files=json.loads(path.read_text(encoding="utf-8")))
    return cache["files"]


def static_asset(name):
    """The address of a built file by its plain name: static_asset('app.css') is /static/dist/app.3f2a9c1b.css."""
    return url_for("static", filename=f"dist/{manifest().get(name, name)}")


def _hashed(filename):
    return filename.startswith("dist/") and filename[len("dist/"):] in set(manifest().values())


def cache_static(response):
    if request.endpoint == "static" and response.status_code in (200, 206, 304):
        filename = (request.view_args or {}).get("filename", "")
        response.headers["Cache-Control"] = LONG_CACHE if _hashed(filename) else SHORT_CACHE
    return response


def init_app(app):
    app.jinja_env.globals["static_asset"] = static_asset
    app.after_request(cache_static)
