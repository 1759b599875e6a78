"""Server-side SVG bar charts for the reports page (no scripts): geometry here, drawing in _bar_chart.svg.html."""
from babel import numbers
from flask_babel import gettext as _

from app.core.templating import format_date, format_decimal1, format_locale, format_number
from app.selfreferral.reports.suppression import Suppressed

BAR_COLOUR = "#1d70b8"          # 5.2:1 against white
SECOND_BAR_COLOUR = "#505a5f"   # 7.0:1 against white, for the borough population
TEXT_COLOUR = "#0b0c0c"
# The site's own font stack (app.scss): SVG text does not pick it up from the GOV.UK classes.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Bengali', 'Noto Sans Arabic', " \
              "Arial, sans-serif"


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
    scale = _scale(rows)
    edge = CHART_WIDTH if rtl else 0
    direction = -1 if rtl else 1
    y = 0
    items = []
    for row in rows:
        label = {"x": edge, "y": y + 14, "text": row["label"]}
        y += LABEL_LINE + 2
        bars = []
        for bar in row["bars"]:
            bars.append(_bar(bar, y, round((bar["value"] or 0) * scale, 1), edge, direction))
            y += BAR_HEIGHT + BAR_GAP
        items.append({"label": label, "bars": bars})
        y += ROW_GAP
    return {"title": title, "width": CHART_WIDTH, "height": max(y, 1), "items": items, "rtl": rtl,
            "anchor": "start", "direction": "rtl" if rtl else "ltr", "text_colour": TEXT_COLOUR, "font": FONT_FAMILY,
            "legend": legend}


def _scale(rows):
    """Pixels per unit, so the longest bar leaves room for its number."""
    peak = max((bar["value"] or 0 for row in rows for bar in row["bars"]), default=0)
    return (CHART_WIDTH - VALUE_ROOM) / peak if peak else 0


def _bar(bar, y, length, edge, direction):
    """One bar growing from the reading edge (direction -1: leftwards, for right-to-left), its number after it."""
    return {"x": edge - length if direction < 0 else edge, "y": y, "width": length, "height": BAR_HEIGHT,
            "fill": SECOND_BAR_COLOUR if bar.get("series") else BAR_COLOUR,
            "text": bar["text"], "text_x": edge + direction * (length + 6), "text_y": y + 14}


def format_count(value):
    """A published count: the number in the page's locale, or "fewer than 5"."""
    return str(value) if isinstance(value, Suppressed) else format_number(value)


def _value(value):
    """A bar's length: a suppressed figure draws no bar (its text says "fewer than 5")."""
    return 0 if isinstance(value, Suppressed) or value is None else value


def format_percent(value):
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return "–"
    return numbers.format_percent(value / 100, format="#,##0.0%", locale=format_locale())


def format_points(value):
    if isinstance(value, Suppressed):
        return str(value)
    if value is None:
        return "–"
    if value == 0:
        return format_decimal1(0)
    return numbers.format_decimal(value, format="+#,##0.0;-#,##0.0", locale=format_locale())


def format_days(value):
    if isinstance(value, Suppressed):
        return str(value)
    return "–" if value is None else format_decimal1(value)


def charts_for(report, rtl):
    def counts(items):
        return [{"label": str(item["label"]), "bars": [{"value": _value(item["count"]),
                                                        "text": format_count(item["count"])}]} for item in items]

    weeks = [{"label": _("Week beginning %(date)s", date=format_date(week["monday"])),
              "bars": [{"value": _value(week["total"]), "text": format_count(week["total"])}]}
             for week in report["weeks"]]
    ethnicity = [{"label": str(group["label"]), "bars": [
        {"value": _value(group["percent"]), "series": 0,
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
