"""The single point of access's reporting page: who may see it, the numbers on a small known data set, the
date range, the CSV download, the audit trail and the accessible charts."""
import csv
import io
import itertools
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.core import clock
from app.core.audit import AuditEvent
from app.core.validation import formula_safe
from app.selfreferral.models import OUTCOMES, Referral
from app.selfreferral.reports import charts, figures

URL = "/spa/reports/"
CSV_URL = "/spa/reports/referrals.csv"
RANGE = {"from": "2025-01-06", "to": "2025-02-02"}  # four whole ISO weeks (2025-W02 to W05), all GMT
_seq = itertools.count(1)

# Signing in is audited too: these tests look at the reports' own events.
REPORT_EVENTS = select(AuditEvent).where(AuditEvent.action.in_(("report_view", "report_export")))


def _referral(db, *, created, route="self", hood="", needs=(), ethnicity=None, first_contact=None, closed=None,
              status="new", outcome="", **answers):
    n = next(_seq)
    referral = Referral(reference=f"HG-T{n:03d}", journey_token=f"report-test-{n}", route=route,
                        neighbourhood_code=hood, needs=list(needs), status=status, outcome=outcome,
                        created_at=created, first_contact_at=first_contact, closed_at=closed)
    referral.answers = {"full_name": "Secret Person", **({"ethnicity": ethnicity} if ethnicity else {}), **answers}
    db.session.add(referral)
    db.session.commit()
    return referral


@pytest.fixture
def known(db):
    """3 referred themselves and 1 worker referral in the range, and one outside it.

    Days to first contact: 1, 2 and 10 -> median 2, 90th percentile 2 + 0.8 * (10 - 2) = 8.4.
    Stated ethnic groups: 1 Asian, 1 White (50% each); 1 preferred not to say; 1 not answered.
    """
    _referral(db, created=datetime(2025, 1, 6, 12), hood="kentish-town", needs=["talk", "money"],
              ethnicity="asian-bangladeshi", first_contact=datetime(2025, 1, 7, 12), closed=datetime(2025, 1, 20, 9),
              status="closed", outcome="supported")
    _referral(db, created=datetime(2025, 1, 8, 12), hood="north-west", needs=["talk"], ethnicity="white-british",
              first_contact=datetime(2025, 1, 10, 12), closed=datetime(2025, 1, 21, 9), status="closed",
              outcome="declined")
    _referral(db, created=datetime(2025, 1, 15, 12), hood="", needs=["housing-advice"], ethnicity="prefer_not",
              first_contact=datetime(2025, 1, 25, 12), status="contacted")
    _referral(db, created=datetime(2025, 1, 29, 12), route="worker", hood="=1+1", needs=[])
    _referral(db, created=datetime(2025, 2, 3, 0, 30), ethnicity="black-african")  # the day after the range


class Tables(HTMLParser):
    """Each <table id=...> as rows of cell texts."""

    def __init__(self, html):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id") or f"table-{len(self.tables)}", [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _rows(html, table_id):
    return {row[0]: row[1:] for row in Tables(html).tables[table_id][1:]}


def _sign_in_spa(build, login):
    user = build.user("spa")
    login(user)
    return user


# --- Who may see it -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("role", ["provider", "manager", "translator", "admin", "partner"])
@pytest.mark.parametrize("url", [URL, CSV_URL])
def test_other_roles_are_forbidden(client, build, login, role, url, db):
    login(build.user(role))
    assert client.get(url).status_code == 403
    assert db.session.execute(REPORT_EVENTS).first() is None


def test_the_spa_team_can_see_the_reports(client, build, login):
    _sign_in_spa(build, login)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Referral reports" in response.get_data(as_text=True)


# --- The numbers --------------------------------------------------------------------------------------------------

def test_numbers_on_a_known_data_set(client, build, login, known):
    _sign_in_spa(build, login)
    body = client.get(URL, query_string=RANGE).get_data(as_text=True)
    assert "4 referrals were made from 6 January 2025 to 2 February 2025." in body
    assert "Secret Person" not in body

    weeks = _rows(body, "table-weeks")
    assert weeks == {"6 January 2025": ["2", "0", "0", "2"], "13 January 2025": ["1", "0", "0", "1"],
                     "20 January 2025": ["0", "0", "0", "0"], "27 January 2025": ["0", "0", "1", "1"]}
    assert _rows(body, "table-routes") == {"Referred themselves": ["3"],
                                           "Someone helping them, with their agreement": ["0"],
                                           "A worker from a community organisation": ["1"]}
    assert _rows(body, "table-neighbourhoods") == {"North-West": ["1"], "Kentish Town": ["1"], "South": ["0"],
                                                   "=1+1": ["1"], "Not known or no fixed address": ["1"]}
    needs = _rows(body, "table-needs")
    assert needs["Someone to talk to"] == ["2"] and needs["Money"] == ["1"] and needs["Housing"] == ["1"]
    assert needs["Food"] == ["0"] and needs["No need selected"] == ["1"]
    assert list(needs)[0] == "Someone to talk to"  # most asked for first

    ethnicity = _rows(body, "table-ethnicity")
    assert ethnicity["Asian or Asian British"] == ["1", "50.0%", "16.1%", "+33.9"]
    assert ethnicity["White"] == ["1", "50.0%", "59.5%", "-9.5"]
    assert ethnicity["Black, Black British, Caribbean or African"] == ["0", "0.0%", "9.0%", "-9.0"]
    assert ethnicity["Mixed or multiple ethnic groups"] == ["0", "0.0%", "5.6%", "-5.6"]
    assert ethnicity["Other ethnic group"] == ["0", "0.0%", "9.8%", "-9.8"]
    assert ethnicity["Preferred not to say"][0] == "1" and ethnicity["Not answered"][0] == "1"

    times = _rows(body, "table-times")
    assert times["Days from referral to first contact"] == ["3", "2.0", "8.4"]
    assert times["Days waited so far, still open and not yet contacted"][0] == "1"

    outcomes = _rows(body, "table-outcomes")
    assert len(outcomes) == len(OUTCOMES) + 1
    assert outcomes["Supported by the team"] == ["1"] and outcomes["Declined support"] == ["1"]
    assert outcomes["Could not make contact"] == ["0"] and outcomes["Signposted to other support"] == ["0"]
    assert outcomes["Referred on to another service"] == ["0"]
    assert outcomes["Not appropriate for this service"] == ["0"] and outcomes["No outcome recorded"] == ["0"]


def test_aggregates_are_pure_and_checkable_by_hand():
    day = date(2025, 1, 6)

    def row(created, **kw):
        return figures.ReportRow(created_on=created.date(), created_at=created, **kw)

    rows = [row(datetime(2025, 1, 6, 12), first_contact_at=datetime(2025, 1, 7, 12)),
            row(datetime(2025, 1, 7, 12), first_contact_at=datetime(2025, 1, 9, 12)),
            row(datetime(2025, 1, 8, 12), first_contact_at=datetime(2025, 1, 18, 12)),
            row(datetime(2025, 1, 10, 12)), row(datetime(2025, 1, 16, 12)),
            row(datetime(2025, 1, 2, 12), status="closed", outcome="could_not_contact")]
    times = figures.contact_times(rows, now=datetime(2025, 1, 20, 12))
    assert times["first_contact"] == {"count": 3, "median": 2.0, "p90": 8.4}
    # Waiting 10 and 4 days: median 7, 90th percentile 4 + 0.9 * 6 = 9.4. The closed one is not waiting.
    assert times["waiting"] == {"count": 2, "median": 7.0, "p90": 9.4}
    assert figures.percentile([], 50) is None and figures.percentile([5], 90) == 5
    assert figures.percentile([1, 2, 3, 4], 50) == 2.5
    counted = {item["code"]: item["count"] for item in figures.outcomes(rows)}
    assert counted == {**{code: 0 for code in OUTCOMES}, "could_not_contact": 1, "not_recorded": 0}
    weeks = figures.weekly_by_route(rows, figures.DateRange(day, date(2025, 1, 15)))
    assert [(w["monday"], w["total"], w["partial"]) for w in weeks] == [
        (date(2025, 1, 6), 4, False), (date(2025, 1, 13), 0, True)]


def test_ethnic_groups_come_from_the_code_prefix():
    assert figures.ethnic_group("asian-bangladeshi") == "asian"
    assert figures.ethnic_group("mixed-white-black-african") == "mixed"
    assert figures.ethnic_group("other-arab") == "other"
    assert figures.ethnic_group("prefer_not") == "prefer_not"
    assert figures.ethnic_group(None) is None and figures.ethnic_group("martian") is None
    result = figures.by_ethnicity([], {"asian": 16.1})
    assert result["stated"] == 0
    assert result["groups"][0]["percent"] is None and result["groups"][0]["difference"] is None


# --- The date range -----------------------------------------------------------------------------------------------

def test_the_default_range_is_the_last_twelve_iso_weeks(app):
    with app.test_request_context():
        chosen = figures.parse_range({}, date(2025, 3, 5))  # a Wednesday
    assert (chosen.start, chosen.end, chosen.errors) == (date(2024, 12, 16), date(2025, 3, 5), {})
    assert chosen.start.weekday() == 0 and (date(2025, 3, 3) - chosen.start).days == 11 * 7


@pytest.mark.parametrize("args, field", [
    ({"from": "yesterday"}, "from"),
    ({"from": "2025-02-30"}, "from"),
    ({"to": "31/01/2025"}, "to"),
    ({"from": "2025-03-01", "to": "2025-01-01"}, "from"),
    ({"from": "1999-01-01", "to": "2025-01-01"}, "to"),
    ({"from": "0001-01-01", "to": "9999-12-31"}, "from"),
])
def test_invalid_dates_are_explained_not_fatal(client, build, login, args, field, db):
    _sign_in_spa(build, login)
    response = client.get(URL, query_string=args)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and f'href="#{field}"' in body and f'id="{field}-error"' in body
    assert "The report below shows the last 12 weeks instead." in body
    event = db.session.execute(REPORT_EVENTS).scalar_one()
    default = figures.default_range(clock.local_today())
    assert event.detail == f"{default.start.isoformat()}..{default.end.isoformat()}"


def test_an_invalid_range_is_not_downloaded(client, build, login, db):
    _sign_in_spa(build, login)
    response = client.get(CSV_URL, query_string={"from": "nonsense"})
    assert response.status_code == 302 and response.headers["Location"].startswith(URL)
    assert db.session.execute(REPORT_EVENTS).first() is None


def test_the_date_form(client, build, login):
    _sign_in_spa(build, login)
    body = client.get(URL, query_string=RANGE).get_data(as_text=True)
    assert '<form method="get"' in body
    assert re.search(r'<label class="govuk-label" for="from">From</label>', body)
    assert re.search(r'<input[^>]+id="from" name="from" type="date"\s+value="2025-01-06"', body)
    assert re.search(r'<input[^>]+id="to" name="to" type="date"\s+value="2025-02-02"', body)
    assert "Show report" in body
    assert 'href="/spa/reports/referrals.csv?from=2025-01-06&amp;to=2025-02-02"' in body


# --- CSV --------------------------------------------------------------------------------------------------------

def test_csv_download(client, build, login, known, db):
    user = _sign_in_spa(build, login)
    response = client.get(CSV_URL, query_string=RANGE)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="referrals-2025-01-06-to-2025-02-02.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and "Secret Person" not in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    titles = [rows[0][0]] + [rows[i + 1][0] for i, r in enumerate(rows[:-1]) if r == []]
    assert titles == ["Date range", "Referrals each week", "Referrals by who made them", "Referrals by neighbourhood",
                      "Referrals by what would help", "Ethnic group", "Time to first contact",
                      "Outcomes of closed referrals"]
    assert ["2025-01-06", "2025-02-02", "4"] in rows
    assert ["2025-W02", "2025-01-06", "2", "0", "0", "2"] in rows
    assert ["'=1+1", "1"] in rows and ["=1+1", "1"] not in rows  # no formula reaches a spreadsheet
    assert ["Asian or Asian British", "1", "50.0", "16.1", "33.9"] in rows
    assert ["White", "1", "50.0", "59.5", "-9.5"] in rows
    assert ["Days from referral to first contact", "3", "2.0", "8.4"] in rows
    for label in ("Supported by the team", "Declined support", "Could not make contact",
                  "Not appropriate for this service"):
        assert any(row and row[0] == label for row in rows)
    event = db.session.execute(REPORT_EVENTS).scalar_one()
    assert (event.action, event.user_id, event.detail) == ("report_export", user.id, "2025-01-06..2025-02-02")


@pytest.mark.parametrize("value, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Kentish Town", "Kentish Town"), (3, 3), (-9.5, -9.5), (None, ""),
])
def test_csv_cells_cannot_be_formulas(value, expected):
    assert formula_safe(value) == expected


# --- Audit --------------------------------------------------------------------------------------------------------

def test_every_view_is_audited_without_personal_data(client, build, login, known, db):
    user = _sign_in_spa(build, login)
    client.get(URL, query_string=RANGE)
    client.get(URL, query_string=RANGE)
    events = db.session.execute(REPORT_EVENTS.order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.user_id, e.detail, e.referral_id) for e in events] == \
        [("report_view", user.id, "2025-01-06..2025-02-02", None)] * 2


# --- Charts -------------------------------------------------------------------------------------------------------

def test_charts_are_inline_svg_with_the_figures_in_tables(client, build, login, known):
    _sign_in_spa(build, login)
    body = client.get(URL, query_string=RANGE).get_data(as_text=True)
    charts = re.findall(r"<svg[^>]*class=\"hg-bar-chart\"[^>]*>", body)
    assert len(charts) == 6
    for chart in charts:
        assert 'role="img"' in chart and 'aria-label="' in chart and 'direction="ltr"' in chart
    assert body.count("<title id=\"chart-") == 6
    assert 'aria-label="Referrals by neighbourhood. The same figures are in the table that follows."' in body
    assert 'fill="#1d70b8"' in body and 'fill="#0b0c0c"' in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert body.count('class="govuk-table"') >= 7
    neighbourhoods = body.split('id="chart-neighbourhoods-title"', 1)[1].split("</svg>", 1)[0]
    assert ">Kentish Town</text>" in neighbourhoods and ">Not known or no fixed address</text>" in neighbourhoods


def test_charts_read_right_to_left_in_arabic(client, build, login, known):
    _sign_in_spa(build, login)
    body = client.get(URL, query_string={**RANGE, "lang": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in body
    charts = re.findall(r"<svg[^>]*class=\"hg-bar-chart\"[^>]*>", body)
    assert charts and all('direction="rtl"' in chart for chart in charts)


def test_bar_geometry_mirrors_for_right_to_left():
    rows = [{"label": "A", "bars": [{"value": 4, "text": "4"}]}, {"label": "B", "bars": [{"value": 0, "text": "0"}]}]
    ltr = charts.bar_chart("T", rows)
    rtl = charts.bar_chart("T", rows, rtl=True)
    a_ltr, a_rtl = ltr["items"][0]["bars"][0], rtl["items"][0]["bars"][0]
    assert a_ltr["x"] == 0 and a_ltr["width"] == charts.CHART_WIDTH - charts.VALUE_ROOM
    assert a_rtl["x"] + a_rtl["width"] == charts.CHART_WIDTH and a_rtl["width"] == a_ltr["width"]
    assert ltr["items"][0]["label"]["x"] == 0 and rtl["items"][0]["label"]["x"] == charts.CHART_WIDTH
    assert a_ltr["text_x"] == a_ltr["width"] + 6 and a_rtl["text_x"] == a_rtl["x"] - 6
    assert ltr["items"][1]["bars"][0]["width"] == 0
