"""Timetables in words, for the public page, the provider's summary and the manager's review:
"First Tuesday of the month", "Every other Wednesday", "Term time only", "Not running 24 December to 2 January".

Works on Schedule rows and on snapshot dicts alike. Dates and times go through Babel, kept left to right.
"""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.core.templating import format_date, format_time, ltr, weekday_name
from app.directory import schedules
from app.directory.schedules import _as_date, _get


def _bdi(text):
    # A date in words ("24 ديسمبر 2026") is isolated but keeps its own direction; digits-only times go ltr.
    return Markup("<bdi>{}</bdi>").format(text)


def _time(value):
    if isinstance(value, str):
        from app.directory.snapshots import _parse_time
        value = _parse_time(value)
    return format_time(value)


def pattern(schedule):
    """How often it runs: 'Every Tuesday', 'Every other Tuesday', 'Last Friday of the month'."""
    weekday = _get(schedule, "weekday")
    if _get(schedule, "kind") == "event":
        return format_date(_as_date(_get(schedule, "event_date")), "EEEE d MMMM y")
    if weekday is None:
        return ""
    day = weekday_name(weekday)
    interval = max(int(_get(schedule, "interval", 1)), 1)
    if _get(schedule, "freq", schedules.WEEKLY) == schedules.MONTHLY:
        return {
            1: _("First %(day)s of the month", day=day), 2: _("Second %(day)s of the month", day=day),
            3: _("Third %(day)s of the month", day=day), 4: _("Fourth %(day)s of the month", day=day),
            5: _("Fifth %(day)s of the month", day=day),
        }.get(_get(schedule, "week_of_month", 1), _("Last %(day)s of the month", day=day))
    if interval == 2:
        return _("Every other %(day)s", day=day)
    if interval > 2:
        return _("Every %(count)s weeks on %(day)s", count=interval, day=day)
    return _("Every %(day)s", day=day)


def times(schedule):
    """'10:00 to 12:00', 'All day' or '22:00 to 02:00 (the next day)', times kept left to right."""
    opens, closes = _get(schedule, "opens_at"), _get(schedule, "closes_at")
    if opens == closes:
        return _("All day")
    text = escape(_("%(start)s to %(end)s")).replace("%(start)s", ltr(_time(opens))).replace(
        "%(end)s", ltr(_time(closes)))
    past_midnight = (str(closes) < str(opens)) if isinstance(opens, str) else closes < opens
    return text + (Markup(" ") + _("(the next day)") if past_midnight else "")


def extras(schedule):
    """The notes that change when it runs: 'Term time only', 'Starts 6 January 2027'."""
    notes = []
    if _get(schedule, "kind") == "event":
        return notes
    if _get(schedule, "term_time_only", False):
        notes.append(_("Term time only"))
    starts_on = _as_date(_get(schedule, "starts_on"))
    if starts_on:
        # Replaced after escaping: gettext would turn the <bdi> into text shown as tags.
        notes.append(escape(_("From %(date)s")).replace("%(date)s", _bdi(format_date(starts_on))))
    return notes


def notes(schedule, today=None):
    """The public page's notes for a session: term time, when it starts, when it next runs (for one that is not
    every week) and the provider's own note."""
    from app.core import clock
    parts = [escape(n) for n in extras(schedule)]
    if not schedules.every_week(schedule):
        now = clock.local_now()
        today = today or now.date()
        upcoming = schedules.next_dates(schedule, today, 120)
        if upcoming and upcoming[0] == today and _finished_by(schedule, now):
            upcoming = upcoming[1:]
        if upcoming:
            parts.append(escape(_("Next: %(date)s")).replace(
                "%(date)s", _bdi(format_date(upcoming[0], "EEEE d MMMM"))))
    if _get(schedule, "note", ""):
        parts.append(escape(_get(schedule, "note", "")))
    return Markup(". ").join(parts)


def _finished_by(schedule, now):
    """True when today's session has already ended (one running past midnight or all day has not)."""
    opens, closes = _get(schedule, "opens_at"), _get(schedule, "closes_at")
    if isinstance(opens, str) or isinstance(closes, str) or opens is None or closes is None or closes <= opens:
        return False
    return now.time() >= closes


def closure(start, end):
    start, end = _as_date(start), _as_date(end)
    if start == end:
        return escape(_("Not running on %(date)s")).replace("%(date)s", _bdi(format_date(start)))
    return escape(_("Not running %(start)s to %(end)s")).replace(
        "%(start)s", _bdi(format_date(start))).replace("%(end)s", _bdi(format_date(end)))


def one_line(schedule):
    """Everything about one session on one line, for summaries and the manager's review."""
    parts = [escape(pattern(schedule)), times(schedule)] + [escape(n) for n in extras(schedule)]
    words = _get(schedule, "title", "") if _get(schedule, "kind") == "event" else ""
    parts += [escape(w) for w in (words, _get(schedule, "note", "")) if w]
    return Markup(", ").join(p for p in parts if p)


def init_app(app):
    app.jinja_env.filters.update(session_pattern=pattern, session_times=times, session_extras=extras,
                                 session_line=one_line, session_notes=notes, closure_text=lambda c: closure(
                                     _get(c, "starts_on"), _get(c, "ends_on")))
