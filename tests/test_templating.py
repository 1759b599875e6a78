"""Template filters and globals keep their names wherever they are registered (core, i18n, directory)."""
from flask import render_template_string

FILTERS = {"format_date", "format_time", "weekday_name", "format_number", "format_decimal1", "markdown",
           "category_label", "language_name", "code_label", "location_label"}
GLOBALS = {"borough_name", "language_options", "html_lang", "text_direction", "taxonomy", "language_url",
           "highlight", "localised", "today"}


def test_every_filter_and_global_is_registered(app):
    assert set(app.jinja_env.filters) >= FILTERS
    with app.test_request_context("/"):
        context = {}
        for processor in app.template_context_processors[None]:
            context.update(processor())
    assert set(context) >= GLOBALS


def test_directory_and_i18n_helpers_render(app):
    with app.test_request_context("/"):
        html = render_template_string(
            "{{ 'talk-befriending'|category_label }}|{{ text_direction }}|{{ html_lang }}|"
            "{{ taxonomy.CATEGORIES|length > 0 }}|{{ language_options|length > 0 }}")
    assert html == "Befriending|ltr|en|True|True"
