"""Richer timetables: the nth (or last) weekday of the month, every other week, term time only, holiday closures,
and everyone who reads schedules honouring them (open now, What's on, the search index, the public page)."""
import re
from datetime import date, datetime, time, timedelta

import pytest

from app.directory import opening, schedules
from app.directory.models import Schedule, SchoolHoliday, ServiceClosure
from app.directory.public.whatson import week_agenda
from app.directory.search.documents import document_for

TUE, WED, FRI, SAT = 1, 2, 4, 5


def session(**values):
    values.setdefault("kind", "weekly")
    values.setdefault("freq", "WEEKLY")
    values.setdefault("interval", 1)
    values.setdefault("opens_at", time(10))
    values.setdefault("closes_at", time(12))
    return Schedule(**values)


def days_in(schedule, start, end, holidays=()):
    return [start + timedelta(days=i) for i in range((end - start).days + 1)
            if schedules.occurs_on(schedule, start + timedelta(days=i), holidays=list(holidays), closures=[])]


def test_first_tuesday_of_the_month():
    first = session(weekday=TUE, freq="MONTHLY", week_of_month=1)
    assert days_in(first, date(2026, 12, 1), date(2027, 3, 31)) == [
        date(2026, 12, 1), date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2)]


def test_last_friday_is_the_fifth_in_a_five_friday_month_and_the_fourth_otherwise():
    last = session(weekday=FRI, freq="MONTHLY", week_of_month=-1)
    # January 2027 has five Fridays (1, 8, 15, 22, 29); February four (5, 12, 19, 26)
    assert days_in(last, date(2027, 1, 1), date(2027, 2, 28)) == [date(2027, 1, 29), date(2027, 2, 26)]
    fourth = session(weekday=FRI, freq="MONTHLY", week_of_month=4)
    assert days_in(fourth, date(2027, 1, 1), date(2027, 2, 28)) == [date(2027, 1, 22), date(2027, 2, 26)]


def test_a_fifth_weekday_only_in_months_that_have_one():
    fifth = session(weekday=FRI, freq="MONTHLY", week_of_month=5)
    assert days_in(fifth, date(2027, 1, 1), date(2027, 4, 30)) == [date(2027, 1, 29), date(2027, 4, 30)]


def test_every_other_week_keeps_its_parity_from_the_first_date_and_across_a_new_year():
    fortnightly = session(weekday=WED, interval=2, starts_on=date(2026, 12, 2))
    assert days_in(fortnightly, date(2026, 11, 1), date(2027, 1, 31)) == [
        date(2026, 12, 2), date(2026, 12, 16), date(2026, 12, 30), date(2027, 1, 13), date(2027, 1, 27)]
    # the anchor need not fall on the session's day: its week decides
    assert days_in(session(weekday=WED, interval=2, starts_on=date(2026, 11, 30)),
                   date(2026, 12, 1), date(2026, 12, 20)) == [date(2026, 12, 2), date(2026, 12, 16)]


def test_summer_time_changes_nothing():
    # The clocks change on 28 March and 31 October 2027: weeks are counted in calendar days.
    fortnightly = session(weekday=TUE, interval=2, starts_on=date(2027, 3, 16))
    assert days_in(fortnightly, date(2027, 3, 15), date(2027, 4, 15)) == [
        date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 13)]
    last_sunday = session(weekday=6, freq="MONTHLY", week_of_month=-1)
    assert days_in(last_sunday, date(2027, 10, 1), date(2027, 10, 31)) == [date(2027, 10, 31)]


def test_closures_and_term_time():
    weekly = session(weekday=TUE)
    christmas = [(date(2026, 12, 24), date(2027, 1, 2))]
    assert not schedules.occurs_on(weekly, date(2026, 12, 29), holidays=[], closures=christmas)
    assert schedules.occurs_on(weekly, date(2027, 1, 5), holidays=[], closures=christmas)
    term = session(weekday=TUE, term_time_only=True)
    half_term = [(date(2027, 2, 15), date(2027, 2, 19))]
    assert days_in(term, date(2027, 2, 8), date(2027, 2, 28), holidays=half_term) == [
        date(2027, 2, 9), date(2027, 2, 23)]
    # a session that is not term time only runs in the holidays
    assert schedules.occurs_on(weekly, date(2027, 2, 16), holidays=half_term, closures=[])
    # a one-off event runs whatever the closures say
    event = Schedule(kind="event", event_date=date(2026, 12, 29), opens_at=time(10), closes_at=time(12))
    assert schedules.occurs_on(event, date(2026, 12, 29), holidays=half_term, closures=christmas)


def test_ical_says_it_the_open_referral_way(db, build):
    service = build.service(weekly=[])
    service.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=1),
                         session(weekday=FRI, freq="MONTHLY", week_of_month=-1, valid_to=date(2027, 6, 30)),
                         session(weekday=WED, interval=2, starts_on=date(2026, 12, 2), term_time_only=True),
                         Schedule(kind="event", event_date=date(2027, 3, 21), opens_at=time(10),
                                  closes_at=time(10), title="Open day")]
    service.closures = [ServiceClosure(starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2))]
    db.session.commit()
    db.session.refresh(service)
    event, first, fortnightly, last = service.schedules  # ordered by kind, then day
    assert first.ical()["byday"] == "1TU" and first.ical()["freq"] == "MONTHLY" and first.ical()["interval"] == 1
    assert last.ical()["byday"] == "-1FR" and last.ical()["until"] == "2027-06-30"
    rule = fortnightly.ical()
    assert (rule["freq"], rule["interval"], rule["byday"], rule["dtstart"]) == ("WEEKLY", 2, "WE", "2026-12-02")
    assert rule["term_time_only"] and rule["exdates"] == [["2026-12-24", "2027-01-02"]]
    assert (rule["opens_at"], rule["closes_at"]) == ("10:00", "12:00")
    assert event.ical()["freq"] is None and event.ical()["dtstart"] == "2027-03-21" and event.ical()["all_day"]
    assert event.ical()["exdates"] == []


def test_occurs_on_reads_the_school_holidays_from_the_database(app, db, build):
    service = build.service(weekly=[])
    service.schedules = [session(weekday=TUE, term_time_only=True)]
    db.session.add(SchoolHoliday(name="Spring half term", starts_on=date(2027, 2, 15), ends_on=date(2027, 2, 19)))
    db.session.commit()
    with app.test_request_context():
        assert not service.schedules[0].occurs_on(date(2027, 2, 16))
        assert service.schedules[0].occurs_on(date(2027, 2, 23))


NOW = datetime(2026, 12, 1, 10, 30)  # Tuesday 1 December 2026, the first Tuesday of the month


@pytest.fixture
def frozen(frozen_clock):
    return frozen_clock(NOW)


def test_open_now_and_the_next_session_honour_the_rules(frozen, db, build):
    first = build.service(name="Memory café", weekly=[])
    first.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=1)]
    closed = build.service(name="Closed this week", weekly=[(TUE, "10:00", "12:00")])
    closed.closures = [ServiceClosure(starts_on=date(2026, 11, 30), ends_on=date(2026, 12, 6))]
    second = build.service(name="Second Tuesday", weekly=[])
    second.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=2)]
    db.session.commit()
    assert opening.is_open(first.schedules, NOW)
    assert not opening.is_open(closed.schedules, NOW)
    assert opening.status(closed.schedules, NOW)["next"] == datetime(2026, 12, 8, 10)
    assert opening.status(second.schedules, NOW)["next"] == datetime(2026, 12, 8, 10)
    # the search index holds the dated slots of the first Tuesday, not every Tuesday
    slots = document_for(first, today=NOW.date())["open_slots"].split(",")
    assert "e20261201s126" in slots and "e20270105s126" in slots and "e20261208s126" not in slots
    assert not any(s.startswith("w") for s in slots)
    assert document_for(first, today=NOW.date())["days"] == "1"


def test_whats_on_shows_each_session_on_the_days_it_runs(frozen, db, build):
    monthly = build.service(name="First Tuesday lunch", weekly=[])
    monthly.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=1)]
    fortnightly = build.service(name="Fortnightly walk", weekly=[])
    fortnightly.schedules = [session(weekday=WED, interval=2, starts_on=date(2026, 12, 9))]
    term = build.service(name="Homework club", weekly=[])
    term.schedules = [session(weekday=SAT, term_time_only=True)]
    db.session.add(SchoolHoliday(name="Christmas", starts_on=date(2026, 12, 19), ends_on=date(2027, 1, 3)))
    db.session.commit()
    seen = {}
    for week in range(3):
        for day in week_agenda(NOW.date() + timedelta(days=7 * week)):
            for item in day.items:
                seen.setdefault(item.service.name, []).append(day.date)
    assert seen["First Tuesday lunch"] == [date(2026, 12, 1)]
    assert seen["Fortnightly walk"] == [date(2026, 12, 9)]  # not 2 December (before it starts), not the 16th
    assert seen["Homework club"] == [date(2026, 12, 5), date(2026, 12, 12)]  # not the 19th: school holidays


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_public_page_says_it_in_words_and_in_arabic(frozen, client, db, build):
    service = build.service(name="Memory café", weekly=[])
    service.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=1),
                         session(weekday=WED, interval=2, starts_on=date(2026, 12, 9)),
                         session(weekday=FRI, freq="MONTHLY", week_of_month=-1, term_time_only=True)]
    service.schedules.append(Schedule(kind="event", event_date=date(2026, 12, 12), opens_at=time(0),
                                      closes_at=time(0), title="Winter fair"))
    service.closures = [ServiceClosure(starts_on=date(2026, 12, 24), ends_on=date(2027, 1, 2)),
                        ServiceClosure(starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 2))]  # over
    db.session.commit()
    page = _text(client.get(f"/services/{service.slug}").get_data(as_text=True))
    assert "First Tuesday of the month" in page and "Every other Wednesday" in page
    assert "Last Friday of the month" in page and "Term time only" in page
    assert "Saturday 12 December All day Winter fair" in page
    assert "Next: Tuesday 1 December" in page and "Next: Wednesday 9 December" in page  # which weeks
    assert "Not running 24 December 2026 to 2 January 2027" in page and "January 2026" not in page
    html = client.get(f"/services/{service.slug}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html
    assert re.search(r"<bdi>[^<]*2026</bdi>", html)  # the closure's dates are isolated


def test_a_start_date_is_shown_as_a_date_not_as_tags_in_every_language(frozen, client, db, build):
    service = build.service(name="Fortnightly walk", weekly=[])
    service.schedules = [session(weekday=WED, interval=2, starts_on=date(2026, 12, 9))]
    db.session.commit()
    for lang in ("en", "ar"):
        html = client.get(f"/services/{service.slug}?lang={lang}").get_data(as_text=True)
        assert "&lt;bdi" not in html and "&amp;lt;" not in html
        assert re.search(r"<bdi>[^<]*2026</bdi>", html)
    assert "From 9 December 2026" in _text(client.get(f"/services/{service.slug}?lang=en").get_data(as_text=True))


def test_a_session_over_for_today_is_next_on_its_next_date(frozen_clock, client, db, build):
    frozen_clock(datetime(2026, 12, 1, 20, 6))  # the first Tuesday's 10:00-12:00 session has finished
    service = build.service(name="Memory café", weekly=[])
    service.schedules = [session(weekday=TUE, freq="MONTHLY", week_of_month=1)]
    db.session.commit()
    page = _text(client.get(f"/services/{service.slug}").get_data(as_text=True))
    assert "Next: Tuesday 5 January" in page and "Next: Tuesday 1 December" not in page
    frozen_clock(datetime(2026, 12, 1, 11, 0))  # still on: today is the next
    assert "Next: Tuesday 1 December" in _text(client.get(f"/services/{service.slug}").get_data(as_text=True))


def test_whats_on_shows_a_listings_approved_translation(frozen, client, db, build):
    from app.directory.models import ServiceTranslation
    service = build.service(name="Thursday community lunch", weekly=[(TUE, "10:00", "12:00")])
    service.translations.append(ServiceTranslation(language="ar", name="غداء الخميس المجتمعي",
                                                   description="غداء ساخن"))
    db.session.commit()
    arabic = client.get("/whats-on/?lang=ar").get_data(as_text=True)
    assert "غداء الخميس المجتمعي" in arabic and 'lang="ar"' in arabic
    english = client.get("/whats-on/?lang=en").get_data(as_text=True)
    assert "Thursday community lunch" in english
