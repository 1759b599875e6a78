"""The reports page and its CSV download (SPA staff only; every view is audited, with the dates only)."""
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import role_required
from app.core.audit import AuditEvent
from app.core.clock import local_today
from app.extensions import db
from app.i18n.locale import current_direction
from app.selfreferral.reports.charts import charts_for, format_days, format_percent, format_points
from app.selfreferral.reports.csv import report_csv
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
        format_days=format_days, routes=ROUTES, route_labels=ROUTE_LABELS,
        csv_url=url_for("reports.export", **{"from": date_range.start.isoformat(), "to": date_range.end.isoformat()}))


@bp.route("/referrals.csv")
@role_required("spa")
def export():
    date_range = parse_range(request.args, local_today())
    if date_range.errors:
        # Never download a different range from the one asked for: show the page and its error instead.
        return redirect(url_for("reports.index", **{key: request.args.get(key, "")[:20] for key in ("from", "to")}))
    report = report_for(date_range)
    body = report_csv(report)
    _audit("report_export", date_range)
    filename = f"referrals-{date_range.start.isoformat()}-to-{date_range.end.isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
