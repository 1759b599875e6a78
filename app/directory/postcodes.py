"""Offline postcode lookup for "near me": London outward codes, plus the full postcodes of listings.

Data: app/directory/data/london_outcodes.csv (see data/README.md for its source and licence).
A full postcode we know (one of a listing's) gives its own point; any other full postcode in a
known district falls back to the district's centre.
"""
import csv
import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

DATA_DIR = Path(__file__).resolve().parent / "data"
OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
FULL_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class PostcodeError(ValueError):
    """kind is 'malformed' (not a postcode) or 'unknown' (a postcode we cannot place)."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    exact: bool


@functools.cache
def outward_centres():
    path = DATA_DIR / "london_outcodes.csv"
    centres = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            centres[row["outcode"].strip().upper()] = (float(row["latitude"]), float(row["longitude"]),
                                                       row.get("area", ""))
    return centres


def parse(text):
    """('outward', 'NW5') or ('full', 'NW5 2AB'); raises PostcodeError('malformed')."""
    compact = re.sub(r"\s+", "", str(text or "")).upper()[:10]
    if OUTWARD_RE.match(compact):
        return "outward", compact
    match = FULL_RE.match(compact)
    if match:
        return "full", f"{match.group(1)} {match.group(2)}"
    raise PostcodeError("malformed")


def lookup(text):
    from app.directory.models import Location
    from app.extensions import db

    kind, code = parse(text)
    if kind == "full":
        row = db.session.execute(
            select(Location.latitude, Location.longitude)
            .where(Location.postcode == code, Location.latitude.is_not(None)).limit(1)
        ).first()
        if row:
            return Place(code, row[0], row[1], True)
        code_outward = code.split()[0]
        centre = outward_centres().get(code_outward)
        if centre:
            return Place(code, centre[0], centre[1], False)
        raise PostcodeError("unknown")
    centre = outward_centres().get(code)
    if not centre:
        raise PostcodeError("unknown")
    return Place(code, centre[0], centre[1], False)


def miles_between(lat1, lon1, lat2, lon2):
    """Great-circle distance in miles (haversine)."""
    radius = 3958.8
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))
