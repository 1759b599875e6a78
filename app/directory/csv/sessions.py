"""Regular sessions and holiday closures as CSV cells hold them.

weekly_sessions: "Mon 10:00-12:00; Fri 22:00-02:00" as before, and, in front of the day, "1st", "2nd", "3rd",
"4th" or "last" for once a month, or "every other" for every two weeks counted from the date after "from";
after the times, "from 2027-01-06" (the first session) and "term time".
For example "1st Tue 10:00-12:00; every other Wed 14:00-16:00 from 2027-01-06; Mon 16:30-18:00 term time".
closures: "2026-12-24 to 2027-01-02; 2027-04-05".
"""
import re

from flask_babel import gettext as _

from app.core.validation import clock_time
from app.directory.csv.columns import MAX_SESSIONS
from app.directory.csv.reader import parse_date, split_codes

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ORDINALS = {"1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3, "4th": 4, "fourth": 4, "last": -1}
ORDINAL_WORDS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}
SESSION_RE = re.compile(r"^(?:(?P<every_other>every\s+other)\s+|(?P<ordinal>1st|2nd|3rd|4th|first|second|third|"
                        r"fourth|last)\s+)?(?P<day>[A-Za-z]{3,9})\.?\s+(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|—|to)\s*"
                        r"(?P<closes>\d{1,2}[:.]\d{2})(?:\s+from\s+(?P<starts>\S+))?(?P<term>\s+term[\s-]time)?$",
                        re.IGNORECASE)


def _session_key(s):
    """(weekday, opens, closes, freq, interval, week of month or 0, first date or '', term time)."""
    return (s.weekday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"), s.freq or "WEEKLY",
            s.interval or 1, s.week_of_month or 0, s.starts_on.isoformat() if s.starts_on else "",
            bool(s.term_time_only))


def weekly_of(service):
    """The listing's regular sessions, sorted, as the plan compares them."""
    return sorted({_session_key(s) for s in service.schedules if s.kind == "weekly" and s.weekday is not None})


def closures_of(service):
    return sorted({(c.starts_on.isoformat(), c.ends_on.isoformat()) for c in service.closures})


def _format(day, opens, closes, freq, interval, week_of_month, starts, term):
    text = f"{DAY_ABBREVIATIONS[day]} {opens}-{closes}"
    if freq == "MONTHLY":
        text = f"{ORDINAL_WORDS.get(week_of_month, '1st')} {text}"
    elif interval == 2:
        text = f"every other {text}"
    if starts:
        text += f" from {starts}"
    return text + (" term time" if term else "")


def format_sessions(service):
    return "; ".join(_format(*key) for key in weekly_of(service) if 0 <= key[0] <= 6)


def format_closures(service):
    return "; ".join(start if start == end else f"{start} to {end}" for start, end in closures_of(service))


def parse_session(text):
    """'1st tue 9.30 to 12:00' -> (1, '09:30', '12:00', 'MONTHLY', 1, 1, '', False); None when it is not one."""
    match = SESSION_RE.match(text.strip())
    if not match:
        return None
    day = _weekday(match.group("day"))
    opens, closes = clock_time(match.group("opens")), _closing_time(match.group("closes"))
    starts = parse_date(match.group("starts")) if match.group("starts") else None
    if day is None or opens is None or closes is None or (match.group("starts") and starts is None):
        return None
    every_other = bool(match.group("every_other"))
    if every_other and starts is None:
        return None  # every other week, counted from when?
    ordinal = ORDINALS.get((match.group("ordinal") or "").lower())
    return (day, opens, closes, "MONTHLY" if ordinal else "WEEKLY", 2 if every_other else 1, ordinal or 0,
            starts.isoformat() if starts else "", bool(match.group("term")))


def _weekday(text):
    days = [i for i, name in enumerate(DAYS) if name.startswith(text.lower())]
    return days[0] if len(days) == 1 else None


def _closing_time(text):
    if text in ("24:00", "24.00"):
        return "00:00"  # "until 24:00" is midnight
    return clock_time(text)


def check_weekly_sessions(row):
    if not row.has("weekly_sessions"):
        return
    sessions = set()
    for item in split_codes(row.cell("weekly_sessions")):
        parsed = parse_session(item)
        if parsed is None:
            row.problem("weekly_sessions",
                        _("‘%(item)s’ is not a weekly session. Write a day and 24-hour times, like "
                          "Mon 10:00-12:00, and separate sessions with semicolons.", item=item))
        else:
            sessions.add(parsed)
    if len(sessions) > MAX_SESSIONS:
        row.problem("weekly_sessions", _("A listing can have at most %(max)s weekly sessions.", max=MAX_SESSIONS))
    row.plan.weekly = sorted(sessions)


def check_closures(row):
    if not row.has("closures"):
        return
    closures = set()
    for item in split_codes(row.cell("closures")):
        parts = re.split(r"\s+to\s+", item, maxsplit=1, flags=re.IGNORECASE)
        first, last = parts[0].strip(), parts[-1].strip()
        start, end = parse_date(first), parse_date(last)
        if start is None or end is None or end < start:
            row.problem("closures", _("‘%(item)s’ is not a closure. Write a date, or two dates with ‘to’ between, "
                                      "like 2026-12-24 to 2027-01-02.", item=item))
        else:
            closures.add((start.isoformat(), end.isoformat()))
    row.plan.closures = sorted(closures)
