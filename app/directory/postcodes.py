"""Offline postcode lookup for "near me": London outward codes, plus the full postcodes of listings.

Data: app/directory/data/london_outcodes.csv (see data/README.md for its source and licence).
A full postcode we know (one of a listing's) gives its own point; any other full postcode in a
known district falls back to the district's centre.
"""
import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.core import validation

DATA_DIR = Path(__file__).resolve().parent / "data"


class PostcodeError(ValueError):
    """kind is 'malformed' (not a postcode) or 'unknown' (a postcode we cannot place)."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


class PostcodeFileError(ValueError):
    """The postcode file given to `flask postcodes import` cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float
    exact: bool


def data_file():
    """An operator's imported file (instance/london_outcodes.csv) wins over the one shipped with the code."""
    from flask import current_app, has_app_context
    if has_app_context():
        imported = Path(current_app.config["INSTANCE_PATH"]) / "london_outcodes.csv"
        if imported.exists():
            return imported
    return DATA_DIR / "london_outcodes.csv"


def outward_centres():
    return _read_centres(str(data_file()))


@functools.cache
def _read_centres(path):
    centres = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            centres[row["outcode"].strip().upper()] = (float(row["latitude"]), float(row["longitude"]),
                                                       row.get("area", ""))
    return centres


def parse(text):
    """('outward', 'NW5') or ('full', 'NW5 2AB'); raises PostcodeError('malformed')."""
    text = str(text or "")[:12]
    outward = validation.outward_code(text)
    if outward:
        return "outward", outward
    full = validation.postcode(text)
    if full:
        return "full", full
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
    centre = outward_centres().get(code) or _parent_centre(code)
    if not centre:
        raise PostcodeError("unknown")
    return Place(code, centre[0], centre[1], False)


def _parent_centre(code):
    """'WC1' is written on letters as WC1A...WC1X: use the middle of its sub-districts."""
    subs = [centre for outward, centre in outward_centres().items()
            if outward.startswith(code) and len(outward) == len(code) + 1 and outward[-1].isalpha()]
    if not subs:
        return None
    return (sum(c[0] for c in subs) / len(subs), sum(c[1] for c in subs) / len(subs), "")


def import_nspl(source, destination, bounds=(51.28, 51.70, -0.52, 0.34)):
    """Average the ONS Postcode Directory's points by district, keeping districts inside London's box.

    `source` is the NSPL/ONSPD CSV (columns pcds, lat, long). Returns the number of districts written.
    """
    try:
        sums = _district_sums(source, bounds)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise PostcodeFileError(f"{source} is not a CSV text file in UTF-8 ({type(exc).__name__}). Give the ONS "
                                "Postcode Directory CSV.") from None
    if not sums:  # never replace a working lookup with an empty one
        raise PostcodeFileError(f"No London postcodes found in {source}: it needs pcds, lat and long columns.")
    with open(destination, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["outcode", "latitude", "longitude", "area"])
        for outward in sorted(sums):
            lat, lon, count = sums[outward]
            writer.writerow([outward, f"{lat / count:.4f}", f"{lon / count:.4f}", ""])
    _read_centres.cache_clear()
    return len(sums)


def _district_sums(source, bounds):
    sums = {}
    with open(source, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            try:
                postcode, lat, lon = row["pcds"].strip().upper(), float(row["lat"]), float(row["long"])
            except (KeyError, ValueError, AttributeError):
                continue
            if not (bounds[0] <= lat <= bounds[1] and bounds[2] <= lon <= bounds[3]) or " " not in postcode:
                continue
            outward = postcode.split()[0]
            total = sums.setdefault(outward, [0.0, 0.0, 0])
            total[0] += lat
            total[1] += lon
            total[2] += 1
    return sums


def miles_between(lat1, lon1, lat2, lon2):
    """Great-circle distance in miles (haversine)."""
    radius = 3958.8
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def position_for(postcode):
    """Where a real address is placed on the map: its district's centre from the postcode data alone
    (no jitter: that is for invented demo postcodes). (None, None) when the district is unknown."""
    kind, code = parse(postcode)
    outward = code.split()[0]
    centre = outward_centres().get(outward) or _parent_centre(outward)
    return (centre[0], centre[1]) if centre else (None, None)
