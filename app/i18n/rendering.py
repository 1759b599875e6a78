"""One bad translation must not break a page: a string that cannot be %-formatted is shown in English.

Validation refuses such strings, but a compiled catalogue can still hold one (a hand-made .mo, an older
catalogue). Both ways a string is formatted are covered: Flask-Babel's gettext in Python code and Jinja's
newstyle gettext in templates, which formats every string and marks it safe.
"""
import logging
import threading

from flask import current_app
from flask_babel import Domain, _get_current_context, get_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup

from app.i18n.checks import FILLED_RE, FORMAT_ERRORS

log = logging.getLogger(__name__)
_merge_lock = threading.Lock()


def _fill(text, english, variables, markup=False):
    wrap = Markup if markup else str
    if text != english:
        # A lone % can also format without an error ("100% al" takes the values as %a): refused too.
        if "%" not in FILLED_RE.sub("", text):
            try:
                return wrap(text) % variables
            except FORMAT_ERRORS:
                pass
        # The language and the English msgid only: never the translated text or the values.
        log.warning("Translation into %s cannot be filled in, shown in English: %r", get_locale(), english[:200])
    return wrap(english) % variables


class SafeDomain(Domain):
    """Flask-Babel's domain, with the English text for a translation that cannot be filled in, and the
    translators' overrides from the database laid over each compiled catalogue as it loads."""

    def get_translations_cache(self, ctx):
        from app.i18n.catalogues import translations_cache
        return translations_cache()

    def get_translations(self):
        # A page asks a few hundred times: kept for the request, for the locale it was loaded for (force_locale
        # swaps the locale object, and a catalogue reload drops the whole context).
        ctx = _get_current_context()
        locale = get_locale()
        memo = getattr(ctx, "hg_translations", None)
        if memo is not None and memo[0] is locale:
            return memo[1]
        translations = self._merged()
        if ctx is not None:
            ctx.hg_translations = (locale, translations)
        return translations

    def _merged(self):
        translations = super().get_translations()
        if hasattr(translations, "_catalog") and not getattr(translations, "hg_overrides_merged", False):
            # Flask-Babel caches the catalogue before we merge: other threads wait here rather than serve it half done.
            with _merge_lock:
                if not getattr(translations, "hg_overrides_merged", False):
                    locale = str(get_locale())
                    if locale != current_app.config["BABEL_DEFAULT_LOCALE"]:
                        from app.i18n import overrides
                        overrides.merge_into(translations, locale)
                    translations.hg_overrides_merged = True
        return translations

    def gettext(self, string, **variables):
        text = self.get_translations().ugettext(string)
        return _fill(text, string, variables) if variables else text

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        return _fill(text, singular if num == 1 else plural, variables)

    def pgettext(self, context, string, **variables):
        text = self.get_translations().upgettext(context, string)
        return _fill(text, string, variables) if variables else text

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        return _fill(text, singular if num == 1 else plural, variables)


# Positional-only, as Jinja's own are: templates pass num= (and any other name) as a value to fill in.
@pass_context
def _jinja_gettext(context, string, /, **variables):
    return _fill(get_translations().ugettext(string), string, variables, context.eval_ctx.autoescape)


@pass_context
def _jinja_ngettext(context, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = get_translations().ungettext(singular, plural, num)
    return _fill(text, singular if num == 1 else plural, variables, context.eval_ctx.autoescape)


@pass_context
def _jinja_pgettext(context, msgctxt, string, /, **variables):
    text = get_translations().upgettext(msgctxt, string)
    return _fill(text, string, variables, context.eval_ctx.autoescape)


@pass_context
def _jinja_npgettext(context, msgctxt, singular, plural, num, /, **variables):
    variables.setdefault("num", num)
    text = get_translations().unpgettext(msgctxt, singular, plural, num)
    return _fill(text, singular if num == 1 else plural, variables, context.eval_ctx.autoescape)


def init_app(app):
    """After Flask-Babel's init_app: replace its domain and the template callables it installed."""
    instance = app.extensions["babel"].instance
    # One Babel object serves every app; domain_instance is its cached property, read here without creating it.
    if not isinstance(instance.__dict__.get("domain_instance"), SafeDomain):
        instance.domain_instance = SafeDomain(domain=app.extensions["babel"].default_domain)
    app.jinja_env.globals.update(gettext=_jinja_gettext, ngettext=_jinja_ngettext, pgettext=_jinja_pgettext,
                                 npgettext=_jinja_npgettext)
