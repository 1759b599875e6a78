from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import func, select, text

from app.accounts.permissions import role_required
from app.directory import search, services
from app.directory.models import Service
from app.extensions import db

bp = Blueprint("directory", __name__, template_folder="templates")
provider_bp = Blueprint("provider", __name__, url_prefix="/provider", template_folder="templates")
manage_bp = Blueprint("manage", __name__, url_prefix="/manage", template_folder="templates")

MAX_QUERY_LENGTH = 200


def page_arg():
    try:
        return min(max(int(request.args.get("page", 1)), 1), 10_000)
    except (TypeError, ValueError):
        return 1


@bp.route("/")
def home():
    return render_template("directory/home.html", categories=services.top_categories_with_counts())


@bp.route("/categories/")
def categories():
    return render_template("directory/categories.html", categories=services.top_categories_with_counts(),
                           counts=services.published_counts_by_category())


@bp.route("/categories/<code>")
def category(code):
    found = services.get_category(code)
    if found is None:
        abort(404)
    pagination = services.services_in_category(found, page=page_arg())
    return render_template("directory/category.html", category=found, pagination=pagination,
                           counts=services.published_counts_by_category())


@bp.route("/services/<slug>")
def service(slug):
    found = services.get_published_service(slug)
    if found is None:
        abort(404)
    return render_template("directory/service.html", service=found, freshness=services.freshness(found))


@bp.route("/search")
def search_page():
    query = (request.args.get("q") or "")[:MAX_QUERY_LENGTH].strip()
    too_long = len(request.args.get("q") or "") > MAX_QUERY_LENGTH
    page = page_arg()
    results, total, used_index = services.search_services(query, page=page) if query else ([], 0, True)
    return render_template("directory/search.html", query=query, results=results, total=total, page=page,
                           per_page=20, too_long=too_long)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = {"status": "ok"}
    except Exception:  # the point of a health check is to report, not raise
        db.session.rollback()
        database = {"status": "error"}
    index = search.index_status()
    index.pop("reason", None)
    overall = "ok" if database["status"] == "ok" and index["status"] == "ok" else "degraded"
    return jsonify({"status": overall, "database": database, "search_index": index}), \
        (200 if database["status"] == "ok" else 503)


@provider_bp.route("/")
@role_required("provider")
def dashboard():
    organisations = sorted(current_user.organisations, key=lambda o: o.name)
    return render_template("directory/provider_dashboard.html", organisations=organisations,
                           freshness=services.freshness)


@manage_bp.route("/")
@role_required("manager", "admin")
def dashboard():
    by_status = dict(db.session.execute(select(Service.status, func.count()).group_by(Service.status)).all())
    published = db.session.execute(
        select(Service).where(Service.status == "published").order_by(Service.last_verified_at.asc().nulls_first())
    ).scalars().all()
    stale = [s for s in published if services.freshness(s) != "fresh"]
    return render_template("directory/manage_dashboard.html", by_status=by_status, stale=stale,
                           freshness=services.freshness)
