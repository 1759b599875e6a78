"""The one rule each for e-mail, UK phone, postcode, times and spreadsheet cells (app.core.validation)."""
from datetime import time

import pytest

from app.core import validation


@pytest.mark.parametrize(("raw", "expected"), [
    ("  Name@Example.org ", "name@example.org"),
    ("someone@demo.hidden-gems.example", "someone@demo.hidden-gems.example"),
    ("no-at-sign.example.org", None), ("a@b", None), ("", None), (None, None),
    ("x" * 250 + "@example.org", None),
])
def test_email(raw, expected):
    assert validation.email(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("020 7946 0000", "020 7946 0000"), (" 07700 900982 ", "07700 900982"), ("+44 20 7946 0000", "+44 20 7946 0000"),
    ("12", None), ("not a number", None), ("0" * 41, None), ("", None),
])
def test_uk_phone(raw, expected):
    assert validation.uk_phone(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("nw5 2ab", "NW5 2AB"), ("NW52AB", "NW5 2AB"), ("wc1a  1aa", "WC1A 1AA"),
    ("NW5", None), ("12345", None), ("", None),
])
def test_postcode(raw, expected):
    assert validation.postcode(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("nw5", "NW5"), ("WC1A", "WC1A"), ("NW5 2AB", None), ("5NW", None)])
def test_outward_code(raw, expected):
    assert validation.outward_code(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("9:30", "09:30"), ("09.30", "09:30"), (" 23:59 ", "23:59"),
    ("24:00", None), ("9:60", None), ("930", None), ("", None),
])
def test_clock_time(raw, expected):
    assert validation.clock_time(raw) == expected


def test_parse_clock_time():
    assert validation.parse_clock_time("7.05") == time(7, 5)
    assert validation.parse_clock_time("later") is None


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+44", "'+44"), ("-1", "'-1"), ("@here", "'@here"), ("\tx", "'\tx"),
    ("plain", "plain"), (None, ""), (3, 3), (2.5, 2.5), (True, "True"),
])
def test_formula_safe(value, expected):
    assert validation.formula_safe(value) == expected


def test_form_validators_use_the_same_rules(app):
    from wtforms import StringField

    from app.core.forms import ClockTime, EmailAddress, Postcode, SiteForm, UKPhone

    class Form(SiteForm):
        email = StringField(validators=[EmailAddress("bad email")])
        phone = StringField(validators=[UKPhone("bad phone")])
        postcode = StringField(validators=[Postcode("bad postcode")])
        opens = StringField(validators=[ClockTime("bad time")])

    with app.test_request_context(method="POST", data={"email": "a@b", "phone": "12", "postcode": "NW5",
                                                       "opens": "25:00"}):
        form = Form()
        assert not form.validate()
        assert form.errors == {"email": ["bad email"], "phone": ["bad phone"], "postcode": ["bad postcode"],
                               "opens": ["bad time"]}
    with app.test_request_context(method="POST", data={"email": "a@example.org", "phone": "020 7946 0000",
                                                       "postcode": "nw5 2ab", "opens": "9.30"}):
        assert Form().validate()
