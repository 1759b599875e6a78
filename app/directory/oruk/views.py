"""The open API at /api/v1/ (Open Referral UK 3.0) and the page at /api/ that explains it. Thin: reading
the request is in params, choosing rows in queries, the shapes in services/locations/taxonomies."""
import functools
import json

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import force_locale

from app.directory.oruk import caching, ids, openapi, params, queries, taxonomies
from app.directory.oruk.locations import link_json, location_brief
from app.directory.oruk.params import ApiError
from app.directory.oruk.services import service_brief, service_full

bp = Blueprint("api", __name__, template_folder="templates")
V1 = "/api/v1"


def json_response(data, status=200, headers=None):
    body = "" if data is None else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json", headers=headers)


def _language():
    from app.i18n.locale import available_languages
    raw = request.args.get("lang")
    if raw is None or raw == "":
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if raw not in available_languages():
        raise ApiError(400, "lang must be one of: " + ", ".join(available_languages()) + ".", "lang")
    return raw


def api_view(view):
    """JSON errors, the asked language, and the caching headers, for every API view."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            language = _language()
            with force_locale(language):
                return caching.conditional(view)(*args, language=language, **kwargs)
        except ApiError as exc:
            return json_response(exc.body(), status=exc.status)

    return wrapper


@bp.after_request
def _open_to_all(response):
    if request.path.startswith(V1):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified, X-Per-Page-Capped"
        # A browser asks first (OPTIONS) before sending the conditional headers from another site.
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since, Accept, Accept-Language"
        response.headers.pop("Set-Cookie", None)  # nothing about a reader is kept
    return response


def _page_response(page, contents, paging):
    headers = {"X-Per-Page-Capped": str(current_app.config["API_MAX_PER_PAGE"])} if paging.capped else None
    return json_response(page.envelope(contents), headers=headers)


def _found(item, what):
    if item is None:
        raise ApiError(404, f"No published {what} has this id.")
    return item


def _uuid(value, what):
    found = ids.parse(value)
    if found is None:
        raise ApiError(404, f"No published {what} has this id (ids are UUIDs).")
    return found


def _http_error(error):
    """An error raised before or around a view (a NUL byte in the query, a wrong method, a fault): JSON under
    /api/v1/, the site's own page on /api/."""
    status = getattr(error, "code", None) or 500
    if not request.path.startswith(V1):
        from app.core import errors
        return errors.server_error(error) if status == 500 else errors.error_page(status)
    if status == 500:
        from app.extensions import db
        db.session.rollback()
        current_app.logger.error("Unhandled error on %s %s", request.method, request.path)
    message = getattr(error, "description", None) if status != 500 else None
    return json_response({"error": {400: "bad_request", 404: "not_found"}.get(status, "error"), "status": status,
                          "message": message or "The API could not answer this request."}, status=status)


for _status in (400, 404, 405, 413, 429, 500):
    bp.register_error_handler(_status, _http_error)


@bp.route(f"{V1}/")
@api_view
def api_details(language):
    site = current_app.config["SITE_URL"]
    return json_response({"version": "3.0", "profile": openapi.PROFILE_URI, "openapi_url": f"{site}{V1}/openapi.json"})


@bp.route(f"{V1}/openapi.json")
@api_view
def openapi_document(language):
    return json_response(openapi.document())


@bp.route(f"{V1}/services")
@api_view
def services(language):
    q = params.service_query(request.args)
    page = queries.services_page(q)
    serialise = service_full if q.full_service else service_brief
    return _page_response(page, [serialise(s, language) for s in page.items], q.paging)


@bp.route(f"{V1}/services/<service_id>")
@api_view
def service(service_id, language):
    found = _found(queries.published_service(_uuid(service_id, "service")), "service")
    return json_response(service_full(found, language))


def _link_brief(link, language):
    return {"id": link.uuid, "service_id": link.service.uuid, "location_id": link.location.uuid,
            "location": location_brief(link.location), "service": service_brief(link.service, language)}


@bp.route(f"{V1}/service_at_locations")
@api_view
def service_at_locations(language):
    q = params.service_query(request.args)
    page = queries.links_page(q)
    return _page_response(page, [_link_brief(link, language) for link in page.items], q.paging)


@bp.route(f"{V1}/service_at_locations/<link_id>")
@api_view
def service_at_location(link_id, language):
    link = _found(queries.published_link(_uuid(link_id, "service at location")), "service at location")
    data = link_json(link, link.service)
    full = service_full(link.service, language)
    full.pop("service_at_locations", None)
    data["service"] = full
    return json_response(data)


def _static_page(items, paging):
    start = (paging.page - 1) * paging.per_page
    page = queries.Page(items[start:start + paging.per_page], len(items), paging.page, paging.per_page)
    return _page_response(page, page.items, paging)


@bp.route(f"{V1}/taxonomies")
@api_view
def taxonomies_list(language):
    paging = params.paging(request.args)
    return _static_page([taxonomies.taxonomy_json(t) for t in taxonomies.TAXONOMIES], paging)


@bp.route(f"{V1}/taxonomies/<taxonomy_id>")
@api_view
def taxonomy(taxonomy_id, language):
    found = _found(taxonomies.taxonomy_by_id(_uuid(taxonomy_id, "taxonomy")), "taxonomy")
    return json_response(taxonomies.taxonomy_json(found))


@bp.route(f"{V1}/taxonomy_terms")
@api_view
def taxonomy_terms(language):
    paging = params.paging(request.args)
    chosen = params.taxonomy_arg(request.args)
    parent = params.uuid_arg(request.args, "parent_id")
    if parent is not None and taxonomies.term_by_id(parent) is None:
        raise ApiError(400, "parent_id is not one of our taxonomy terms.", "parent_id")
    top_only = params.boolean(request.args, "top_only")
    terms = [t for t in taxonomies.TERMS
             if (chosen is None or t.taxonomy is chosen) and (parent is None or t.parent_id == parent)
             and not (top_only and t.parent_code)]
    return _static_page([taxonomies.term_json(t) for t in terms], paging)


@bp.route(f"{V1}/taxonomy_terms/<term_id>")
@api_view
def taxonomy_term(term_id, language):
    found = _found(taxonomies.term_by_id(_uuid(term_id, "taxonomy term")), "taxonomy term")
    return json_response(taxonomies.term_json(found))


@bp.route(f"{V1}/<path:rest>")
def unknown(rest):
    return json_response(ApiError(404, "There is no such API address. See /api/v1/openapi.json.").body(), 404)


@bp.route("/api/")
def guide():
    site = current_app.config["SITE_URL"]
    return render_template("api/index.html", api_url=f"{site}{V1}", max_per_page=current_app.config["API_MAX_PER_PAGE"],
                           licence=current_app.config["API_DATA_LICENCE"],
                           licence_url=current_app.config["API_DATA_LICENCE_URL"],
                           example_term=taxonomies.term("categories", "food-banks"))
