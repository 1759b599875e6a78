"""The SPA duty team: when it reads referrals (a weekly timetable and closed days), and the alert a
not-safe referral sends it at once."""
import functools
import json
import logging
import re
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.links import external_url
from app.core import clock, mail

log = logging.getLogger(__name__)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")


class HoursError(ValueError):
    pass


def parse_hours(spec):
    """'mon-fri 09:00-17:00; sat 10:00-13:00' -> {weekday: [(start, end)]}, Monday 0. Raises HoursError."""
    hours = {}
    for part in (p.strip().lower() for p in (spec or "").split(";")):
        if not part:
            continue
        match = _PART.match(part)
        if not match or match["first"] not in DAYS or (match["last"] or match["first"]) not in DAYS:
            raise HoursError(f"cannot read opening hours {part!r}: write them like 'mon-fri 09:00-17:00'")
        try:
            start, end = time.fromisoformat(match["start"].zfill(5)), time.fromisoformat(match["end"].zfill(5))
        except ValueError:
            raise HoursError(f"cannot read the times in {part!r}") from None
        if start >= end:
            raise HoursError(f"opening hours {part!r} end before they start")
        first, last = DAYS.index(match["first"]), DAYS.index(match["last"] or match["first"])
        for day in range(first, last + 1):
            hours.setdefault(day, []).append((start, end))
    return {day: sorted(spans) for day, spans in hours.items()}


@functools.cache
def _closed_days(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return frozenset(date.fromisoformat(day) for day in (data["dates"] if isinstance(data, dict) else data))


def closed_days():
    return _closed_days(current_app.config["SPA_CLOSED_DAYS_FILE"])


def check_settings(config):
    """Raises HoursError (a message for whoever set it) for opening hours or closed days the site cannot read."""
    parse_hours(config["SPA_OPENING_HOURS"])
    try:
        _closed_days(config["SPA_CLOSED_DAYS_FILE"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HoursError(f"cannot read SPA_CLOSED_DAYS_FILE {config['SPA_CLOSED_DAYS_FILE']}: {exc}") from None


def timetable():
    return parse_hours(current_app.config["SPA_OPENING_HOURS"])


def is_open(at):
    """Whether the team is reading referrals at `at` (naive borough local time)."""
    if at.date() in closed_days():
        return False
    return any(start <= at.time() < end for start, end in timetable().get(at.weekday(), []))


def next_opening(at):
    """When the team next starts reading referrals after `at` (naive local), or None if never within a year."""
    hours, closed = timetable(), closed_days()
    for offset in range(367):
        day = at.date() + timedelta(days=offset)
        if day in closed:
            continue
        for start, _end in hours.get(day.weekday(), []):
            opening = datetime.combine(day, start)
            if opening > at:
                return opening
    return None


def availability(at=None):
    """{'open': bool, 'next': datetime or None}: whether someone reads a referral sent now, or when they next will."""
    at = at or clock.local_now()
    if is_open(at):
        return {"open": True, "next": None}
    return {"open": False, "next": next_opening(at)}


def alert(referral):
    """Tell the duty inbox a not-safe referral has arrived: its reference and a link, nothing about the person.
    Queued in the caller's transaction, so it goes only if the referral is stored."""
    to = current_app.config.get("SPA_DUTY_EMAIL")
    if not to:
        log.warning("an urgent referral arrived but SPA_DUTY_EMAIL is not set: no duty alert was sent")
        return None
    return mail.queue_email(to, _l("Urgent referral %(reference)s", reference=referral.reference),
                            "selfreferral/email/duty_alert.txt", kind="duty_alert", referral=referral,
                            link=external_url("spa.referral_page", reference=referral.reference))
