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
        writer.writerow([formula_safe(title)])
        writer.writerow([formula_safe(cell) for cell in header])
        for row in rows:
            writer.writerow([formula_safe(cell) for cell in row])
    return "\ufeff" + out.getvalue()  # the byte order mark lets spreadsheets read non-English labels
