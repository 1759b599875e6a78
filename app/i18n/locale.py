"""Choosing the language a page is shown in."""
import re

from babel import Locale, UnknownLocaleError
from flask import current_app, g, has_request_context, request, url_for
from flask_babel import get_locale

from app.core.requests import url_args

LANG_COOKIE = "lang"
_LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


def available_languages():
    """The default language, then each language whose compiled catalogue is complete enough to offer.

    Asked several times a page (locale choice, switcher), so kept until a catalogue or the settings change.
    """
    from app.i18n import catalogues
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    threshold = current_app.config["LANGUAGE_THRESHOLD"]
    stamp = catalogues.catalogue_stamp()
    key = (stamp, threshold, default, tuple(current_app.config["LANGUAGES"]),
           current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    cached = current_app.extensions.get("available_languages")
    if stamp is not None and cached and cached[0] == key:
        return list(cached[1])
    offered = [default]
    for code in catalogues.known_languages():
        if code == default or not catalogues.mo_path(code).exists():
            continue
        if catalogues.percent(code) >= threshold:
            offered.append(code)
    if stamp is not None:
        current_app.extensions["available_languages"] = (key, tuple(offered))
    return offered


def _clean(value):
    if not value or not isinstance(value, str) or not _LANG_RE.match(value.strip()):
        return None
    code = value.strip().replace("-", "_")
    enabled = available_languages()
    if code in enabled:
        return code
    base = code.split("_")[0].lower()
    return base if base in enabled else None


def select_locale():
    """An explicit ?lang= choice, then the remembered cookie, then the browser, then the default."""
    if not has_request_context():  # a command line command: its messages are in the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = _clean(request.args.get("lang"))
    if chosen:
        g.lang_chosen = chosen
        return chosen
    remembered = _clean(request.cookies.get(LANG_COOKIE))
    if remembered:
        return remembered
    return request.accept_languages.best_match(available_languages()) or \
        current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_choice(response):
    chosen = g.get("lang_chosen")
    if chosen and request.cookies.get(LANG_COOKIE) != chosen:
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def language_options(codes=None):
    """Each language named in itself: by default those offered in the switcher."""
    options = []
    for code in codes if codes is not None else available_languages():
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        options.append({"code": code, "name": locale.get_display_name(locale).capitalize() if code != "zh"
                        else locale.get_display_name(locale), "dir": locale.text_direction})
    return options


def current_direction():
    return get_locale().text_direction if get_locale() else "ltr"


def language_url(code):
    """The current page in another language."""
    args = url_args(request.args)
    args.pop("lang", None)
    endpoint = request.endpoint if request.endpoint and request.endpoint != "static" else "directory.home"
    view_args = (request.view_args or {}) if request.endpoint == endpoint else {}
    try:
        return url_for(endpoint, **view_args, **args, lang=code)
    except Exception:  # e.g. an argument name clashing with a view argument
        return url_for("directory.home", lang=code)
