"""The shipped ORUK schemas, and /api/v1/openapi.json derived from the official openapi.json at runtime.

What the derived document changes, and why (the /api/ page says the same):
- `servers` is this site's own address; the official document has none.
- the official document's schema links point at GitHub; here they point inside the document
  (`#/components/schemas/...`, the same shipped files), so a client needs nothing else;
- `openapi` is 3.1.0: the official file already uses 3.1's `jsonSchemaDialect` and JSON Schema 2020-12;
- the parameters the official file defines but does not attach (organization_id, modified_after, postcode,
  proximity, full_service; parent_id, top_only, taxonomy_id on taxonomy_terms) are attached, types fixed
  (`time` is not a JSON Schema type), our `lang` extension added, and 304/400/404 answers described;
- `/service_at_locations/{id}` answers with a service_at_location (compiled service_at_location.json):
  the official file names the service schema there, which a service at location cannot satisfy.
"""
import copy
import functools
import json
from pathlib import Path

from flask import current_app

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
ORUK_DIR = SCHEMA_DIR / "oruk-3.0"
REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
PROFILE_URI = "https://github.com/openreferral/uk-profile"
# component name -> shipped file
COMPONENTS = {"service": "compiled/service.json", "service_list": "compiled/service_list.json",
              "service_at_location": "compiled/service_at_location.json",
              "service_at_location_list": "compiled/service_at_location_list.json",
              "taxonomy": "taxonomy.json", "taxonomy_term": "taxonomy_term.json"}


@functools.cache
def schema(name):
    """A shipped schema by its component name, with its links made local."""
    data = json.loads((ORUK_DIR / COMPONENTS[name]).read_text(encoding="utf-8"))
    if name == "taxonomy":
        data["properties"]["taxonomy_terms"]["items"] = {"$ref": "#/components/schemas/taxonomy_term"}
    return data


@functools.cache
def _official():
    return json.loads((ORUK_DIR / "openapi.json").read_text(encoding="utf-8"))


def _param(name, description, schema_, where="query"):
    return {"name": name, "in": where, "required": False, "description": description, "schema": schema_}


EXTRA_PARAMETERS = {
    "lang": _param("lang", "Extension: the language of listings' words and term names (en, ar, bn, so, es, pt, pl). "
                           "A listing not yet written in it comes in English; every written language is also in "
                           "each full service's x-translations.", {"type": "string", "pattern": "^[a-z]{2,3}$"}),
    "postcode": _param("postcode", "Services with a place near this postcode (full, or the first part).",
                       {"type": "string"}),
    "proximity": _param("proximity", "With postcode: how near, in miles (default 5, at most 100).",
                        {"type": "number"}),
    "parent_id": _param("parent_id", "Terms whose parent is this term.", {"type": "string", "format": "uuid"}),
    "top_only": _param("top_only", "Only terms with no parent.", {"type": "boolean"}),
}
ATTACH = {
    "/services": ["organization_id", "modified_after", "postcode", "proximity", "full_service", "lang"],
    "/services/{id}": ["lang"], "/service_at_locations": ["organization_id", "modified_after", "lang"],
    "/service_at_locations/{id}": ["lang"], "/taxonomies": ["lang"], "/taxonomies/{id}": ["lang"],
    "/taxonomy_terms": ["parent_id", "top_only", "taxonomy_id", "lang"], "/taxonomy_terms/{id}": ["lang"],
}
ERROR_SCHEMA = {"type": "object", "required": ["error", "status", "message"],
                "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                               "message": {"type": "string"}, "parameter": {"type": "string"}}}


def _fix_parameters(params):
    time_schema = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$"}
    params["start_time"]["schema"] = dict(time_schema)
    params["end_time"]["schema"] = dict(time_schema)
    params["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    for name in ("page", "per_page"):
        params[name]["schema"] = {"type": "integer", "minimum": 1}
    params["per_page"]["description"] += " At most API_MAX_PER_PAGE (100 unless set): more is capped, and the " \
                                         "X-Per-Page-Capped header says so."
    params.update(EXTRA_PARAMETERS)


def _localise_refs(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REMOTE):
            file = ref[len(REMOTE):]
            name = next(key for key, value in COMPONENTS.items() if value == file or f"compiled/{file}" == value)
            node["$ref"] = f"#/components/schemas/{name}"
        for value in node.values():
            _localise_refs(value)
    elif isinstance(node, list):
        for value in node:
            _localise_refs(value)


def _error_response(description):
    schema_ = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema_}}}


def document():
    """The derived OpenAPI document for this site."""
    doc = copy.deepcopy(_official())
    doc["openapi"] = "3.1.0"
    site = current_app.config["SITE_URL"]
    doc["servers"] = [{"url": f"{site}/api/v1", "description": "Hidden Gems"}]
    doc["info"]["x-data-licence"] = {"name": current_app.config["API_DATA_LICENCE"],
                                     "url": current_app.config["API_DATA_LICENCE_URL"]}
    doc["externalDocs"] = {"description": "How to use this API", "url": f"{site}/api/"}
    _localise_refs(doc)
    components = doc["components"]
    _fix_parameters(components["parameters"])
    components["schemas"].update({name: schema(name) for name in COMPONENTS})
    components["schemas"]["Error"] = ERROR_SCHEMA
    sal = doc["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    sal["schema"] = {"$ref": "#/components/schemas/service_at_location"}
    for path, item in doc["paths"].items():
        get = item["get"]
        get.setdefault("parameters", [])
        get["parameters"] += [{"$ref": f"#/components/parameters/{name}"} for name in ATTACH.get(path, [])]
        get["responses"]["304"] = {"description": "Not modified since the ETag or date the request gave."}
        get["responses"]["400"] = _error_response("A parameter we cannot use; the message says which and why.")
        if "{id}" in path:
            get["responses"]["404"] = _error_response("No published record has this id.")
    return doc
