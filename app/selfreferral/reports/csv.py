"""The reports as one CSV file: a section per table, numbers as numbers, nothing a spreadsheet could run."""
import csv
import io

from flask_babel import gettext as _

from app.core.validation import formula_safe
from app.selfreferral.reports.figures import ROUTE_LABELS, ROUTES


def report_csv(report):
    r = report["range"]
    sections = [
        (_("Date range"), [_("From"), _("To"), _("Referrals")], [[r.start.isoformat(), r.end.isoformat(),
                                                                  report["total"]]]),
        (_("Referrals each week"),
         [_("ISO week"), _("Week beginning")] + [str(ROUTE_LABELS[route]) for route in ROUTES] + [_("Total")],
         _weeks(report["weeks"])),
        (_("Referrals by who made them"), [_("Route"), _("Referrals")], _counts(report["routes"])),
        (_("Referrals by neighbourhood"), [_("Neighbourhood"), _("Referrals")], _counts(report["neighbourhoods"])),
        (_("Referrals by what would help"), [_("Need"), _("Referrals")], _counts(report["needs"])),
        (_("Ethnic group"), [_("Ethnic group"), _("Referrals"),
                             _("Percentage of referrals that stated an ethnic group"),
                             _("Percentage of adults in the borough"), _("Difference (percentage points)")],
         _ethnicity(report["ethnicity"])),
        (_("Time to first contact"), [_("Measure"), _("Referrals"), _("Median (days)"), _("90th percentile (days)")],
         _times(report["times"])),
        (_("Outcomes of closed referrals"), [_("Outcome"), _("Referrals")], _counts(report["outcomes"])),
    ]
    return _write(sections)


def _counts(items):
    return [[item["label"], item["count"]] for item in items]


def _weeks(weeks):
    return [[f"{w['iso_year']}-W{w['iso_week']:02d}", w["monday"].isoformat()] +
            [w["routes"][route] for route in ROUTES] + [w["total"]] for w in weeks]


def _ethnicity(ethnicity):
    return [[g["label"], g["count"], g["percent"], g["population_percent"], g["difference"]]
            for g in ethnicity["groups"]] + \
        [[_("Preferred not to say"), ethnicity["prefer_not"], None, None, None],
         [_("Not answered"), ethnicity["not_answered"], None, None, None]]


def _times(times):
    return [[_("Days from referral to first contact"), times["first_contact"]["count"],
             times["first_contact"]["median"], times["first_contact"]["p90"]],
            [_("Days waited so far, still open and not yet contacted"), times["waiting"]["count"],
             times["waiting"]["median"], times["waiting"]["p90"]]]


def _write(sections):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, (title, header, rows) in enumerate(sections):
        if index:
            writer.writerow([])
        writer.writerow([formula_safe(title)])
        writer.writerow([formula_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([formula_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()  # the byte order mark lets spreadsheets read non-English labels
