"""The single point of access's reporting page: who may see it, the numbers on a small known data set, the
date range, the CSV download, the audit trail and the accessible charts."""
import csv
import io
import itertools
import re
import zipfile
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
CSV_URL = "/spa/reports/export.csv"
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

F = "fewer than 5"


def test_small_numbers_on_a_known_data_set_are_hidden(client, build, login, known):
    """Every count in the small data set is 1 to 4, so the page shows none of them (zeros stay)."""
    _sign_in_spa(build, login)
    body = client.get(URL, query_string=RANGE).get_data(as_text=True)
    assert "Fewer than 5 referrals were made from 6 January 2025 to 2 February 2025." in body
    assert "Secret Person" not in body

    weeks = _rows(body, "table-weeks")
    assert weeks == {"6 January 2025": [F, "0", "0", F], "13 January 2025": [F, "0", "0", F],
                     "20 January 2025": ["0", "0", "0", "0"], "27 January 2025": ["0", "0", F, F]}
    assert _rows(body, "table-routes") == {"Referred themselves": [F],
                                           "Someone helping them, with their agreement": ["0"],
                                           "A worker from a community organisation": [F]}
    assert _rows(body, "table-neighbourhoods") == {"North-West": [F], "Kentish Town": [F], "South": ["0"],
                                                   "=1+1": [F], "Not known or no fixed address": [F]}
    needs = _rows(body, "table-needs")
    assert needs["Someone to talk to"] == [F] and needs["Food"] == ["0"] and needs["No need selected"] == [F]
    assert list(needs)[0] == "Someone to talk to"  # most asked for first

    ethnicity = _rows(body, "table-ethnicity")
    assert ethnicity["Asian or Asian British"] == [F, F, "16.1%", F]  # its percentage would give it away
    assert ethnicity["Black, Black British, Caribbean or African"] == ["0", "0.0%", "9.0%", "-9.0"]
    assert ethnicity["Preferred not to say"][0] == F and ethnicity["Not answered"][0] == F
    detail = _rows(body, "table-ethnicity-detail")
    assert detail["Bangladeshi"] == [F, F] and detail["Chinese"] == ["0", "0.0%"]
    assert detail["English, Welsh, Scottish, Northern Irish or British"] == [F, F]

    times = _rows(body, "table-times")
    assert times["Days from referral to first contact"] == [F, F, F]
    assert times["Days waited so far, still open and not yet contacted"][0] == F

    outcomes = _rows(body, "table-outcomes")
    assert len(outcomes) == len(OUTCOMES) + 1
    assert outcomes["Supported by the team"] == [F] and outcomes["Declined support"] == [F]
    assert outcomes["Could not make contact"] == ["0"] and outcomes["No outcome recorded"] == ["0"]
    for chart in ("routes", "outcomes"):
        svg = body.split(f'id="chart-{chart}-title"', 1)[1].split("</svg>", 1)[0]
        assert f">{F}</text>" in svg and ">1</text>" not in svg


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
    assert 'href="/spa/reports/export.csv?table=weeks&amp;from=2025-01-06&amp;to=2025-02-02"' in body
    assert 'href="/spa/reports/export.zip?from=2025-01-06&amp;to=2025-02-02"' in body


# --- CSV --------------------------------------------------------------------------------------------------------

def _csv(response):
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for Excel
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF line ends only
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows and all(rows) and all(any(cell for cell in row) for row in rows)  # no blank lines
    assert all(len(row) == len(rows[0]) for row in rows)  # one header row, then rows of the same shape
    return rows


def test_each_table_downloads_as_its_own_tidy_csv(client, build, login, known, db):
    user = _sign_in_spa(build, login)
    headers = {}
    for name in ("summary", "weeks", "routes", "neighbourhoods", "needs", "ethnicity", "ethnicity-detail", "times",
                 "outcomes"):
        response = client.get(CSV_URL, query_string={**RANGE, "table": name})
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == \
            f'attachment; filename="referrals-2025-01-06-to-2025-02-02-{name}.csv"'
        assert b"Secret Person" not in response.get_data()
        rows = _csv(response)
        headers[name] = rows
    assert headers["summary"] == [["From", "To", "Referrals"], ["2025-01-06", "2025-02-02", F]]
    assert headers["weeks"][0] == ["ISO week", "Week beginning", "Referred themselves",
                                   "Someone helping them, with their agreement",
                                   "A worker from a community organisation", "Total"]
    assert ["2025-W02", "2025-01-06", F, "0", "0", F] in headers["weeks"]
    assert ["2025-W04", "2025-01-20", "0", "0", "0", "0"] in headers["weeks"]
    neighbourhoods = headers["neighbourhoods"]
    assert ["'=1+1", F] in neighbourhoods and ["=1+1", F] not in neighbourhoods  # no formula reaches a spreadsheet
    assert ["Asian or Asian British", F, F, "16.1", F] in headers["ethnicity"]
    assert ["Black, Black British, Caribbean or African", "0", "0.0", "9.0", "-9.0"] in headers["ethnicity"]
    detail = headers["ethnicity-detail"]
    assert detail[0] == ["Ethnic group", "Detailed ethnic group", "Referrals",
                         "Percentage of referrals that stated an ethnic group", "Percentage of adults in the borough"]
    assert len(detail) == 1 + 19
    assert ["Asian or Asian British", "Bangladeshi", F, F, ""] in detail
    assert ["Days from referral to first contact", F, F, F] in headers["times"]
    events = db.session.execute(REPORT_EVENTS).scalars().all()
    assert {(e.action, e.user_id, e.detail) for e in events} == {("report_export", user.id, "2025-01-06..2025-02-02")}


def test_all_tables_download_as_one_zip(client, build, login, known):
    _sign_in_spa(build, login)
    response = client.get("/spa/reports/export.zip", query_string=RANGE)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        assert len(names) == 9 and "referrals-2025-01-06-to-2025-02-02-weeks.csv" in names
        text = archive.read("referrals-2025-01-06-to-2025-02-02-routes.csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["Route", "Referrals"], ["Referred themselves", F], ["Someone helping them, with their agreement", "0"],
        ["A worker from a community organisation", F]]


@pytest.mark.parametrize("table", ["nope", "", "../etc", "=1+1"])
def test_an_unknown_table_is_not_found(client, build, login, table, db):
    _sign_in_spa(build, login)
    assert client.get(CSV_URL, query_string={**RANGE, "table": table}).status_code == 404


def test_secondary_suppression_on_the_page_and_in_the_csv(client, build, login, db):
    """13 referrals: 6 themselves, 5 helped, 2 by workers. The 2 is hidden, so the 5 is hidden too (else 13 - 6 - 5
    gives it back); the 6 and the total stay."""
    for route, count in (("self", 6), ("on_behalf", 5), ("worker", 2)):
        for _n in range(count):
            _referral(db, created=datetime(2025, 1, 7, 12), route=route, ethnicity="white-british")
    _sign_in_spa(build, login)
    body = client.get(URL, query_string=RANGE).get_data(as_text=True)
    assert "13 referrals were made" in body
    assert _rows(body, "table-routes") == {"Referred themselves": ["6"],
                                           "Someone helping them, with their agreement": [F],
                                           "A worker from a community organisation": [F]}
    assert _rows(body, "table-weeks")["6 January 2025"] == ["6", F, F, "13"]
    assert _rows(body, "table-ethnicity")["White"] == ["13", "100.0%", "59.5%", "+40.5"]
    rows = _csv(client.get(CSV_URL, query_string={**RANGE, "table": "weeks"}))
    assert ["2025-W02", "2025-01-06", "6", F, F, "13"] in rows


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
