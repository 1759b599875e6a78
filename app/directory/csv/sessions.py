"""Weekly sessions as a CSV cell holds them: "Mon 10:00-12:00; Fri 22:00-02:00"."""
import re

from app.core.validation import clock_time

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SESSION_RE = re.compile(r"^(?P<day>[A-Za-z]{3,9})\.?\s+(?P<opens>\d{1,2}[:.]\d{2})\s*(?:-|–|—|to)\s*"
                        r"(?P<closes>\d{1,2}[:.]\d{2})$", re.IGNORECASE)


def weekly_of(service):
    """The listing's weekly sessions, sorted: [(weekday, 'HH:MM', 'HH:MM')]."""
    return sorted({(s.weekday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"))
                   for s in service.schedules if s.kind == "weekly"})


def format_sessions(service):
    return "; ".join(f"{DAY_ABBREVIATIONS[day]} {opens}-{closes}" for day, opens, closes in weekly_of(service)
                     if day is not None and 0 <= day <= 6)


def parse_session(text):
    """'mon 9.30 to 12:00' -> (0, '09:30', '12:00'); None when it is not one weekly session."""
    match = SESSION_RE.match(text.strip())
    if not match:
        return None
    day_text = match.group("day").lower()
    days = [i for i, name in enumerate(DAYS) if name.startswith(day_text)]
    if len(days) != 1:
        return None
    opens, closes = clock_time(match.group("opens")), _closing_time(match.group("closes"))
    if opens is None or closes is None:
        return None
    return days[0], opens, closes


def _closing_time(text):
    if text in ("24:00", "24.00"):
        return "00:00"  # "until 24:00" is midnight
    return clock_time(text)
