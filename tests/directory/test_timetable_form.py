"""The "Where and when" step: any number of rows without JavaScript, GOV.UK date inputs, a specific message for
each mistake with an error summary at the top, and the manager seeing the timetable change in words."""
import re
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.directory.models import Revision, SchoolHoliday

NOW = datetime(2026, 12, 1, 10, 0)  # Tuesday 1 December 2026


@pytest.fixture
def setup(build, frozen_clock):
    frozen_clock(NOW)
    org = build.organisation(name="Fairfield Hall", slug="fairfield")
    service = build.service(organisation=org, name="Tuesday lunch club", weekly=[(1, "12:00", "14:00")],
                            events=[(date(2026, 11, 3), "10:00", "12:00", "Last month's open day")])
    provider = build.user("provider", organisations=[org])
    manager = build.user("manager")
    return {"org": org, "service": service, "provider": provider, "manager": manager}


def _where(service, **rows):
    data = {"formats": ["in_person"], "locations": [str(service.locations[0].id)]}
    data.update(rows)
    return data


def _post(client, service, data):
    return client.post(f"/provider/services/{service.slug}/edit/where", data=data)


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


MISTAKES = [
    ({"sessions-0-weekday": "2"}, "sessions-0-opens_at", "Enter a start and end time, or choose ‘Open all day’"),
    ({"sessions-0-weekday": "2", "sessions-0-opens_at": "10:00", "sessions-0-closes_at": "10:00"},
     "sessions-0-closes_at", "The end time must be different from the start time"),
    ({"sessions-0-opens_at": "10:00", "sessions-0-closes_at": "12:00"}, "sessions-0-weekday",
     "Choose the day of the session"),
    ({"sessions-0-weekday": "2", "sessions-0-how_often": "fortnightly", "sessions-0-opens_at": "10:00",
      "sessions-0-closes_at": "12:00"}, "sessions-0-starts_day", "Enter the date of one session"),
    ({"sessions-0-weekday": "2", "sessions-0-opens_at": "10:00", "sessions-0-closes_at": "12:00",
      "sessions-0-starts_day": "45", "sessions-0-starts_month": "13", "sessions-0-starts_year": "2026"},
     "sessions-0-starts_day", "Enter a real date, like 24 12 2026"),
    ({"events-0-event_day": "45", "events-0-event_month": "13", "events-0-event_year": "2026",
      "events-0-title": "Open day", "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"},
     "events-0-event_day", "Enter a real date"),
    ({"events-0-event_day": "30", "events-0-event_month": "2", "events-0-event_year": "2027",
      "events-0-title": "Open day", "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"},
     "events-0-event_day", "Enter a real date"),
    ({"events-0-event_day": "12", "events-0-event_month": "", "events-0-event_year": "2027",
      "events-0-title": "Open day", "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"},
     "events-0-event_day", "Enter a day, month and year"),
    ({"events-0-event_day": "30", "events-0-event_month": "11", "events-0-event_year": "2026",
      "events-0-title": "Open day", "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"},
     "events-0-event_day", "The date of the event must be today or in the future"),
    ({"events-0-event_day": "21", "events-0-event_month": "3", "events-0-event_year": "2027",
      "events-0-title": "  ", "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"},
     "events-0-title", "Enter what the event is"),
    ({"events-0-event_day": "21", "events-0-event_month": "3", "events-0-event_year": "2027",
      "events-0-title": "Open day"}, "events-0-opens_at", "Enter a start and end time"),
    ({"closures-0-from_day": "2", "closures-0-from_month": "1", "closures-0-from_year": "2027",
      "closures-0-to_day": "24", "closures-0-to_month": "12", "closures-0-to_year": "2026"},
     "closures-0-to_day", "The last day must be the same as or after the first day"),
    ({"closures-0-to_day": "24", "closures-0-to_month": "12", "closures-0-to_year": "2026"},
     "closures-0-from_day", "Enter the first day it is not running"),
    ({"sessions-0-weekday": "2", "sessions-0-opens_at": "25:00", "sessions-0-closes_at": "12:00"},
     "sessions-0-opens_at", "Enter a time on the 24-hour clock"),
]


@pytest.mark.parametrize("rows, field_id, message", MISTAKES)
def test_each_mistake_has_its_message_by_the_field_and_in_the_error_summary(client, login, setup, db, rows,
                                                                           field_id, message):
    login(setup["provider"])
    response = _post(client, setup["service"], _where(setup["service"], **rows))
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.title.get_text().strip().startswith("Error:")
    summary = soup.select_one(".govuk-error-summary")
    assert summary is not None and message in summary.get_text()
    assert summary.select_one(f'a[href="#{field_id}"]') is not None
    assert soup.find(id=field_id) is not None  # the link goes somewhere
    # the summary comes before the form, and the message sits by its field
    assert str(soup).index("govuk-error-summary") < str(soup).index("<h1")
    group = soup.find(id=field_id).find_parent(class_="govuk-form-group--error")
    assert group is not None and message in group.get_text()
    for name, value in rows.items():  # what was typed is kept
        field = soup.find(attrs={"name": name})
        if field is not None and field.name == "input" and value.strip():
            assert field["value"] == value
    assert db.session.execute(select(Revision).where(Revision.kind == "edit")).first() is None


def test_add_another_and_remove_work_without_javascript_and_keep_what_was_typed(client, login, setup, db):
    login(setup["provider"])
    service = setup["service"]
    page = BeautifulSoup(client.get(f"/provider/services/{service.slug}/edit/where").get_data(as_text=True),
                         "html.parser")
    assert page.select_one("#sessions-0-weekday option[selected]")["value"] == "1"
    assert page.find(id="sessions-1-weekday") is None and page.find(id="events-0-title") is None  # past event
    typed = _where(service, **{"sessions-0-weekday": "1", "sessions-0-opens_at": "12:00",
                               "sessions-0-closes_at": "14:00", "sessions-0-note": "Bring a friend"})
    response = _post(client, service, {**typed, "add": "sessions"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(id="sessions-0-note")["value"] == "Bring a friend"
    assert soup.find(id="sessions-1-weekday") is not None and not soup.select(".govuk-error-summary")
    assert "Error:" not in soup.title.get_text()
    response = _post(client, service, {**typed, "sessions-1-weekday": "3", "sessions-1-how_often": "monthly",
                                       "sessions-1-week_of_month": "-1", "add": "closures"})
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.select_one("#sessions-1-week_of_month option[selected]")["value"] == "-1"
    assert soup.find(id="closures-0-from_day") is not None
    response = _post(client, service, {**typed, "sessions-1-weekday": "3", "remove": "sessions-0"})
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.find(id="sessions-0-weekday") is None
    assert soup.select_one("#sessions-1-weekday option[selected]")["value"] == "3"
    # nothing was saved by any of these
    assert db.session.execute(select(Revision).where(Revision.kind == "edit")).first() is None


def test_a_richer_timetable_goes_to_the_manager_in_words_and_goes_live(client, login, setup, db):
    service = setup["service"]
    login(setup["provider"])
    response = _post(client, service, _where(service, **{
        "sessions-0-weekday": "1", "sessions-0-how_often": "monthly", "sessions-0-week_of_month": "1",
        "sessions-0-opens_at": "10:00", "sessions-0-closes_at": "12:00",
        "sessions-1-weekday": "2", "sessions-1-how_often": "fortnightly", "sessions-1-opens_at": "14:00",
        "sessions-1-closes_at": "16:00", "sessions-1-starts_day": "9", "sessions-1-starts_month": "12",
        "sessions-1-starts_year": "2026",
        "sessions-2-weekday": "4", "sessions-2-all_day": "y", "sessions-2-term_time": "y",
        "sessions-3-weekday": "",  # a spare row
        "events-0-event_day": "21", "events-0-event_month": "3", "events-0-event_year": "2027",
        "events-0-title": "Open day", "events-0-opens_at": "10:00", "events-0-closes_at": "13:00",
        "closures-0-from_day": "24", "closures-0-from_month": "12", "closures-0-from_year": "2026",
        "closures-0-to_day": "2", "closures-0-to_month": "1", "closures-0-to_year": "2027"}))
    assert response.status_code == 302
    change = db.session.execute(select(Revision).where(Revision.status == "pending")).scalar_one()
    client.post("/sign-out")
    login(setup["manager"])
    review = _text(client.get(f"/manage/changes/{change.id}").get_data(as_text=True))
    assert "First Tuesday of the month" in review and "Every other Wednesday" in review
    assert "Every Friday, All day, Term time only" in review and "Open day" in review
    assert "Not running 24 December 2026 to 2 January 2027" in review and "Holiday closures" in review
    response = client.post(f"/manage/changes/{change.id}/approve", data={})
    assert response.status_code in (302, 303)
    db.session.refresh(service)
    rules = sorted((s.kind, s.weekday, s.freq, s.interval, s.week_of_month, s.term_time_only)
                   for s in service.schedules)
    assert ("weekly", 1, "MONTHLY", 1, 1, False) in rules and ("weekly", 2, "WEEKLY", 2, None, False) in rules
    assert ("weekly", 4, "WEEKLY", 1, None, True) in rules
    # the event that was over stays in the listing's record; the new one joins it
    assert sorted(s.title for s in service.schedules if s.kind == "event") == ["Last month's open day", "Open day"]
    assert [(c.starts_on, c.ends_on) for c in service.closures] == [(date(2026, 12, 24), date(2027, 1, 2))]
    public = _text(client.get(f"/services/{service.slug}").get_data(as_text=True))
    assert "First Tuesday of the month" in public and "Not running 24 December 2026 to 2 January 2027" in public
    # and the history shows the timetable change readably
    history = _text(client.get(f"/manage/services/{service.slug}/history").get_data(as_text=True))
    assert "Every other Wednesday" in history


def test_school_holidays_are_kept_by_managers(client, login, setup, db):
    login(setup["provider"])
    assert client.get("/manage/school-holidays").status_code in (302, 403)
    client.post("/sign-out")
    login(setup["manager"])
    page = client.get("/manage/school-holidays")
    assert page.status_code == 200 and "Add the London 2026 to 2027 school holidays" in page.get_data(as_text=True)
    response = client.post("/manage/school-holidays", data={
        "name": "Spring half term", "from_day": "15", "from_month": "2", "from_year": "2027",
        "to_day": "31", "to_month": "2", "to_year": "2027"})
    assert response.status_code == 400
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.title.get_text().strip().startswith("Error:")
    assert soup.select_one('.govuk-error-summary a[href="#to_day"]').get_text().startswith("Enter a real date")
    assert soup.find(id="name")["value"] == "Spring half term"
    response = client.post("/manage/school-holidays", data={
        "name": "Spring half term", "from_day": "15", "from_month": "2", "from_year": "2027",
        "to_day": "19", "to_month": "2", "to_year": "2027"})
    assert response.status_code == 302
    holiday = db.session.execute(select(SchoolHoliday)).scalar_one()
    assert (holiday.starts_on, holiday.ends_on) == (date(2027, 2, 15), date(2027, 2, 19))
    assert "school_holiday_add" in db.session.execute(select(AuditEvent.action)).scalars().all()
    assert client.post(f"/manage/school-holidays/{holiday.id}/remove").status_code == 302
    assert db.session.execute(select(SchoolHoliday)).first() is None
    assert client.post("/manage/school-holidays/shipped").status_code == 302
    assert len(db.session.execute(select(SchoolHoliday)).all()) == 7


def test_the_summary_says_which_session_each_mistake_is_in(client, login, setup):
    login(setup["provider"])
    rows = {"sessions-0-weekday": "2", "sessions-1-weekday": "4", "sessions-1-opens_at": "10:00",
            "events-0-event_day": "21", "events-0-event_month": "3", "events-0-event_year": "2027",
            "events-0-title": "x" * 201, "events-0-opens_at": "10:00", "events-0-closes_at": "12:00"}
    response = _post(client, setup["service"], _where(setup["service"], **rows))
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    links = [a.get_text(strip=True) for a in soup.select(".govuk-error-summary a")]
    assert "Session 1: Enter a start and end time, or choose ‘Open all day’" in links
    assert "Session 2: Enter a start and end time, or choose ‘Open all day’" in links
    assert "Event 1: What it is must be 200 characters or fewer" in links
    # by the field itself, the row's heading already says which one
    assert "What it is must be 200 characters or fewer" in soup.find(id="events-0-title").find_parent(
        class_="govuk-form-group--error").get_text()
