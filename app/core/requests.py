"""Hostile input stops here: url_for's own arguments, whole numbers and NUL bytes, for every request."""
from flask import abort, request
from werkzeug.routing import IntegerConverter

# Ids are 32-bit on PostgreSQL; SQLite refuses anything past 64 bits with an OverflowError.
MAX_ID = 2**31 - 1
_MAX_DIGITS = 12


def url_args(args):
    """Query arguments as url_for keywords. Names starting with "_" are url_for's own (_anchor, _method,
    _scheme, _external), so they are dropped rather than handed to it."""
    return {key: args.getlist(key) for key in args if not key.startswith("_")}


def whole_number(raw, low, high):
    """`raw` as an int when it is a whole number from `low` to `high`, otherwise None.

    Decimal digits of any script count ("٤٥" is 45, as people type it); str.isdigit() is also true for "²",
    which int() refuses, and int() alone takes "1_0" and "+1"."""
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    if not raw.isdecimal() or len(raw) > _MAX_DIGITS:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def int_arg(name, default, low, high, args=None):
    """A query argument as an int, kept within `low`..`high`; `default` when it is not a whole number."""
    raw = (request.args if args is None else args).get(name)
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw.isdecimal():
        return default
    return min(max(int(raw[:_MAX_DIGITS]), low), high)


class BoundedIntegerConverter(IntegerConverter):
    """<int:...> that matches only ids the database can hold; a larger one is a 404, not an OverflowError."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul_bytes():
    """PostgreSQL cannot store or compare text with NUL in it; no real page, query or form has one."""
    if "\x00" in request.path or _has_nul(request.args) or (request.method != "GET" and _has_nul(request.form)):
        abort(400)


def _has_nul(multidict):
    return any("\x00" in key or "\x00" in value for key, value in multidict.items(multi=True))


def init_app(app):
    """Before any blueprint is registered: a rule looks its converters up when it is added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul_bytes)  # registered first, so it runs before any other
