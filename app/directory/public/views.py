from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import text

from app.core import clock, jobs, limits
from app.core.requests import int_arg, url_args
from app.core.security import safe_next
from app.directory import listings, opening, problems, search
from app.directory.public import my_list
from app.extensions import db

bp = Blueprint("directory", __name__, template_folder="templates")

def page_arg():
    return int_arg("page", 1, 1, 10_000)


@bp.route("/")
def home():
    return render_template("directory/home.html", categories=listings.top_categories_with_counts())


@bp.route("/categories/")
def categories():
    return render_template("directory/categories.html", categories=listings.top_categories_with_counts(),
                           counts=listings.published_counts_by_category())


@bp.route("/categories/<code>")
def category(code):
    found = listings.get_category(code)
    if found is None:
        abort(404)
    pagination = listings.services_in_category(found, page=page_arg())
    return render_template("directory/category.html", category=found, pagination=pagination,
                           counts=listings.published_counts_by_category(), my_list=set(my_list.ids()))


@bp.route("/services/<slug>")
def service(slug):
    found = listings.get_published_service(slug)
    if found is None:
        abort(404)
    share_url = url_for("directory.service", slug=found.slug, _external=True)
    return render_template("directory/service.html", service=found, freshness=listings.freshness(found),
                           in_list=found.id in my_list.ids(), share_url=share_url,
                           share_mailto=_share_mailto(found, share_url))


def _share_mailto(service, share_url):
    subject = _("%(name)s on Hidden Gems", name=service.name)
    body = _("I found this on Hidden Gems and thought it might help you: %(url)s", url=share_url)
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


@bp.route("/search")
def search_page():
    search_request = search.SearchRequest.from_args(request.args)
    now = clock.local_now()
    results = search.search_services(search_request, now=now)
    statuses = {service.id: opening.status(service.schedules, now) for service, _distance in results.items}
    return render_template("directory/search.html", req=search_request, results=results, statuses=statuses,
                           now=now, my_list=set(my_list.ids()), search_url=_search_url,
                           crisis=search.is_crisis(search_request.text))


def _search_url(**changes):
    """The current search with some parameters changed (None removes one); changing anything but the page resets it."""
    args = request.args.copy()
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        args.pop(key, None)
        if value not in (None, "", False):
            args[key] = value
    args.pop("lang", None)
    return url_for("directory.search_page", **url_args(args))


@bp.route("/my-list")
def my_list_page():
    shared = request.args.get("items")
    items = my_list.services_from_slugs(shared) if shared is not None else my_list.services()
    now = clock.local_now()
    return render_template("directory/my_list.html", items=items, shared=shared is not None,
                           share_url=my_list.share_url(items), now=now,
                           statuses={s.id: opening.status(s.schedules, now) for s in items})


@bp.route("/my-list/print")
def my_list_print():
    shared = request.args.get("items")
    items = my_list.services_from_slugs(shared) if shared is not None else my_list.services()
    return render_template("directory/my_list_print.html", items=items)


@bp.route("/my-list/add", methods=["POST"])
def my_list_add():
    service = listings.get_published_service(request.form.get("slug", ""))
    if service is None:
        abort(404)
    if my_list.add(service):
        flash(_("‘%(name)s’ was added to your list.", name=service.name))
    else:
        flash(_("Your list can hold %(max)s listings. Remove one to add another.", max=my_list.MAX_ITEMS))
    return redirect(safe_next(request.form.get("next"), url_for("directory.my_list_page")))


@bp.route("/my-list/save", methods=["POST"])
def my_list_save():
    """A list someone shared, added to this person's own list."""
    shared = my_list.services_from_slugs(request.form.get("items", ""))
    added, full = my_list.add_all(shared)
    if not shared:
        flash(_("There were no listings to add. They may have been taken down."))
    elif full:
        flash(_("Your list can hold %(max)s listings, so not all of them were added.", max=my_list.MAX_ITEMS))
    elif added:
        flash(ngettext("%(num)s listing was added to your list.", "%(num)s listings were added to your list.",
                       added))
    else:
        flash(_("These listings were already in your list."))
    return redirect(url_for("directory.my_list_page"))


@bp.route("/my-list/remove", methods=["POST"])
def my_list_remove():
    my_list.remove(request.form.get("slug", ""))
    flash(_("The listing was removed from your list."))
    return redirect(safe_next(request.form.get("next"), url_for("directory.my_list_page")))


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
    scheduled, late = _scheduled_work()
    overall = "ok" if database["status"] == "ok" and index["status"] == "ok" and not late else "degraded"
    return jsonify({"status": overall, "database": database, "search_index": index, **scheduled}), \
        (200 if database["status"] == "ok" else 503)


def _scheduled_work():
    try:
        return jobs.health(current_app.config)
    except Exception:  # no database: already reported above
        db.session.rollback()
        return {"oldest_unsent_mail_seconds": None, "last_purge": None}, True


REPORT_SENT = "problem_report_sent"


@bp.route("/services/<slug>/report/sent")
def report_sent(slug):
    found = listings.get_published_service(slug)
    if found is None:
        abort(404)
    sent = session.pop(REPORT_SENT, None)
    if not isinstance(sent, dict) or sent.get("slug") != found.slug:
        return redirect(url_for("directory.report_problem", slug=found.slug))
    return render_template("directory/report_sent.html", service=found, group_told=bool(sent.get("group_told")))


@bp.route("/services/<slug>/report", methods=["GET", "POST"])
@limits.problem_report()
def report_problem(slug):
    found = listings.get_published_service(slug)
    if found is None:
        abort(404)
    values = {"problem": request.form.get("problem", ""), "message": request.form.get("message") or "",
              "email": (request.form.get("email") or "").strip()[:254]}
    errors = problems.check_report(values) if request.method == "POST" else {}
    if request.method == "POST" and not errors:
        problems.report(found, values["problem"], values["message"], values["email"], str(get_locale() or "en"))
        db.session.commit()
        # Post, then redirect: reloading the thank-you page must not send the report again.
        session[REPORT_SENT] = {"slug": found.slug, "group_told": problems.group_told(found)}
        return redirect(url_for("directory.report_sent", slug=found.slug))
    return render_template("directory/report_problem.html", service=found, problems=problems.PROBLEMS,
                           errors=errors, message_max=problems.MESSAGE_MAX,
                           values=values), (400 if errors else 200)
