"""The export: every listing as one CSV row, in the columns the import reads."""
import csv
import io

from sqlalchemy import select

from app.core.db import utcnow
from app.core.validation import formula_safe
from app.directory.csv.columns import COLUMNS, PLACE_COLUMNS
from app.directory.csv.sessions import format_closures, format_sessions
from app.directory.models import Organisation, Service
from app.extensions import db

_EMPTY_PLACE = dict.fromkeys(PLACE_COLUMNS, "")


def _codes(values):
    return ";".join(sorted(values or []))


def _place_values(service):
    links = sorted(service.service_locations, key=lambda link: link.location_id or 0)
    place = links[0].location if links else None
    if place is None:
        return _EMPTY_PLACE
    return {"location_name": place.name, "address_1": place.address_1, "address_2": place.address_2,
            "town": place.town, "postcode": place.postcode, "nearest_station": place.nearest_station or ""}


def export_row(service):
    verified = service.last_verified_at
    values = {
        "organisation_slug": service.organisation.slug, "organisation_name": service.organisation.name,
        "service_slug": service.slug, "name": service.name, "description": service.description,
        "access_method": service.access_method, "access_text": service.access_text,
        "eligibility": service.eligibility, "min_age": service.min_age, "max_age": service.max_age,
        "audience": _codes(service.audience), "cost_type": service.cost_type, "cost_text": service.cost_text,
        "formats": _codes(service.formats), "languages": _codes(service.languages),
        "accessibility": _codes(service.accessibility),
        "capacity_status": service.capacity_status, "capacity_note": service.capacity_note,
        "contact_name": service.contact_name, "contact_role": service.contact_role,
        "contact_phone": service.contact_phone, "contact_email": service.contact_email, "status": service.status,
        "categories": ";".join(c.code for c in service.categories),
        **_place_values(service), "weekly_sessions": format_sessions(service),
        "last_verified": verified.date().isoformat() if verified else "", "closures": format_closures(service),
    }
    # Every cell as text, so a negative number is guarded like any other would-be formula.
    return [formula_safe(None if values[column] is None else str(values[column])) for column in COLUMNS]


def iter_export(batch=500):
    """The export as text chunks: a byte order mark, the header, then one row per listing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    ids = db.session.execute(select(Service.id).join(Organisation, Service.organisation_id == Organisation.id)
                             .order_by(Organisation.slug, Service.slug)).scalars().all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        by_id = {s.id: s for s in db.session.execute(select(Service).where(Service.id.in_(chunk))).scalars()}
        buffer.seek(0)
        buffer.truncate()
        for service_id in chunk:
            if service_id in by_id:
                writer.writerow(export_row(by_id[service_id]))
        yield buffer.getvalue()


def export_filename():
    return f"hidden-gems-directory-{utcnow().date().isoformat()}.csv"
