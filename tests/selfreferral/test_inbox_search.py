"""Searching the inbox by reference, name, phone and postcode, over encrypted answers; searches are audited
without the term."""
import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.selfreferral import inbox_search


@pytest.fixture
def two(make_referral):
    amina = make_referral()  # Amina Example, 07700 900982, NW5 2AB
    other = make_referral({"about": {"full_name": "José Núñez", "preferred_name": ""},
                           "contact": {"phone": "020 7946 0555"},
                           "address": {"postcode": "N1 9GU", "connection": "gp"}})
    return amina, other


def _found(client, html_page, term, *refs):
    page = html_page(client.get("/spa/", query_string={"q": term}))
    assert page.status_code == 200
    body = page.text("table.hg-inbox")
    return [r.reference in body for r in refs]


@pytest.mark.parametrize("term, kind", [
    ("AMINA", "name"), ("amina example", "name"), ("Amína", "name"), ("example amina", "name"),
    ("07700900982", "phone"), ("+44 7700 900982", "phone"), ("900982", "phone"),
    ("nw5 2ab", "postcode"), ("NW52AB", "postcode"), ("NW5", "postcode"),
])
def test_search_finds_them_by_name_phone_or_postcode(client, db, two, spa_user, login, html_page, term, kind):
    amina, other = two
    login(spa_user)
    assert _found(client, html_page, term, amina, other) == [True, False]
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "inbox_search")).scalar_one()
    assert event.user_id == spa_user.id and f"kind={kind}" in event.detail and "results=1" in event.detail
    assert term.lower() not in event.detail.lower() and "amina" not in event.detail.lower()


def test_search_by_reference_in_any_case_and_with_or_without_dashes(client, two, spa_user, login, html_page):
    amina, other = two
    login(spa_user)
    for term in (amina.reference, amina.reference.lower(), amina.reference.replace("-", ""), amina.reference[:7]):
        found = _found(client, html_page, term, amina, other)
        assert found[0], term
    assert _found(client, html_page, amina.reference, amina, other) == [True, False]


def test_search_with_accents_finds_the_plain_spelling(client, two, spa_user, login, html_page):
    amina, other = two
    login(spa_user)
    assert _found(client, html_page, "jose nunez", amina, other) == [False, True]
    assert _found(client, html_page, "Nobody Here", amina, other) == [False, False]


def test_search_keeps_the_filters_and_the_term(client, make_referral, spa_user, login, html_page):
    red = make_referral(colour="red", status="triaged")
    green = make_referral(colour="green", status="triaged")
    login(spa_user)
    page = html_page(client.get("/spa/", query_string={"q": "Amina", "colour": "red"}))
    body = page.text("table.hg-inbox")
    assert red.reference in body and green.reference not in body
    assert page.select_one("#q")["value"] == "Amina"
    assert page.select_one("form.hg-inbox-filters input[name=q]")["value"] == "Amina"


def test_search_is_bounded(app, client, two, spa_user, login, html_page, monkeypatch):
    monkeypatch.setitem(app.config, "SPA_SEARCH_MAX_SCAN", 1)
    login(spa_user)
    page = html_page(client.get("/spa/", query_string={"q": "Amina"}))
    assert "Only the first 1 referrals were searched" in page.text("main")


def test_search_results_are_paged(app, db, client, make_referral, spa_user, login):
    refs = [make_referral() for _ in range(3)]
    with app.test_request_context():
        from app.selfreferral import spa
        first = spa.inbox(spa.InboxFilters(search="Amina"), page=1, per_page=2)
        second = spa.inbox(spa.InboxFilters(search="Amina"), page=2, per_page=2)
    assert first.total == 3 and len(first.items) == 2 and first.has_next and not first.has_prev
    assert len(second.items) == 1 and not second.has_next
    assert {r.id for r in first.items + second.items} == {r.id for r in refs}


@pytest.mark.parametrize("term, kind", [("HG-7K2M-QX", "reference"), ("hg7k", "reference"), ("Hgh", "name"),
                                        ("HGABCDEF", "reference"),
                                        ("020 7946 0000", "phone"), ("E1", "postcode"), ("Al-Amin", "name"),
                                        ("12", "name")])
def test_what_the_term_looks_like(term, kind):
    assert inbox_search.kind_of(term) == kind


def test_odd_input_is_safe(client, two, spa_user, login):
    login(spa_user)
    for term in ("%", "_", "'; drop table referral; --", "\u202e", "x" * 500, "HG-%"):
        assert client.get("/spa/", query_string={"q": term}).status_code == 200
