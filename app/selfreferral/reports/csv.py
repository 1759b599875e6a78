"""The reports as tidy CSV tables, one per download (or all of them in one ZIP file).

Each file opens cleanly in Excel: UTF-8 with a byte order mark, CRLF line ends, one header row, then data rows only
(no titles or blank lines). Numbers stay numbers, a suppressed count reads "fewer than 5", and no text cell can
start a formula.
"""
import csv
import io
import zipfile

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.validation import formula_safe
from app.selfreferral.reports.figures import ROUTE_LABELS, ROUTES

TABLES = {
    "summary": _l("Date range"),
    "weeks": _l("Referrals each week"),
    "routes": _l("Referrals by who made them"),
    "neighbourhoods": _l("Referrals by neighbourhood"),
    "needs": _l("Referrals by what would help"),
    "ethnicity": _l("Ethnic group"),
    "ethnicity-detail": _l("Referrals by detailed ethnic group (Census 2021)"),
    "times": _l("Time to first contact"),
    "outcomes": _l("Outcomes of closed referrals"),
}


def table_rows(report, name):
    """The header and rows of one table (name from TABLES)."""
    builders = {
        "summary": lambda: ([_("From"), _("To"), _("Referrals")],
                            [[report["range"].start.isoformat(), report["range"].end.isoformat(), report["total"]]]),
        "weeks": lambda: ([_("ISO week"), _("Week beginning")] + [str(ROUTE_LABELS[route]) for route in ROUTES] +
                          [_("Total")], _weeks(report["weeks"])),
        "routes": lambda: ([_("Route"), _("Referrals")], _counts(report["routes"])),
        "neighbourhoods": lambda: ([_("Neighbourhood"), _("Referrals")], _counts(report["neighbourhoods"])),
        "needs": lambda: ([_("Need"), _("Referrals")], _counts(report["needs"])),
        "ethnicity": lambda: ([_("Ethnic group"), _("Referrals"),
                               _("Percentage of referrals that stated an ethnic group"),
                               _("Percentage of adults in the borough"), _("Difference (percentage points)")],
                              _ethnicity(report["ethnicity"])),
        "ethnicity-detail": lambda: ([_("Ethnic group"), _("Detailed ethnic group"), _("Referrals"),
                                      _("Percentage of referrals that stated an ethnic group"),
                                      _("Percentage of adults in the borough")],
                                     _detail(report["ethnicity"]["detail"])),
        "times": lambda: ([_("Measure"), _("Referrals"), _("Median (days)"), _("90th percentile (days)")],
                          _times(report["times"])),
        "outcomes": lambda: ([_("Outcome"), _("Referrals")], _counts(report["outcomes"])),
    }
    return builders[name]()


def table_csv(report, name):
    header, rows = table_rows(report, name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([formula_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([formula_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()  # the byte order mark lets spreadsheets read non-English labels


def report_zip(report, prefix):
    """Every table as its own CSV file in one ZIP file."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in TABLES:
            archive.writestr(f"{prefix}-{name}.csv", table_csv(report, name).encode("utf-8"))
    return out.getvalue()


def _counts(items):
    return [[str(item["label"]), item["count"]] for item in items]


def _weeks(weeks):
    return [[f"{w['iso_year']}-W{w['iso_week']:02d}", w["monday"].isoformat()] +
            [w["routes"][route] for route in ROUTES] + [w["total"]] for w in weeks]


def _ethnicity(ethnicity):
    return [[str(g["label"]), g["count"], g["percent"], g["population_percent"], g["difference"]]
            for g in ethnicity["groups"]] + \
        [[_("Preferred not to say"), ethnicity["prefer_not"], None, None, None],
         [_("Not answered"), ethnicity["not_answered"], None, None, None]]


def _detail(groups):
    return [[str(group["label"]), str(sub["label"]), sub["count"], sub["percent"], sub["population_percent"]]
            for group in groups for sub in group["subgroups"]]


def _times(times):
    return [[_("Days from referral to first contact"), times["first_contact"]["count"],
             times["first_contact"]["median"], times["first_contact"]["p90"]],
            [_("Days waited so far, still open and not yet contacted"), times["waiting"]["count"],
             times["waiting"]["median"], times["waiting"]["p90"]]]
