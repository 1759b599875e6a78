"""A translation is shown as trusted markup on every page of its language: it may carry only the markup of its
English source, and it must be fillable with the source's placeholders (the security issue's holes 3 and 4)."""
import io
import logging
import os
import time
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from flask import render_template_string
from flask_babel import gettext, lazy_gettext, ngettext

from app.i18n import catalogues
from tests.i18n.conftest import _entry

SOURCE = "Find local support in %(borough)s"
META = '<meta http-equiv="refresh" content="0;url=https://evil.example/"'
LINKED = Message('Read <a href="/help" class="govuk-link">the guide</a> first', locations=[("x.html", 1)])


def _problems(app, message, strings, num_plurals=2):
    with app.test_request_context():
        return catalogues.validate(message, strings, num_plurals)


@pytest.mark.parametrize("text", [
    f"Apoyo en %(borough)s {META}",                          # an unclosed tag
    f"Apoyo en %(borough)s {META}>",
    'Apoyo en %(borough)s" onmouseover="alert(1)',          # breaks out of an attribute
    "Apoyo en %(borough)s <b>ya</b>",
    "Apoyo en %(borough)s <!-- x -->",
    "Apoyo en %(borough)s > aquí",
    "Apoyo en %(borough)s <img src=x onerror=alert(1)>",
])
def test_markup_the_source_does_not_have_is_refused(i18n_app, text):
    assert _problems(i18n_app, Message(SOURCE, locations=[("home.html", 7)]), [text])


@pytest.mark.parametrize("text, ok", [
    ('Lea <a href="/help" class="govuk-link">la guía</a> antes', True),
    ("Lea <a class='govuk-link' href='/help'>la guía</a> antes", True),   # same markup, other quoting
    ('Lea <a href="https://evil.example/" class="govuk-link">la guía</a>', False),
    ('Lea <a href="/help" class="govuk-link" onclick="x()">la guía</a>', False),
    ('Lea <a href="/help">la guía</a>', False),
    ('Lea <a href="/help" class="govuk-link">la guía</a> <a href="/help" class="govuk-link">otra</a>', False),
    ('Lea <a href="/help" class="govuk-link">la guía</a>" onmouseover="x', False),
    ('Lea <a href="/help" class="govuk-link">la guía', False),
])
def test_a_translation_keeps_exactly_the_markup_of_its_source(i18n_app, text, ok):
    assert (not _problems(i18n_app, LINKED, [text])) is ok


def test_markup_is_refused_through_the_editor_with_a_reason(tools):
    app, client, _user = tools
    entry = _entry(app, "es", SOURCE)
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "es/LC_MESSAGES/messages.po")
    before = path.read_bytes()
    for text in (f"Apoyo en %(borough)s {META}", 'Apoyo en %(borough)s" onmouseover="alert(1)'):
        response = client.post(f"/translate/es/messages/{entry['key']}", data={"form0": text})
        assert response.status_code == 400
        assert "govuk-error-summary" in response.get_data(as_text=True)
    assert path.read_bytes() == before


def test_markup_is_refused_in_an_upload(tools):
    app, client, _user = tools
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "pl/LC_MESSAGES/messages.po")
    before = path.read_bytes()
    po = client.get("/translate/pl/download").data.decode("utf-8")
    lines = po.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and "%(borough)s" in line)
    for attack in (' <meta http-equiv=\\"refresh\\" content=\\"0;url=https://evil.example/\\"',
                   '\\" onmouseover=\\"alert(1)'):
        changed = lines[:index] + [lines[index][:-1] + attack + '"'] + lines[index + 1:]
        response = client.post("/translate/pl/upload", data={"po": (io.BytesIO("\n".join(changed).encode()), "pl.po")},
                               content_type="multipart/form-data")
        assert response.status_code == 400, attack
    assert path.read_bytes() == before


def test_every_shipped_pack_passes_validation(i18n_app):
    with i18n_app.test_request_context():
        for code in ("ar", "bn", "so", "es", "pt", "pl"):
            catalog = catalogues.read(code)
            for message in catalog:
                strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]
                if message.id and any(strings):
                    assert catalogues.validate(message, strings, catalog.num_plurals) == [], (code, message.id)


PLURAL = Message(("%(num)s result", "%(num)s results"), locations=[("results.html", 3)])


@pytest.mark.parametrize("message, strings, ok", [
    (Message(SOURCE, locations=[("home.html", 7)]), ["Apoyo al 100% en %(borough)s"], False),
    (Message(SOURCE, locations=[("home.html", 7)]), ["Apoyo en %(borough)s %"], False),
    (Message(SOURCE, locations=[("home.html", 7)]), ["Apoyo en %(borough)"], False),
    (Message(SOURCE, locations=[("home.html", 7)]), ["Apoyo al 100%% en %(borough)s"], True),
    # A template formats every string, placeholders or not; Python code only formats those it fills in.
    (Message("Search", locations=[("base.html", 1)]), ["Buscar 100%"], False),
    (Message("Search", locations=[("views.py", 1)]), ["Buscar 100%"], True),
    (PLURAL, ["%(num)s نتيجة", "%(num)s نتيجة", "%(num)s نتيجتان", "%(num)s نتائج %", "%(num)s نتيجة",
              "%(num)s نتيجة"], False),
    (PLURAL, ["نتيجة واحدة", "%(num)s نتيجة", "%(num)s نتيجتان", "%(num)s نتائج", "%(num)s نتيجة",
              "%(num)s نتيجة"], True),
])
def test_a_translation_that_cannot_be_filled_in_is_refused(i18n_app, message, strings, ok):
    problems = _problems(i18n_app, message, strings, num_plurals=len(strings) if message is PLURAL else 2)
    assert (not problems) is ok, problems


def test_a_stray_percent_sign_is_refused_through_the_editor_and_an_upload(tools):
    app, client, _user = tools
    entry = _entry(app, "es", SOURCE)
    response = client.post(f"/translate/es/messages/{entry['key']}", data={"form0": "Apoyo al 100% en %(borough)s"})
    assert response.status_code == 400 and "%%" in response.get_data(as_text=True)
    path = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"], "pl/LC_MESSAGES/messages.po")
    before = path.read_bytes()
    lines = client.get("/translate/pl/download").data.decode("utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("msgstr") and "%(borough)s" in line)
    lines[index] = lines[index][:-1] + ' 100%"'
    response = client.post("/translate/pl/upload", data={"po": (io.BytesIO("\n".join(lines).encode()), "pl.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "%%" in response.get_data(as_text=True)
    assert path.read_bytes() == before


@pytest.fixture
def broken_spanish(i18n_app):
    """Bad strings written straight into the compiled Spanish catalogue, as a hand-edited .mo would be."""
    mo = Path(i18n_app.config["BABEL_TRANSLATION_DIRECTORIES"], "es/LC_MESSAGES/messages.mo")
    before = mo.read_bytes()
    bad = {SOURCE: "Apoyo al 100% en %(borough)s", "Skip to main content": "Saltar 100% al contenido",
           "%(num)s result": ("%(num)s resultado %", "%(num)s resultados %")}
    with i18n_app.test_request_context():
        catalog = catalogues.read("es")
        for msgid, text in bad.items():
            catalog[msgid].string = text
        with mo.open("wb") as handle:
            write_mo(handle, catalog)
    yield
    mo.write_bytes(before)
    os.utime(mo, ns=(time.time_ns(), time.time_ns() + 1))
    i18n_app.extensions.get("translations_cache", {}).clear()  # this app's loaded translations


def test_a_string_that_cannot_be_filled_in_falls_back_to_english(i18n_app, broken_spanish, caplog):
    client = i18n_app.test_client()
    with caplog.at_level(logging.WARNING):
        page = client.get("/?lang=es")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Find local support in Camden" in body and "Skip to main content" in body
    assert "Encontrar apoyo" in body  # only the bad strings are in English
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "es" in logged and SOURCE in logged and "100%" not in logged
    with i18n_app.test_request_context("/?lang=es"):
        assert gettext(SOURCE, borough="Camden") == "Find local support in Camden"
        assert str(lazy_gettext(SOURCE, borough="Camden")) == "Find local support in Camden"
        assert ngettext("%(num)s result", "%(num)s results", 3) == "3 results"
        template = ("{{ ngettext('%(num)s result', '%(num)s results', 1) }} "
                    "{% trans %}Skip to main content{% endtrans %}")
        assert render_template_string(template) == "1 result Skip to main content"
