"""Reads the demo data files in app/demo/data/ (see data/README.md for their format).

The content is JSON, not Python, so it can be edited, checked and diffed as data. JSON rather than YAML
because YAML is not a runtime dependency of the site.
"""
import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name):
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


@cache
def organisations():
    """Every demo organisation with its locations and listings, in load order (files sort by their number)."""
    return [org for path in sorted((DATA_DIR / "organisations").glob("*.json"))
            for org in _read(path.relative_to(DATA_DIR))]


@cache
def accounts():
    return _read("accounts.json")


@cache
def referral_people():
    return _read("referrals.json")


@cache
def synthetic_words():
    return _read("synthetic.json")
