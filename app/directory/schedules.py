"""When a recurring session runs: every week, every other week, the nth (or last) weekday of the month, in
term time only, and not on the listing's holiday closures. Along iCal lines (RRULE freq, interval, byday),
because the Open Referral UK API speaks that way.

Dates are the borough's local calendar dates: a session is on a day or not, so summer time plays no part.
"""
from datetime import date, timedelta

from flask import g, has_app_context
from sqlalchemy import select

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKLY, MONTHLY = "WEEKLY", "MONTHLY"
ORDINALS = (1, 2, 3, 4, -1)  # the week of the month a monthly session runs in; -1 is the last


def _get(schedule, name, default=None):
    """Schedules come as rows or as snapshot dicts (moderation); older snapshots lack the newer keys."""
    value = schedule.get(name, default) if isinstance(schedule, dict) else getattr(schedule, name, default)
    return default if value is None else value


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def week_of_month_matches(day, week_of_month):
    """Whether `day` is in the nth seven days of its month (1-5), or the last seven (-1)."""
    if week_of_month == -1:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == week_of_month


def _monday(day):
    return day - timedelta(days=day.weekday())


def _in_force(schedule, day, starts_on):
    valid_from, valid_to = _as_date(_get(schedule, "valid_from")), _as_date(_get(schedule, "valid_to"))
    return not ((valid_from and day < valid_from) or (valid_to and day > valid_to) or (starts_on and day < starts_on))


def matches_rule(schedule, day):
    """Whether the recurrence rule alone (no closures or holidays) puts a session on `day`."""
    if _get(schedule, "kind") == "event":
        return _as_date(_get(schedule, "event_date")) == day
    if _get(schedule, "weekday") is None or day.weekday() != _get(schedule, "weekday"):
        return False
    starts_on = _as_date(_get(schedule, "starts_on"))
    if not _in_force(schedule, day, starts_on):
        return False
    interval = max(int(_get(schedule, "interval", 1)), 1)
    if _get(schedule, "freq", WEEKLY) == MONTHLY:
        if not week_of_month_matches(day, _get(schedule, "week_of_month", 1)):
            return False
        return interval == 1 or starts_on is None or \
            ((day.year - starts_on.year) * 12 + day.month - starts_on.month) % interval == 0
    if interval == 1 or starts_on is None:
        return True
    return ((_monday(day) - _monday(starts_on)).days // 7) % interval == 0


def in_ranges(day, ranges):
    return any(start <= day <= end for start, end in ranges)


def closures_of(schedule):
    service = None if isinstance(schedule, dict) else schedule.service
    return [(c.starts_on, c.ends_on) for c in (service.closures if service is not None else [])]


def occurs_on(schedule, day, holidays=None, closures=None):
    """Whether a session of `schedule` starts on `day`. A one-off event runs whatever the closures say."""
    if not matches_rule(schedule, day):
        return False
    if _get(schedule, "kind") == "event":
        return True
    if in_ranges(day, closures_of(schedule) if closures is None else closures):
        return False
    if _get(schedule, "term_time_only", False):
        return not in_ranges(day, school_holidays() if holidays is None else holidays)
    return True


def school_holidays():
    """[(first day, last day)] of the school holidays, read once a request."""
    from app.directory.models import SchoolHoliday
    from app.extensions import db

    if has_app_context() and "school_holidays" in g:
        return g.school_holidays
    ranges = [(h.starts_on, h.ends_on) for h in db.session.execute(
        select(SchoolHoliday).order_by(SchoolHoliday.starts_on)).scalars()]
    if has_app_context():
        g.school_holidays = ranges
    return ranges


def forget_school_holidays():
    if has_app_context():
        g.pop("school_holidays", None)


def next_dates(schedule, start, days, holidays=None):
    """The dates a session starts on in the `days` days from `start`."""
    return [start + timedelta(days=i) for i in range(days)
            if occurs_on(schedule, start + timedelta(days=i), holidays)]


def every_week(schedule):
    """A plain weekly session with nothing to make a week differ from the next (search indexes it by week)."""
    return _get(schedule, "kind") == "weekly" and _get(schedule, "freq", WEEKLY) == WEEKLY \
        and int(_get(schedule, "interval", 1)) == 1 and not _get(schedule, "term_time_only", False) \
        and not closures_of(schedule)


def byday(schedule):
    """'TU', '1TU' or '-1FR': the weekday, with the week of the month for a monthly session."""
    weekday = _get(schedule, "weekday")
    if weekday is None:
        return None
    if _get(schedule, "freq", WEEKLY) == MONTHLY:
        return f"{_get(schedule, 'week_of_month', 1)}{BYDAY[weekday]}"
    return BYDAY[weekday]


def _iso(value):
    value = _as_date(value)
    return value.isoformat() if value else None


def _hhmm(value):
    return value.strftime("%H:%M") if hasattr(value, "strftime") else value


def ical(schedule):
    """The schedule as Open Referral UK (and iCal) put it: freq, interval, byday, dtstart, until, times."""
    event = _get(schedule, "kind") == "event"
    closures = closures_of(schedule)
    return {
        "freq": None if event else _get(schedule, "freq", WEEKLY),
        "interval": None if event else max(int(_get(schedule, "interval", 1)), 1),
        "byday": None if event else byday(schedule),
        "dtstart": _iso(_get(schedule, "event_date")) if event else _iso(_get(schedule, "starts_on")
                                                                          or _get(schedule, "valid_from")),
        "until": _iso(_get(schedule, "event_date")) if event else _iso(_get(schedule, "valid_to")),
        "valid_from": _iso(_get(schedule, "valid_from")),
        "valid_to": _iso(_get(schedule, "valid_to")),
        "opens_at": _hhmm(_get(schedule, "opens_at")),
        "closes_at": _hhmm(_get(schedule, "closes_at")),
        "all_day": _hhmm(_get(schedule, "opens_at")) == _hhmm(_get(schedule, "closes_at")),
        "term_time_only": bool(_get(schedule, "term_time_only", False)),
        "exdates": [] if event else [[start.isoformat(), end.isoformat()] for start, end in closures],
        "description": _get(schedule, "title", "") if event else _get(schedule, "note", ""),
    }
