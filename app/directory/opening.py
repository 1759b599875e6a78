"""When a listing is open: recurring sessions (possibly past midnight or all day) and one-off events.
Which days a recurring session runs on (monthly, fortnightly, term time, closures) is app.directory.schedules.

Times are the borough's local wall-clock times. The index holds 5-minute slots so "open now"
is one term lookup; the exact answer shown on a page is computed here from the schedules.
"""
from datetime import date, datetime, time, timedelta

from app.directory import schedules as rules

SLOT_MINUTES = 5
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES


def _minutes(value):
    return value.hour * 60 + value.minute


def _spans(opens, closes):
    """[(day_offset, start_minute, end_minute)] for one session starting on day 0."""
    start, end = _minutes(opens), _minutes(closes)
    if start == end:
        return [(0, 0, 24 * 60)]  # open all day
    if end < start:
        return [(0, start, 24 * 60), (1, 0, end)]  # runs past midnight
    return [(0, start, end)]


def _slot_range(start, end):
    return range(start // SLOT_MINUTES, -(-end // SLOT_MINUTES))


# How far ahead the index holds the dated slots of sessions that do not run every week (monthly, fortnightly,
# term time, with closures). Rebuilding the index (flask directory reindex) moves the window on.
DATED_DAYS = 400


def weekly_tokens(schedules, today=None):
    """Index tokens 'w<slot of the week>' for every 5 minutes a plain every-week session covers."""
    tokens = set()
    for schedule in schedules:
        if schedule.kind != "weekly" or schedule.weekday is None or not rules.every_week(schedule):
            continue
        if today and schedule.valid_to and schedule.valid_to < today:
            continue
        for offset, start, end in _spans(schedule.opens_at, schedule.closes_at):
            day = (schedule.weekday + offset) % 7
            tokens.update(f"w{day * SLOTS_PER_DAY + slot}" for slot in _slot_range(start, end))
    return tokens


def event_tokens(schedules, today=None):
    """Index tokens 'e<yyyymmdd>s<slot>' for upcoming one-off events."""
    tokens = set()
    for schedule in schedules:
        if schedule.kind != "event" or schedule.event_date is None:
            continue
        if today and schedule.event_date < today - timedelta(days=1):
            continue
        for offset, start, end in _spans(schedule.opens_at, schedule.closes_at):
            day = schedule.event_date + timedelta(days=offset)
            tokens.update(f"e{day:%Y%m%d}s{slot}" for slot in _slot_range(start, end))
    return tokens


def dated_tokens(schedules, today=None, days=DATED_DAYS, holidays=None):
    """Index tokens 'e<yyyymmdd>s<slot>' for the sessions of recurring schedules that are not the same every week."""
    today = today or date.today()
    tokens = set()
    for schedule in schedules:
        if schedule.kind != "weekly" or schedule.weekday is None or rules.every_week(schedule):
            continue
        for start_day in rules.next_dates(schedule, today - timedelta(days=1), days, holidays):
            for offset, start, end in _spans(schedule.opens_at, schedule.closes_at):
                day = start_day + timedelta(days=offset)
                tokens.update(f"e{day:%Y%m%d}s{slot}" for slot in _slot_range(start, end))
    return tokens


def weekdays(schedules):
    days = set()
    for schedule in schedules:
        if schedule.kind == "weekly" and schedule.weekday is not None:
            days.add(schedule.weekday)
        elif schedule.kind == "event" and schedule.event_date is not None:
            days.add(schedule.event_date.weekday())
    return days


def now_tokens(now):
    slot = _minutes(now) // SLOT_MINUTES
    return f"w{now.weekday() * SLOTS_PER_DAY + slot}", f"e{now:%Y%m%d}s{slot}"


def _occurrences(schedule, around):
    """(start, end) datetimes of this schedule's sessions from the day before `around` to a week after."""
    spans = _spans(schedule.opens_at, schedule.closes_at)
    if schedule.kind == "event":
        if schedule.event_date is None:
            return
        days = [schedule.event_date]
    else:
        # Far enough ahead for "opens on Tuesday": a monthly session may be weeks away, and then says so.
        days = rules.next_dates(schedule, around.date() - timedelta(days=1), 9)
    for day in days:
        start = datetime.combine(day, time()) + timedelta(minutes=spans[0][1])
        last = spans[-1]
        end = datetime.combine(day + timedelta(days=last[0]), time()) + timedelta(minutes=last[2])
        yield start, end


def status(schedules, now):
    """{'open': bool, 'closes': datetime|None, 'next': datetime|None, 'all_day': bool}."""
    open_until, next_start, all_day = None, None, False
    for schedule in schedules:
        for start, end in _occurrences(schedule, now):
            if start <= now < end:
                open_until = max(open_until, end) if open_until else end
                # An all-day session "closes" at midnight only on paper: people read it as open 24 hours.
                all_day = all_day or schedule.opens_at == schedule.closes_at
            elif start > now and (next_start is None or start < next_start):
                next_start = start
    return {"open": open_until is not None, "closes": open_until, "next": next_start, "all_day": all_day}


def has_ended(opens, closes, day, now):
    """Whether a session on `day` from `opens` to `closes` is over at `now` (local). All-day sessions and those that
    run past midnight last until the end of the day at least."""
    if opens == closes or closes < opens:
        return now.date() > day
    return datetime.combine(day, closes) <= now


def is_open(schedules, now):
    return status(schedules, now)["open"]
