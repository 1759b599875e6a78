"""The site's one clock. Everything that asks "what time is it?" asks here, so tests can freeze one instant.

Times are stored in the database as naive UTC; pages and opening hours use the borough's local time.
Tests freeze the clock with `freeze(app, instant)` (an aware datetime, or naive UTC).
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

FROZEN_KEY = "CLOCK_FROZEN_AT"


def _frozen():
    if not has_app_context():
        return None
    return current_app.config.get(FROZEN_KEY)


def now_aware():
    frozen = _frozen()
    if frozen is not None:
        return frozen if frozen.tzinfo else frozen.replace(tzinfo=UTC)
    return datetime.now(UTC)


def now_utc():
    """Now, naive UTC, as stored in the database."""
    return now_aware().astimezone(UTC).replace(tzinfo=None)


def borough_timezone():
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or "Europe/London")


def local_now():
    """Now in the borough, naive local time (for opening hours and dates people see)."""
    return now_aware().astimezone(borough_timezone()).replace(tzinfo=None)


def local_today():
    return local_now().date()


def to_local(value):
    """A naive UTC datetime from the database -> naive borough local time."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(borough_timezone()).replace(tzinfo=None)


def freeze(app, instant):
    """Freeze the clock (tests). `instant` is aware, or naive UTC; None unfreezes."""
    if instant is None:
        app.config.pop(FROZEN_KEY, None)
    else:
        app.config[FROZEN_KEY] = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
