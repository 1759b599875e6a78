"""Hostile input stops here: url_for's own arguments, whole numbers and NUL bytes, for every request."""


def url_args(args):
    """Query arguments as url_for keywords. Names starting with "_" are url_for's own (_anchor, _method,
    _scheme, _external), so they are dropped rather than handed to it."""
    return {key: args.getlist(key) for key in args if not key.startswith("_")}
