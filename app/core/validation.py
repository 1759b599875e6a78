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


# Ofcom keeps these ranges for drama and testing: real-shaped, never anyone's line, so examples and demo data
# may use them. phonenumbers counts them as not valid. National numbers without the leading 0.
_DRAMA_PREFIXES = ("7700900", "2079460", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
                   "1214960", "1314960", "1414960", "1514960", "1614960", "1914980", "2896496", "2920180",
                   "1632960", "8081570", "9098790", "3069990")


def uk_phone(value, service=False):
    """The number as typed (trimmed) when it is a valid UK number, else None.

    A person's own phone must be a full number; `service=True` also takes short service numbers
    (111, 116 123) that a directory entry may give."""
    text = (value or "").strip()
    if not text or len(text) > MAX_PHONE_LENGTH:
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = str(number.national_number)
    if phonenumbers.is_valid_number_for_region(number, "GB") or (
            number.country_code == 44 and len(national) == 10 and national.startswith(_DRAMA_PREFIXES)):
        return text
    if service and number.country_code == 44 and phonenumbers.is_valid_short_number_for_region(number, "GB"):
        return text
    return None


def uk_service_phone(value):
    """A phone number a service gives the public: a full UK number or a short one like 111 or 116 123."""
    return uk_phone(value, service=True)


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
