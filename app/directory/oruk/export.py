"""`flask directory export-oruk DIR`: the whole published directory as ORUK JSON, one file per kind.

Files: services.json (full services), organizations.json, service_at_locations.json (full, each with its
location and service), taxonomies.json and taxonomy_terms.json; each a JSON array ordered by id. Each file is
written to a temporary name and renamed, so a reader never sees half a file.
"""
import json
import os
from pathlib import Path

from sqlalchemy import select

from app.directory.models import Organisation, Service
from app.directory.oruk import queries, taxonomies
from app.directory.oruk.locations import link_json
from app.directory.oruk.services import organization_full, service_full
from app.extensions import db

BATCH = 500


class ExportError(Exception):
    """A folder we cannot write to; the message says why, in one line."""


def _folder(path):
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{path} is a file, not a folder: give a folder to write the export into.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Could not make the folder {path}: {exc.strerror}.") from None
    if not os.access(folder, os.W_OK):
        raise ExportError(f"Cannot write into {path}: check its permissions.")
    return folder


def _services():
    """Published services in UUID order, a batch at a time, loaded with everything a full service shows."""
    last = ""
    while True:
        batch = db.session.execute(select(Service).where(Service.status == "published", Service.uuid > last)
                                   .options(*queries.full_options()).order_by(Service.uuid).limit(BATCH)
                                   ).unique().scalars().all()
        if not batch:
            return
        yield from batch
        last = batch[-1].uuid


def records():
    """{file name: [records]} for the whole directory."""
    services, links = [], []
    for service in _services():
        full = service_full(service)
        services.append(full)
        for link, nested in zip(sorted(service.service_locations, key=lambda item: item.uuid),
                                full.get("service_at_locations", []), strict=True):
            item = dict(link_json(link, service))
            item["location"] = nested["location"]
            item["service"] = {key: value for key, value in full.items() if key != "service_at_locations"}
            links.append(item)
    orgs = db.session.execute(select(Organisation).where(Organisation.id.in_(
        select(Service.organisation_id).where(Service.status == "published"))).order_by(Organisation.uuid)).scalars()
    return {"services.json": services, "organizations.json": [organization_full(org) for org in orgs],
            "service_at_locations.json": sorted(links, key=lambda item: item["id"]),
            "taxonomies.json": [taxonomies.taxonomy_json(t) for t in taxonomies.TAXONOMIES],
            "taxonomy_terms.json": [taxonomies.term_json(t) for t in taxonomies.TERMS]}


def export(path):
    """Write the export into the folder `path`; {file name: how many records}."""
    folder = _folder(path)
    counts = {}
    for name, items in records().items():
        target = folder / name
        temporary = folder / f".{name}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(items, handle, ensure_ascii=False, indent=1)
            temporary.replace(target)
        except OSError as exc:
            raise ExportError(f"Could not write {target}: {exc.strerror}.") from None
        counts[name] = len(items)
    return counts
