"""Figures for the single point of access's reports: date ranges, cohorts and counts.

Every table covers the referrals *made* in the chosen date range (a cohort): their routes, neighbourhoods,
needs and ethnic groups, how long they waited for first contact, and what happened to those now closed.

The aggregate functions are pure: they take `ReportRow`s (plain values, no ORM objects) and return plain
numbers, so they can be checked by hand. `fetch_rows` is the only part that reads the database, and it
decrypts one answer only (the ethnic group code). Nothing personal leaves this module: only counts.
"""
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import crypto
from app.core.clock import borough_timezone
from app.core.db import utcnow
from app.directory.taxonomy import CATEGORIES
from app.extensions import db
from app.selfreferral.models import OUTCOMES, ROUTES, Referral
from app.selfreferral.reports.ethnicity import by_detailed_ethnicity
from app.selfreferral.reports.suppression import protect_report

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

# --- Date range -------------------------------------------------------------------------------------------------

@dataclass
class DateRange:
    start: date  # inclusive, in the borough's time zone
    end: date    # inclusive
    errors: dict = field(default_factory=dict)  # form field name -> message

    @property
    def detail(self):
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


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
    start, end, errors = _read_dates(args)
    if not errors:
        start, end, errors = _complete_range(start, end, today)
    if errors:
        default = default_range(today)
        return DateRange(default.start, default.end, errors)
    return DateRange(start, end)


def _read_dates(args):
    """The dates as given (None where left out), and a message for each one that is not a real date."""
    raw_from = (args.get("from") or "").strip()[:20]
    raw_to = (args.get("to") or "").strip()[:20]
    start = _parse_date(raw_from) if raw_from else None
    end = _parse_date(raw_to) if raw_to else None
    errors = {}
    if raw_from and start is None:
        errors["from"] = _("The ‘from’ date must be a real date, like 2025-01-31")
    if raw_to and end is None:
        errors["to"] = _("The ‘to’ date must be a real date, like 2025-03-31")
    return start, end, errors


def _complete_range(start, end, today):
    """Fill in a missing end (today, or the start if later) or start (12 weeks before the end), then check."""
    if end is None:
        end = max(today, start) if start else today
    if start is None:
        start = default_range(end).start
    if start > end:
        return start, end, {"from": _("The ‘from’ date must be the same as or before the ‘to’ date")}
    if (end - start).days >= MAX_RANGE_DAYS:
        return start, end, {"to": _("The date range must be 3 years or shorter")}
    return start, end, {}


def _utc_bounds(date_range):
    """The range's local midnights as naive UTC datetimes (how the database stores them): [start, end)."""
    tz = borough_timezone()

    def utc_midnight(day):
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC).replace(tzinfo=None)
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
            created_on=created_at.replace(tzinfo=UTC).astimezone(tz).date(), created_at=created_at,
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
    counts, none_selected = _need_counts(rows, order)
    shown = [code for code in order if code != "urgent" or counts[code]]
    shown.sort(key=lambda code: (-counts[code], order.index(code)))
    result = [{"code": code, "label": CATEGORY_NAMES[code], "count": counts[code]} for code in shown]
    result.append({"code": "", "label": _l("No need selected"), "count": none_selected})
    return result


def _need_counts(rows, order):
    """Referrals per top-level category (a subcategory counts under its parent), and those with none."""
    counts = {code: 0 for code in order}
    none_selected = 0
    for row in rows:
        codes = {PARENT_CATEGORY.get(code, code) for code in row.needs} & set(counts)
        if not codes:
            none_selected += 1
        for code in codes:
            counts[code] += 1
    return counts, none_selected


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
    detail = by_detailed_ethnicity(rows, [(g, ETHNIC_GROUP_LABELS[g]) for g in ETHNIC_GROUPS], ethnic_group,
                                   population)
    return {"groups": groups, "stated": stated, "prefer_not": prefer_not, "not_answered": not_answered,
            "total": stated + prefer_not + not_answered, "detail": detail}


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
    return protect_report(build_report(date_range, fetch_rows(date_range), now, current_app.config["NEIGHBOURHOODS"],
                        current_app.config.get("POPULATION_ETHNICITY") or {}))
