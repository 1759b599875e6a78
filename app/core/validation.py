"""One rule each for the values people type everywhere: e-mail, UK phone, postcode, HH:MM times,
and the guard that stops a spreadsheet running a cell as a formula.

Each function takes raw text and returns the normalised value, or None when the text is not valid.
Forms (`app.core.forms`), CSV import and services all call these, so a rule changes in one place.
"""
import re
from datetime import time

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_EMAIL_LENGTH = 254
MAX_PHONE_LENGTH = 40
_POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTWARD_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_TIME_RE = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def email(value):
    """'  Name@Example.org ' -> 'name@example.org'; None unless it is an e-mail address."""
    text = (value or "").strip()
    if not text or len(text) > MAX_EMAIL_LENGTH:
        return None
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return text.lower()


def uk_phone(value):
    """The number as typed (trimmed) when it is a possible UK number, else None.

    "Possible" rather than "valid": numbers in the ranges kept for drama and testing are real-shaped."""
    text = (value or "").strip()
    if not text or len(text) > MAX_PHONE_LENGTH:
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    return text if phonenumbers.is_possible_number(number) else None


def postcode(value):
    """'nw5 2ab' -> 'NW5 2AB'; None when it is not a full UK postcode."""
    compact = re.sub(r"\s+", "", str(value or "")).upper()
    match = _POSTCODE_RE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


def outward_code(value):
    """'nw5' -> 'NW5'; None unless it is the first half of a postcode."""
    compact = re.sub(r"\s+", "", str(value or "")).upper()
    return compact if _OUTWARD_RE.match(compact) else None


def clock_time(value):
    """'9:30' or '09.30' -> '09:30' (24-hour clock); None otherwise."""
    match = _TIME_RE.match((value or "").strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def parse_clock_time(value):
    """Like clock_time, as a datetime.time."""
    text = clock_time(value)
    if text is None:
        return None
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def formula_safe(value):
    """Text for a spreadsheet cell: a leading quote keeps a would-be formula as text. Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
