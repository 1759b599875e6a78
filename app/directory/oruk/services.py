"""Listings as ORUK services, and organisations as ORUK organizations.

`service_brief` is a list item (compiled service_list.json); `service_full` the fully nested service
(compiled service.json). Fields ORUK leaves out but HSDS 3.0 defines (eligibility_description,
application_process, a contact's email and phones, a language's name and code) are included under their
HSDS names; our own additions start with `x-`. Ids that have no row are derived (app.directory.oruk.ids).
"""
from datetime import UTC

from flask import current_app

from app.directory import taxonomy, translations
from app.directory.oruk import schedules
from app.directory.oruk.ids import derived
from app.directory.oruk.locations import _compact, link_json
from app.directory.oruk.taxonomies import term_json, terms_of_service, text

# capacity status -> ORUK service status (published listings only ever reach the API)
STATUS = {"paused": "temporarily closed"}
IDENTIFIERS = (("charity_number", "GB-CHC", "Charity number"), ("company_number", "GB-COH", "Company number"))


def _site():
    return current_app.config["SITE_URL"]


def _timestamp(value):
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z") if value else None


def organization_brief(org):
    return _compact({"id": org.uuid, "name": org.name, "description": org.description or org.name,
                     "email": org.email, "website": org.website, "logo": org.logo_url})


def organization_full(org):
    data = organization_brief(org)
    identifiers = [{"id": derived("organization_identifier", org.uuid, scheme), "organization_id": org.uuid,
                    "identifier_scheme": scheme, "identifier_type": label, "identifier": getattr(org, field)}
                   for field, scheme, label in IDENTIFIERS if getattr(org, field)]
    if identifiers:
        data["organization_identifiers"] = identifiers
    if org.phone:
        data["x-phone"] = org.phone
    return data


def _text(service, field, language):
    """The listing's words in `language` where a translation exists, else English."""
    return translations.Localised(service, language).text(field) if language != "en" else getattr(service, field)


def _alert(service):
    if service.capacity_status == "taking":
        return None
    label = text(taxonomy.CAPACITY_STATUSES.get(service.capacity_status, service.capacity_status))
    return f"{label}: {service.capacity_note}" if service.capacity_note else label


def service_brief(service, language="en"):
    """A service's one-to-one fields, with its organization."""
    return _compact({
        "id": service.uuid, "organization_id": service.organisation.uuid,
        "name": _text(service, "name", language), "description": _text(service, "description", language),
        "url": f"{_site()}/services/{service.slug}", "email": service.contact_email,
        "status": STATUS.get(service.capacity_status, "active"),
        "fees": service.cost_text or text(taxonomy.COST_TYPES.get(service.cost_type, "")),
        "minimum_age": service.min_age, "maximum_age": service.max_age,
        "assured_date": service.last_verified_at.date().isoformat() if service.last_verified_at else None,
        "alert": _alert(service), "last_modified": _timestamp(service.updated_at),
        "organization": organization_brief(service.organisation),
    })


def _contacts(service):
    if not (service.contact_name or service.contact_phone or service.contact_email):
        return []
    contact_id = derived("contact", service.uuid)
    contact = _compact({"id": contact_id, "service_id": service.uuid, "name": service.contact_name,
                        "title": service.contact_role, "email": service.contact_email})
    if service.contact_phone:
        contact["phones"] = [{"id": derived("phone", service.uuid), "contact_id": contact_id,
                              "number": service.contact_phone}]
    return [contact]


def _cost_options(service):
    option = {"id": derived("cost_option", service.uuid), "service_id": service.uuid,
              "option": text(taxonomy.COST_TYPES.get(service.cost_type, service.cost_type))}
    if service.cost_type == "free":
        option["amount"] = 0
    if service.cost_text:
        option["amount_description"] = service.cost_text
    return [option]


def _languages(service):
    return [{"id": derived("language", service.uuid, code), "service_id": service.uuid, "code": code,
             "name": text(taxonomy.DELIVERY_LANGUAGES.get(code, code))} for code in service.languages or ()]


def _attributes(service):
    return [{"id": derived("attribute", service.uuid, found.id), "link_id": service.uuid, "link_type": "service",
             "link_entity": "service", "taxonomy_term_id": found.id, "taxonomy_term": term_json(found)}
            for found in terms_of_service(service)]


def _translations(service):
    """x-translations: {language: {field: text}} for every language the listing has been written in."""
    found = {}
    for item in sorted(getattr(service, "translations", []), key=lambda t: t.language):
        words = _compact({field: getattr(item, field) for field in translations.FIELDS})
        if words:
            found[item.language] = words
    return found


def service_full(service, language="en"):
    """The fully nested service."""
    data = service_brief(service, language)
    data["organization"] = organization_full(service.organisation)
    links = sorted(service.service_locations, key=lambda link: link.uuid)
    by_location = {link.location_id: link for link in links}
    data.update(_compact({
        "eligibility_description": _text(service, "eligibility", language),
        "application_process": _text(service, "access_text", language),
        "schedules": [schedules.schedule_json(service, s, by_location) for s in service.schedules],
        "service_at_locations": [link_json(link, service) for link in links],
        "languages": _languages(service), "contacts": _contacts(service),
        "cost_options": _cost_options(service), "attributes": _attributes(service),
        "x-translations": _translations(service),
    }))
    return data
