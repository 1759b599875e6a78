"""Open now, with a frozen clock: across midnight, 24-hour services, weekends and one-off events."""
from datetime import date, datetime, time

import pytest
from werkzeug.datastructures import MultiDict

from app.directory import opening
from app.directory.models import Schedule
from app.directory.search import SearchRequest, search_services


def weekly(day, opens, closes):
    return Schedule(kind="weekly", weekday=day, opens_at=time(*opens), closes_at=time(*closes))


def event(day, opens, closes):
    return Schedule(kind="event", event_date=day, opens_at=time(*opens), closes_at=time(*closes))


# 2026-11-27 is a Friday.
FRI = date(2026, 11, 27)


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 11, 27, 9, 59), False),
    (datetime(2026, 11, 27, 10, 0), True),
    (datetime(2026, 11, 27, 11, 59), True),
    (datetime(2026, 11, 27, 12, 0), False),   # closing time is not open
    (datetime(2026, 11, 20, 10, 30), True),   # any Friday
    (datetime(2026, 11, 28, 10, 30), False),  # Saturday
])
def test_simple_weekly_session(now, expected):
    assert opening.is_open([weekly(4, (10, 0), (12, 0))], now) is expected


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 11, 27, 21, 59), False),
    (datetime(2026, 11, 27, 23, 30), True),
    (datetime(2026, 11, 28, 0, 0), True),     # Saturday, just after midnight: still Friday's session
    (datetime(2026, 11, 28, 1, 55), True),
    (datetime(2026, 11, 28, 2, 0), False),
    (datetime(2026, 11, 27, 1, 0), False),    # Friday early morning belongs to Thursday, which has no session
])
def test_session_past_midnight(now, expected):
    assert opening.is_open([weekly(4, (22, 0), (2, 0))], now) is expected


def test_sunday_night_session_wraps_to_monday():
    sunday_night = [weekly(6, (20, 0), (1, 0))]
    assert opening.is_open(sunday_night, datetime(2026, 11, 30, 0, 30))  # Monday 00:30
    assert not opening.is_open(sunday_night, datetime(2026, 11, 30, 1, 0))
    tokens = opening.weekly_tokens(sunday_night)
    assert opening.now_tokens(datetime(2026, 11, 30, 0, 30))[0] in tokens


def test_24_hour_service_is_always_open_and_the_label_says_until_midnight():
    every_day = [weekly(d, (0, 0), (0, 0)) for d in range(7)]
    for hour in (0, 3, 12, 23):
        assert opening.is_open(every_day, datetime(2026, 11, 29, hour, 59))
    assert len(opening.weekly_tokens(every_day)) == 7 * opening.SLOTS_PER_DAY


def test_one_off_event_is_open_only_on_its_date():
    open_day = [event(FRI, (14, 0), (16, 0))]
    assert opening.is_open(open_day, datetime(2026, 11, 27, 15, 0))
    assert not opening.is_open(open_day, datetime(2026, 12, 4, 15, 0))
    assert opening.now_tokens(datetime(2026, 11, 27, 15, 0))[1] in opening.event_tokens(open_day)


def test_next_opening_is_reported():
    schedules = [weekly(1, (10, 0), (12, 0)), event(date(2026, 11, 28), (9, 0), (10, 0))]
    st = opening.status(schedules, datetime(2026, 11, 27, 18, 0))  # Friday evening
    assert not st["open"] and st["next"] == datetime(2026, 11, 28, 9, 0)
    st = opening.status(schedules, datetime(2026, 11, 28, 11, 0))
    assert st["next"] == datetime(2026, 12, 1, 10, 0)  # the following Tuesday


def test_expired_weekly_session_does_not_count():
    old = weekly(4, (10, 0), (12, 0))
    old.valid_to = date(2026, 1, 1)
    assert not opening.is_open([old], datetime(2026, 11, 27, 11, 0))


def test_open_now_filter_and_labels_in_search(app, client, build, frozen_clock):
    now = frozen_clock(datetime(2026, 11, 28, 0, 30))  # Saturday 00:30 (GMT, so UTC is local time)
    build.service(name="Night cafe", weekly=[(4, "22:00", "02:00")])
    build.service(name="Crisis line", weekly=[(d, "00:00", "00:00") for d in range(7)])
    build.service(name="Tuesday group", weekly=[(1, "10:00", "12:00")])
    build.service(name="Saturday open day", events=[(date(2026, 11, 28), "00:00", "01:00", "Late opening")])
    req = SearchRequest.from_args(MultiDict({"open": "now"}))
    names = sorted(s.name for s, _ in search_services(req, now=now).items)
    assert names == ["Crisis line", "Night cafe", "Saturday open day"]
    body = client.get("/search?q=").get_data(as_text=True)
    assert "Open now (3)" in body
    assert "Opens Tuesday 10:00" in body
    assert "closes at 02:00" in body
    assert "Open 24 hours" in body and "until midnight" not in body  # the crisis line runs all day, every day
