"""Template filters and globals every domain uses: locale-aware formatting, safe Markdown, site-wide context.

The directory and i18n register their own (app/directory/templating.py, app/i18n/templating.py).
"""
import re
from datetime import datetime

import markdown as markdown_lib
import nh3
from babel import Locale, dates, numbers
from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup, escape

from app.core import clock

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


def format_locale():
    """The locale used for dates and numbers: British English when the page is in English."""
    locale = get_locale() or Locale("en")
    if locale.language == "en" and not locale.territory:
        return Locale("en", "GB")
    return locale


def format_date(value, fmt="d MMMM y"):
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return dates.format_date(value, format=fmt, locale=format_locale())


def format_time(value):
    if value is None:
        return ""
    return dates.format_time(value, format="short", locale=format_locale())


def weekday_name(index, width="wide"):
    return dates.get_day_names(width, locale=format_locale())[index]


def format_number(value):
    return numbers.format_decimal(value, locale=format_locale())


def format_decimal1(value):
    """One decimal place, in the page's locale: 0.8 miles, 0,8 mili."""
    return numbers.format_decimal(round(value, 1), format="#,##0.0", locale=format_locale())


def language_name(code):
    """A language's name in the page's language: 'bn' is 'Bengali' in English, 'bengalí' in Spanish."""
    from babel import UnknownLocaleError
    try:
        return Locale.parse(code).get_display_name(get_locale() or "en") or code
    except (UnknownLocaleError, ValueError):
        return code


def code_label(code, mapping):
    return str(mapping.get(code, code))


def ltr(value):
    """A phone number, reference, postcode, time or e-mail address kept left to right inside any text:
    in Arabic "07700 900321" would otherwise read "900321 07700". Escapes the value; empty stays empty."""
    if value is None or value == "":
        return value
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


# Numbers in parts (07700 900321, 116 123, 09:00–17:00): in right-to-left text their parts swap places.
NUMBER_RUN = re.compile(r"\+?\d+(?:[ :.\-–]\d+)+")


def ltr_numbers(text):
    """A translated sentence with each number in parts wrapped in <bdi dir="ltr">, for numbers written into
    the sentence itself ("Samaritans: 116 123"). Plain text is escaped first; Markup is kept as it is."""
    html = str(text if isinstance(text, Markup) else escape(text))
    # Only digits and separators are wrapped, so this cannot open a tag or break one.
    return Markup(NUMBER_RUN.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', html))  # nosec B704


# The site's own information pages also have section headings, and <bdi dir="ltr"> round phone numbers.
PAGE_TAGS = ALLOWED_TAGS | {"h2", "bdi"}


def render_markdown(text, tags=ALLOWED_TAGS):
    """Providers write limited Markdown; only a small set of tags survives sanitising."""
    if not text:
        return Markup("")
    return sanitise_html(markdown_lib.markdown(text, output_format="html"), tags)


def sanitise_html(html, tags=ALLOWED_TAGS):
    """HTML cut down to the allowed tags, attributes and link schemes (nh3, in Rust: microseconds, so HTML stored
    already sanitised is sanitised again as it is shown, in case anything else ever wrote to the column)."""
    clean = nh3.clean(html or "", tags=tags, attributes={"a": {"href"}, "bdi": {"dir"}},
                      url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener noreferrer nofollow")
    # nh3 has just sanitised it down to the allowed tags and link schemes, so it is safe to mark as HTML.
    return Markup(clean)  # nosec B704


def init_app(app):
    app.jinja_env.filters.update(
        format_date=format_date,
        format_time=format_time,
        weekday_name=weekday_name,
        format_number=format_number,
        format_decimal1=format_decimal1,
        markdown=render_markdown,
        language_name=language_name,
        code_label=code_label,
        ltr=ltr,
        ltr_numbers=ltr_numbers,
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def site_context():
        locale = get_locale()
        return {
            "borough_name": current_app.config["BOROUGH_NAME"],
            "html_lang": str(locale).replace("_", "-") if locale else "en",
            "today": clock.local_today(),
        }
