"""Places: ORUK locations with their address and accessibility, and services at locations.

A location's address has no row of its own: its id is derived from the location's UUID. Accessibility is
recorded per listing here, so a location's accessibility entries appear inside a service's own
service_at_location, with ids derived from that link and the feature's code.
"""
from flask import current_app

from app.directory import taxonomy
from app.directory.oruk.ids import derived
from app.directory.oruk.taxonomies import text


def _compact(data):
    """Leave out empty optional fields: ORUK readers expect a missing field, not null or ''."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def location_brief(location):
    """The location's one-to-one fields (service_at_location_list.json)."""
    return _compact({"id": location.uuid, "location_type": "physical", "name": location.name,
                     "latitude": location.latitude, "longitude": location.longitude})


def address_json(location):
    line_1 = location.address_1 or location.name or location.town or "-"
    return _compact({"id": derived("address", location.uuid), "location_id": location.uuid,
                     "address_1": line_1, "address_2": location.address_2, "city": location.town or "London",
                     "state_province": current_app.config["API_STATE_PROVINCE"],
                     "postal_code": location.postcode or "-", "country": "GB", "address_type": "physical"})


def location_json(location, link=None, service=None):
    """The full location; inside a listing's service_at_location it carries that listing's accessibility."""
    data = location_brief(location)
    data["addresses"] = [address_json(location)]
    if location.nearest_station:
        data["x-nearest-station"] = location.nearest_station
    if link is not None and service is not None and service.accessibility:
        data["accessibility"] = [
            {"id": derived("accessibility", link.uuid, code), "location_id": location.uuid,
             "description": text(taxonomy.ACCESSIBILITY_FEATURES.get(code, code)), "accessibility": code}
            for code in service.accessibility]
    return data


def link_json(link, service, full=True):
    """A service_at_location inside its service: ids and the (full) location."""
    location = link.location
    return {"id": link.uuid, "service_id": service.uuid, "location_id": location.uuid,
            "location": location_json(location, link, service) if full else location_brief(location)}
