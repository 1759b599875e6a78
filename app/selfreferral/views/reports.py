"""The reports page and its CSV download (SPA staff only; every view is audited, with the dates only)."""
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import role_required
from app.core.audit import AuditEvent
from app.core.clock import local_today
from app.extensions import db
from app.i18n.locale import current_direction
from app.selfreferral.reports.charts import charts_for, format_count, format_days, format_percent, format_points
from app.selfreferral.reports.csv import TABLES, report_zip, table_csv
from app.selfreferral.reports.figures import ROUTE_LABELS, ROUTES, parse_range, report_for
from app.selfreferral.views import no_store

bp = Blueprint("reports", __name__, url_prefix="/spa/reports", template_folder="../templates")
bp.after_request(no_store)


def _audit(action, date_range):
    # Counts only: the detail holds the dates asked for, never anything about a person.
    db.session.add(AuditEvent(user_id=current_user.id, action=action, detail=date_range.detail))
    db.session.commit()


@bp.route("/")
@role_required("spa")
def index():
    date_range = parse_range(request.args, local_today())
    report = report_for(date_range)
    rtl = current_direction() == "rtl"
    _audit("report_view", date_range)
    return render_template(
        "selfreferral/reports/reports.html", report=report, charts=charts_for(report, rtl), range=date_range,
        errors=date_range.errors, form_from=(request.args.get("from") or "")[:20] if date_range.errors else
        date_range.start.isoformat(), form_to=(request.args.get("to") or "")[:20] if date_range.errors else
        date_range.end.isoformat(), format_percent=format_percent, format_points=format_points,
        format_days=format_days, format_count=format_count, routes=ROUTES, route_labels=ROUTE_LABELS,
        csv_tables=list(TABLES.items()), range_args=_range_args(date_range),
        zip_url=url_for("reports.export_zip", **_range_args(date_range)))


def _range_args(date_range):
    return {"from": date_range.start.isoformat(), "to": date_range.end.isoformat()}


def _checked_range():
    """The range asked for, or None if it has errors (never download a different range from the one asked for)."""
    date_range = parse_range(request.args, local_today())
    return None if date_range.errors else date_range


def _back_to_page():
    return redirect(url_for("reports.index", **{key: request.args.get(key, "")[:20] for key in ("from", "to")}))


@bp.route("/export.csv")
@role_required("spa")
def export():
    name = request.args.get("table", "weeks")
    if name not in TABLES:
        abort(404)
    date_range = _checked_range()
    if date_range is None:
        return _back_to_page()
    report = report_for(date_range)
    _audit("report_export", date_range)
    return Response(table_csv(report, name), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_file_prefix(date_range)}-{name}.csv"'})


@bp.route("/export.zip")
@role_required("spa")
def export_zip():
    date_range = _checked_range()
    if date_range is None:
        return _back_to_page()
    report = report_for(date_range)
    _audit("report_export", date_range)
    prefix = _file_prefix(date_range)
    return Response(report_zip(report, prefix), mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{prefix}.zip"'})


def _file_prefix(date_range):
    """The downloads' names: one table's CSV, or the zip of them all, for one period."""
    return f"referrals-{date_range.start.isoformat()}-to-{date_range.end.isoformat()}"
