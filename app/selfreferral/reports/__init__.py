"""The single point of access's reporting page: how many referrals, from where, for what, from whom, how fast.

Every table covers the referrals *made* in the chosen date range (a cohort): their routes, neighbourhoods,
needs and ethnic groups, how long they waited for first contact, and what happened to those now closed.

The aggregate functions are pure: they take `ReportRow`s (plain values, no ORM objects) and return plain
numbers, so they can be checked by hand. `fetch_rows` is the only part that reads the database, and it
decrypts one answer only (the ethnic group code). Nothing personal leaves this module: only counts.
"""
import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel import numbers
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.core import crypto
from app.accounts.permissions import role_required
from app.directory.taxonomy import CATEGORIES
from app.extensions import db
from app.core.db import utcnow
from app.core.audit import AuditEvent
from app.selfreferral.models import OUTCOMES, ROUTES, Referral
from app.core.templating import format_date, format_decimal1, format_locale, format_number

bp = Blueprint("reports", __name__, url_prefix="/spa/reports", template_folder="../templates")

DEFAULT_WEEKS = 12
MAX_RANGE_DAYS = 3 * 366  # a longer range would make the weekly table unreadable
ETHNIC_GROUPS = ("asian", "black", "mixed", "white", "other")
NO_NEIGHBOURHOOD = ""
NOT_RECORDED = "not_recorded"

ROUTE_LABELS = {
    "self": _l("Referred themselves"),
    "on_behalf": _l("Someone helping them, with their agreement"),
    "worker": _l("A worker from a community organisation"),
}
ETHNIC_GROUP_LABELS = {
    "asian": _l("Asian or Asian British"),
    "black": _l("Black, Black British, Caribbean or African"),
    "mixed": _l("Mixed or multiple ethnic groups"),
    "white": _l("White"),
    "other": _l("Other ethnic group"),
}
OUTCOME_LABELS = {
    "supported": _l("Supported by the team"),
    "signposted": _l("Signposted to other support"),
    "referred_on": _l("Referred on to another service"),
    "declined": _l("Declined support"),
    "could_not_contact": _l("Could not make contact"),
    "not_appropriate": _l("Not appropriate for this service"),
    NOT_RECORDED: _l("No outcome recorded"),
}
CATEGORY_NAMES = {code: name for code, name, _desc, _subs in CATEGORIES}
# A need recorded as a subcategory counts under its top-level category.
PARENT_CATEGORY = {sub: code for code, _name, _desc, subs in CATEGORIES for sub, _sub_name in subs}

BAR_COLOUR = "#1d70b8"          # 5.2:1 against white
SECOND_BAR_COLOUR = "#505a5f"   # 7.0:1 against white, for the borough population
TEXT_COLOUR = "#0b0c0c"
# The site's own font stack (app.scss): SVG text does not pick it up from the GOV.UK classes.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Bengali', 'Noto Sans Arabic', " \
              "Arial, sans-serif"


# --- Date range -------------------------------------------------------------------------------------------------

@dataclass
class DateRange:
    start: date  # inclusive, in the borough's time zone
    end: date    # inclusive
    errors: dict = field(default_factory=dict)  # form field name -> message

    @property
    def detail(self):
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def borough_timezone():
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/London")


def local_today(now=None):
    now = now or utcnow()
    return now.replace(tzinfo=timezone.utc).astimezone(borough_timezone()).date()


def default_range(today):
    """The last 12 ISO weeks: from the Monday 11 weeks before this week's Monday, to today."""
    monday = today - timedelta(days=today.weekday())
    return DateRange(monday - timedelta(weeks=DEFAULT_WEEKS - 1), today)


DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _parse_date(value):
    """YYYY-MM-DD, a real date in a sensible span of years; else None."""
    if not DATE_RE.match(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2199 else None


def parse_range(args, today):
    """Read `from` and `to` (YYYY-MM-DD, inclusive). Either may be left out. Anything wrong gives error messages
    (keyed by field) and the default range."""
    raw_from = (args.get("from") or "").strip()[:20]
    raw_to = (args.get("to") or "").strip()[:20]
    default = default_range(today)
    errors = {}
    start = _parse_date(raw_from) if raw_from else None
    end = _parse_date(raw_to) if raw_to else None
    if raw_from and start is None:
        errors["from"] = _("The ‘from’ date must be a real date, like 2025-01-31")
    if raw_to and end is None:
        errors["to"] = _("The ‘to’ date must be a real date, like 2025-03-31")
    if not errors:
        if end is None:
            end = max(today, start) if start else today
        if start is None:
            start = default_range(end).start
        if start > end:
            errors["from"] = _("The ‘from’ date must be the same as or before the ‘to’ date")
        elif (end - start).days >= MAX_RANGE_DAYS:
            errors["to"] = _("The date range must be 3 years or shorter")
    if errors:
        return DateRange(default.start, default.end, errors)
    return DateRange(start, end)


def _utc_bounds(date_range):
    """The range's local midnights as naive UTC datetimes (how the database stores them): [start, end)."""
    tz = borough_timezone()

    def utc_midnight(day):
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)
    return utc_midnight(date_range.start), utc_midnight(date_range.end + timedelta(days=1))


# --- Rows ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportRow:
    created_on: date  # local date the referral was made
    created_at: datetime
    route: str = "self"
    neighbourhood_code: str = ""
    needs: tuple = ()
    status: str = "new"
    outcome: str = ""
    first_contact_at: datetime | None = None
    closed_at: datetime | None = None
    ethnicity: str | None = None


def fetch_rows(date_range):
    start, end = _utc_bounds(date_range)
    tz = borough_timezone()
    query = (select(Referral.created_at, Referral.route, Referral.neighbourhood_code, Referral.needs, Referral.status,
                    Referral.outcome, Referral.first_contact_at, Referral.closed_at, Referral.answers_encrypted)
             .where(Referral.created_at >= start, Referral.created_at < end)
             .order_by(Referral.created_at))
    rows = []
    for created_at, route, hood, needs, status, outcome, first_contact, closed, encrypted in db.session.execute(query):
        answers = crypto.decrypt(encrypted) or {}
        ethnicity = answers.get("ethnicity") if isinstance(answers, dict) else None
        rows.append(ReportRow(
            created_on=created_at.replace(tzinfo=timezone.utc).astimezone(tz).date(), created_at=created_at,
            route=route or "", neighbourhood_code=hood or "", needs=tuple(needs or ()), status=status or "",
            outcome=outcome or "", first_contact_at=first_contact, closed_at=closed,
            ethnicity=ethnicity if isinstance(ethnicity, str) else None))
    return rows


# --- Pure aggregates ----------------------------------------------------------------------------------------------

def iso_monday(day):
    return day - timedelta(days=day.weekday())


def weekly_by_route(rows, date_range):
    """One entry per ISO week touching the range (zero weeks included), oldest first."""
    weeks = []
    monday = iso_monday(date_range.start)
    while monday <= date_range.end:
        year, week, _day = monday.isocalendar()
        weeks.append({"monday": monday, "iso_year": year, "iso_week": week,
                      "partial": monday < date_range.start or monday + timedelta(days=6) > date_range.end,
                      "routes": {route: 0 for route in ROUTES}, "total": 0})
        monday += timedelta(weeks=1)
    index = {week["monday"]: week for week in weeks}
    for row in rows:
        if not date_range.start <= row.created_on <= date_range.end:
            continue
        week = index[iso_monday(row.created_on)]
        week["total"] += 1
        if row.route in week["routes"]:
            week["routes"][row.route] += 1
    return weeks


def route_totals(rows):
    totals = {route: 0 for route in ROUTES}
    for row in rows:
        if row.route in totals:
            totals[row.route] += 1
    return [{"code": route, "label": ROUTE_LABELS[route], "count": totals[route]} for route in ROUTES]


def by_neighbourhood(rows, neighbourhoods):
    """Every configured neighbourhood (zeros too), then codes we do not know, then 'not known'."""
    names = {hood["code"]: hood["name"] for hood in neighbourhoods}
    counts = {code: 0 for code in names}
    unknown = {}
    missing = 0
    for row in rows:
        code = row.neighbourhood_code or NO_NEIGHBOURHOOD
        if code == NO_NEIGHBOURHOOD or code == "none":
            missing += 1
        elif code in counts:
            counts[code] += 1
        else:
            unknown[code] = unknown.get(code, 0) + 1
    # Configured names are English msgids (the demo ones are in the catalogue): shown in the page's language.
    result = [{"code": code, "label": _l(names[code]), "count": counts[code]} for code in names]
    result += [{"code": code, "label": code, "count": unknown[code]} for code in sorted(unknown)]
    result.append({"code": NO_NEIGHBOURHOOD, "label": _l("Not known or no fixed address"), "count": missing})
    return result


def by_need(rows):
    """Referrals asking for help with each top-level category, most asked for first; one referral can ask for
    several. 'No need selected' comes last."""
    order = [code for code, _name, _desc, _subs in CATEGORIES]
    counts = {code: 0 for code in order}
    none_selected = 0
    for row in rows:
        codes = {PARENT_CATEGORY.get(code, code) for code in row.needs} & set(counts)
        if not codes:
            none_selected += 1
        for code in codes:
            counts[code] += 1
    shown = [code for code in order if code != "urgent" or counts[code]]
    shown.sort(key=lambda code: (-counts[code], order.index(code)))
    result = [{"code": code, "label": CATEGORY_NAMES[code], "count": counts[code]} for code in shown]
    result.append({"code": "", "label": _l("No need selected"), "count": none_selected})
    return result


def ethnic_group(code):
    """'asian-bangladeshi' -> 'asian'; 'prefer_not' -> 'prefer_not'; missing or unrecognised -> None."""
    if not code:
        return None
    if code == "prefer_not":
        return "prefer_not"
    prefix = code.split("-", 1)[0]
    return prefix if prefix in ETHNIC_GROUPS else None


def by_ethnicity(rows, population):
    """Each high-level group as a share of referrals that stated an ethnic group, against the borough's adults.

    `difference` is in percentage points (referrals % minus population %); None where either side is unknown.
    """
    counts = {group: 0 for group in ETHNIC_GROUPS}
    prefer_not = not_answered = 0
    for row in rows:
        group = ethnic_group(row.ethnicity)
        if group == "prefer_not":
            prefer_not += 1
        elif group is None:
            not_answered += 1
        else:
            counts[group] += 1
    stated = sum(counts.values())
    groups = []
    for group in ETHNIC_GROUPS:
        share = round(100 * counts[group] / stated, 1) if stated else None
        borough = population.get(group)
        borough = float(borough) if borough is not None else None
        difference = round(share - borough, 1) if share is not None and borough is not None else None
        groups.append({"code": group, "label": ETHNIC_GROUP_LABELS[group], "count": counts[group],
                       "percent": share, "population_percent": borough, "difference": difference})
    return {"groups": groups, "stated": stated, "prefer_not": prefer_not, "not_answered": not_answered,
            "total": stated + prefer_not + not_answered}


def percentile(values, p):
    """The p-th percentile (0-100) by linear interpolation between closest ranks (as Excel's PERCENTILE.INC and
    numpy's default). None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _days(delta):
    return max(delta.total_seconds(), 0) / 86400


def contact_times(rows, now):
    """Days from referral to first contact (contacted referrals), and days waited so far (open, not contacted)."""
    contacted = [_days(row.first_contact_at - row.created_at) for row in rows if row.first_contact_at]
    waiting = [_days(now - row.created_at) for row in rows
               if not row.first_contact_at and row.status != "closed" and row.closed_at is None]

    def summary(values):
        return {"count": len(values), "median": _round(percentile(values, 50)), "p90": _round(percentile(values, 90))}
    return {"first_contact": summary(contacted), "waiting": summary(waiting)}


def _round(value):
    return None if value is None else round(value, 1)


def outcomes(rows):
    """Closed referrals by outcome: every outcome, zeros included."""
    counts = {outcome: 0 for outcome in OUTCOMES}
    not_recorded = 0
    for row in rows:
        if row.status != "closed" and row.closed_at is None:
            continue
        if row.outcome in counts:
            counts[row.outcome] += 1
        else:
            not_recorded += 1
    result = [{"code": code, "label": OUTCOME_LABELS[code], "count": counts[code]} for code in OUTCOMES]
    result.append({"code": NOT_RECORDED, "label": OUTCOME_LABELS[NOT_RECORDED], "count": not_recorded})
    return result


def build_report(date_range, rows, now, neighbourhoods, population):
    closed = outcomes(rows)
    return {
        "range": date_range,
        "total": len(rows),
        "weeks": weekly_by_route(rows, date_range),
        "routes": route_totals(rows),
        "neighbourhoods": by_neighbourhood(rows, neighbourhoods),
        "needs": by_need(rows),
        "ethnicity": by_ethnicity(rows, population),
        "times": contact_times(rows, now),
        "outcomes": closed,
        "closed_total": sum(item["count"] for item in closed),
    }


def report_for(date_range, now=None):
    now = now or utcnow()
    return build_report(date_range, fetch_rows(date_range), now, current_app.config["NEIGHBOURHOODS"],
                        current_app.config.get("POPULATION_ETHNICITY") or {})


# --- Charts -------------------------------------------------------------------------------------------------------

CHART_WIDTH = 640
LABEL_LINE = 18   # the label sits on its own line above its bar(s), so long or translated labels have room
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14
VALUE_ROOM = 190  # room after the longest bar for its number


def bar_chart(title, rows, rtl=False, legend=None):
    """Geometry for a horizontal bar chart, drawn by _bar_chart.svg.html.

    rows: [{"label": str, "bars": [{"value": number, "text": str, "series": 0|1}]}]. Labels start at the reading
    edge (the left, or the right in a right-to-left page), bars grow away from it, numbers follow each bar.
    """
    peak = max((bar["value"] or 0 for row in rows for bar in row["bars"]), default=0)
    scale = (CHART_WIDTH - VALUE_ROOM) / peak if peak else 0
    edge = CHART_WIDTH if rtl else 0
    direction = -1 if rtl else 1
    y = 0
    items = []
    for row in rows:
        label = {"x": edge, "y": y + 14, "text": row["label"]}
        y += LABEL_LINE + 2
        bars = []
        for bar in row["bars"]:
            length = round((bar["value"] or 0) * scale, 1)
            x = edge - length if rtl else edge
            bars.append({"x": x, "y": y, "width": length, "height": BAR_HEIGHT,
                         "fill": SECOND_BAR_COLOUR if bar.get("series") else BAR_COLOUR,
                         "text": bar["text"], "text_x": edge + direction * (length + 6), "text_y": y + 14})
            y += BAR_HEIGHT + BAR_GAP
        items.append({"label": label, "bars": bars})
        y += ROW_GAP
    return {"title": title, "width": CHART_WIDTH, "height": max(y, 1), "items": items, "rtl": rtl,
            "anchor": "start", "direction": "rtl" if rtl else "ltr", "text_colour": TEXT_COLOUR, "font": FONT_FAMILY, "legend": legend}


def format_percent(value):
    if value is None:
        return "–"
    return numbers.format_percent(value / 100, format="#,##0.0%", locale=format_locale())


def format_points(value):
    if value is None:
        return "–"
    if value == 0:
        return format_decimal1(0)
    return numbers.format_decimal(value, format="+#,##0.0;-#,##0.0", locale=format_locale())


def format_days(value):
    return "–" if value is None else format_decimal1(value)


def charts_for(report, rtl):
    def counts(items):
        return [{"label": str(item["label"]), "bars": [{"value": item["count"],
                                                        "text": format_number(item["count"])}]} for item in items]

    weeks = [{"label": _("Week beginning %(date)s", date=format_date(week["monday"])),
              "bars": [{"value": week["total"], "text": format_number(week["total"])}]} for week in report["weeks"]]
    ethnicity = [{"label": str(group["label"]), "bars": [
        {"value": group["percent"] or 0, "series": 0,
         "text": _("Referrals: %(percent)s", percent=format_percent(group["percent"]))},
        {"value": group["population_percent"] or 0, "series": 1,
         "text": _("Borough: %(percent)s", percent=format_percent(group["population_percent"]))},
    ]} for group in report["ethnicity"]["groups"]]
    legend = [{"colour": BAR_COLOUR, "text": _("Referrals that stated an ethnic group")},
              {"colour": SECOND_BAR_COLOUR, "text": _("Adults living in the borough")}]
    return {
        "weeks": bar_chart(_("Referrals each week"), weeks, rtl),
        "routes": bar_chart(_("Referrals by who made them"), counts(report["routes"]), rtl),
        "neighbourhoods": bar_chart(_("Referrals by neighbourhood"), counts(report["neighbourhoods"]), rtl),
        "needs": bar_chart(_("Referrals by what would help"), counts(report["needs"]), rtl),
        "ethnicity": bar_chart(_("Ethnic group of referrals compared with the borough"), ethnicity, rtl, legend),
        "outcomes": bar_chart(_("Outcomes of closed referrals"), counts(report["outcomes"]), rtl),
    }


# --- CSV ----------------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet could run as a formula gets a leading quote. Numbers are written as numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_csv(report):
    r = report["range"]
    sections = [
        (_("Date range"), [_("From"), _("To"), _("Referrals")], [[r.start.isoformat(), r.end.isoformat(),
                                                                  report["total"]]]),
        (_("Referrals each week"),
         [_("ISO week"), _("Week beginning")] + [str(ROUTE_LABELS[route]) for route in ROUTES] + [_("Total")],
         [[f"{w['iso_year']}-W{w['iso_week']:02d}", w["monday"].isoformat()] +
          [w["routes"][route] for route in ROUTES] + [w["total"]] for w in report["weeks"]]),
        (_("Referrals by who made them"), [_("Route"), _("Referrals")],
         [[item["label"], item["count"]] for item in report["routes"]]),
        (_("Referrals by neighbourhood"), [_("Neighbourhood"), _("Referrals")],
         [[item["label"], item["count"]] for item in report["neighbourhoods"]]),
        (_("Referrals by what would help"), [_("Need"), _("Referrals")],
         [[item["label"], item["count"]] for item in report["needs"]]),
        (_("Ethnic group"), [_("Ethnic group"), _("Referrals"),
                             _("Percentage of referrals that stated an ethnic group"),
                             _("Percentage of adults in the borough"), _("Difference (percentage points)")],
         [[g["label"], g["count"], g["percent"], g["population_percent"], g["difference"]]
          for g in report["ethnicity"]["groups"]] +
         [[_("Preferred not to say"), report["ethnicity"]["prefer_not"], None, None, None],
          [_("Not answered"), report["ethnicity"]["not_answered"], None, None, None]]),
        (_("Time to first contact"), [_("Measure"), _("Referrals"), _("Median (days)"), _("90th percentile (days)")],
         [[_("Days from referral to first contact"), report["times"]["first_contact"]["count"],
           report["times"]["first_contact"]["median"], report["times"]["first_contact"]["p90"]],
          [_("Days waited so far, still open and not yet contacted"), report["times"]["waiting"]["count"],
           report["times"]["waiting"]["median"], report["times"]["waiting"]["p90"]]]),
        (_("Outcomes of closed referrals"), [_("Outcome"), _("Referrals")],
         [[item["label"], item["count"]] for item in report["outcomes"]]),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, (title, header, rows) in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerow([csv_safe(title)])
        writer.writerow([csv_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([csv_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()  # the byte order mark lets spreadsheets read non-English labels


# --- Views --------------------------------------------------------------------------------------------------------

def _audit(action, date_range):
    # Counts only: the detail holds the dates asked for, never anything about a person.
    db.session.add(AuditEvent(user_id=current_user.id, action=action, detail=date_range.detail))
    db.session.commit()


@bp.route("/")
@role_required("spa")
def index():
    from app.i18n.locale import current_direction
    date_range = parse_range(request.args, local_today())
    report = report_for(date_range)
    rtl = current_direction() == "rtl"
    _audit("report_view", date_range)
    return render_template(
        "selfreferral/reports.html", report=report, charts=charts_for(report, rtl), range=date_range,
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
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})
