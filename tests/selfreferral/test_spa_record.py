"""SPA staff act on what they are told: the whole contact window, warnings before a call against it, no
preselected choices, errors that keep what was typed, closed referrals left alone, attempts on different days."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.core.audit import AuditEvent
from app.selfreferral.models import ContactAttempt

LONDON = ZoneInfo("Europe/London")
NO_CALLS = {"contact": {"methods": ["text", "email"], "best_days": ["1", "3"], "best_times": ["morning"],
                        "not_before": "10:00", "not_after": "", "leave_message": "yes"},
            "language": {"preferred_language": "bn", "interpreter": "yes", "access_needs": "Large print, please"}}


def _record(client, referral, html_page):
    return html_page(client.get(f"/spa/referrals/{referral.reference}"))


def _attempts(db, referral):
    return db.session.execute(select(ContactAttempt).where(ContactAttempt.referral_id == referral.id)).scalars().all()


def test_the_record_shows_the_whole_contact_window(client, make_referral, spa_user, login, html_page):
    referral = make_referral(NO_CALLS)
    login(spa_user)
    page = _record(client, referral, html_page)
    wishes = page.text("dl[aria-labelledby=wishes-title]")
    for wanted in ("Text message, Email", "No phone calls.", "Tuesday, Thursday", "Morning",
                   "Do not call before 10:00.", "A message may be left.", "Large print, please", "07700 900982",
                   "amina@example.org"):
        assert wanted in wishes, wanted
    # Nothing is chosen for staff: no "Phone call" waiting to be sent with one click.
    for select_id in ("method", "result", "team", "organisation"):
        chosen = page.select_one(f"select#{select_id} option[selected]")
        first = page.select(f"select#{select_id} option")[0]
        assert chosen is None and first["value"] == "" and first.get_text() == "Choose…", select_id


def test_a_call_to_someone_who_said_no_calls_needs_confirming(client, db, make_referral, spa_user, login,
                                                              html_page, in_window):
    referral = make_referral(NO_CALLS)
    login(spa_user)
    url = f"/spa/referrals/{referral.reference}/contact"
    typed = {"method": "phone", "result": "no_answer", "note": "Tried the mobile"}
    page = html_page(client.post(url, data=typed))
    assert page.status_code == 400 and page.heading.startswith(referral.reference)  # the record again
    assert "They said no phone calls." in page.text(".govuk-error-summary")
    assert page.select_one(".govuk-error-summary a")["href"] == "#anyway"
    assert page.select_one("#anyway")["type"] == "checkbox"
    assert page.select_one("#note")["value"] == "Tried the mobile"
    assert page.select_one("#method option[selected]")["value"] == "phone"
    assert _attempts(db, referral) == []
    assert client.post(url, data={**typed, "anyway": "yes"}).status_code == 302
    assert [(a.method, a.note) for a in _attempts(db, referral)] == [("phone", "Tried the mobile")]
    detail = db.session.execute(select(AuditEvent.detail).where(AuditEvent.action == "contact")).scalar_one()
    assert "against_wishes=yes" in detail and "mobile" not in detail
    # A text, which they agreed to, inside their window: no warning.
    assert client.post(url, data={"method": "text", "result": "left_message"}).status_code == 302


@pytest.mark.parametrize("local, warning", [
    (datetime(2026, 12, 2, 10, 30), "They asked to be contacted on Tuesday, Thursday only; it is Wednesday now."),
    (datetime(2026, 12, 1, 9, 30), "They asked not to be contacted before 10:00; it is 09:30 now."),
    (datetime(2026, 12, 1, 14, 0), "They asked to be contacted in the morning only; it is 14:00 now."),
    (datetime(2026, 12, 1, 17, 45), "They asked not to be contacted after 17:30; it is 17:45 now."),
    (datetime(2026, 12, 1, 10, 30), None),
    # Borough time, not UTC: 09:30 UTC in June is 10:30 in London, inside the window.
    (datetime(2027, 6, 1, 10, 30), None),
])
def test_a_call_outside_their_window_warns(client, db, make_referral, spa_user, login, html_page, frozen_clock,
                                           local, warning):
    referral = make_referral()  # phone or email; Tuesday or Thursday mornings, 10:00 to 17:30
    login(spa_user)
    frozen_clock(local.replace(tzinfo=LONDON))
    response = client.post(f"/spa/referrals/{referral.reference}/contact",
                           data={"method": "phone", "result": "no_answer"})
    if warning is None:
        assert response.status_code == 302
    else:
        page = html_page(response)
        assert response.status_code == 400 and warning in page.text(".govuk-error-summary")
        assert _attempts(db, referral) == []


def test_contact_by_a_way_they_did_not_choose_warns(app, make_referral, in_window):
    from app.selfreferral import contact_wishes
    referral = make_referral(NO_CALLS)
    with app.test_request_context():
        assert contact_wishes.warnings(referral, "letter") == ["They did not agree to be contacted by letter."]
        assert contact_wishes.warnings(referral, "in_person") == []


@pytest.mark.parametrize("path, data, field, message, kept", [
    ("assign", {"team": ""}, "team", "Choose a team from the list", None),
    ("share", {"organisation": "", "reason": "Weekly befriending"}, "organisation",
     "Choose the partner organisation", ("#share-reason", "Weekly befriending")),
    ("share", {"organisation": "ORG", "reason": " "}, "share-reason", "Say why you are sharing it", None),
    ("contact", {"method": "", "result": "no_answer", "note": "Rang twice"}, "method",
     "Choose how you tried to make contact", ("#note", "Rang twice")),
    ("triage", {"reason": "Low mood, rent arrears"}, "colour", "Choose red, amber or green",
     ("#reason", "Low mood, rent arrears")),
    ("close", {"outcome": "signposted"}, "detail", "Say where the person was signposted or referred to", None),
])
def test_a_refused_action_stays_on_the_record_with_what_was_typed(client, db, build, make_referral, spa_user, login,
                                                                  html_page, in_window, path, data, field,
                                                                  message, kept):
    referral = make_referral()
    organisation = build.organisation(name="Fairfield Befrienders")
    data = {k: str(organisation.id) if v == "ORG" else v for k, v in data.items()}
    login(spa_user)
    page = html_page(client.post(f"/spa/referrals/{referral.reference}/{path}", data=data))
    assert page.status_code == 400 and page.heading.startswith(referral.reference)
    assert page.title.startswith("Error:")
    link = page.select_one(".govuk-error-summary a")
    assert message in link.get_text()
    assert page.select_one(link["href"]) is not None  # the link lands on the field
    assert message in " ".join(page.error_messages)
    if kept:
        selector, text = kept
        element = page.select_one(selector)
        assert (element.get("value") or element.get_text()) == text


def test_the_refusal_is_translated(client, make_referral, spa_user, login, html_page):
    referral = make_referral()
    login(spa_user)
    client.get("/?lang=ar")
    page = html_page(client.post(f"/spa/referrals/{referral.reference}/assign", data={"team": ""}))
    assert page.status_code == 400
    assert "Choose a team from the list" not in page.text(".govuk-error-summary")
    assert any("\u0600" <= ch <= "\u06ff" for ch in page.text(".govuk-error-summary"))


def test_a_closed_referral_shows_no_action_forms_and_refuses_them(client, db, build, make_referral, spa_user, login,
                                                                  html_page, in_window):
    referral = make_referral(status="closed", outcome="supported")
    organisation = build.organisation()
    login(spa_user)
    page = _record(client, referral, html_page)
    actions = {form["action"].rsplit("/", 1)[-1] for form in page.select("main form")}
    assert actions == {"reopen"}
    for path, data in (("triage", {"colour": "red", "reason": "x"}), ("assign", {"team": "Psychology"}),
                       ("contact", {"method": "email", "result": "no_answer"}),
                       ("share", {"organisation": organisation.id, "reason": "x"}), ("update", {"method": "email"})):
        page = html_page(client.post(f"/spa/referrals/{referral.reference}/{path}", data=data))
        assert page.status_code == 400, path
        assert "This referral is closed" in page.text(".govuk-error-summary"), path
    db.session.refresh(referral)
    assert referral.colour is None and referral.team == "" and referral.shares == [] and _attempts(db, referral) == []


def test_could_not_contact_needs_attempts_on_different_days(app, client, db, make_referral, spa_user, login,
                                                           html_page, frozen_clock):
    referral = make_referral({"contact": {"best_days": [], "best_times": [], "not_before": "", "not_after": ""}})
    login(spa_user)
    base = f"/spa/referrals/{referral.reference}"
    tuesday = datetime(2026, 12, 1, 11, 0, tzinfo=LONDON)
    frozen_clock(tuesday)
    for _ in range(3):  # three in the same minute
        client.post(f"{base}/contact", data={"method": "phone", "result": "no_answer"})
    page = html_page(client.post(f"{base}/close", data={"outcome": "could_not_contact"}))
    assert page.status_code == 400
    assert "at least 3 different days" in page.text(".govuk-error-summary")
    frozen_clock(tuesday + timedelta(days=1))
    client.post(f"{base}/contact", data={"method": "phone", "result": "no_answer"})
    assert html_page(client.post(f"{base}/close", data={"outcome": "could_not_contact"})).status_code == 400
    frozen_clock(tuesday + timedelta(days=3))
    client.post(f"{base}/contact", data={"method": "email", "result": "no_answer"})
    assert client.post(f"{base}/close", data={"outcome": "could_not_contact"}).status_code == 302
    db.session.refresh(referral)
    assert referral.outcome == "could_not_contact"


def test_the_number_of_days_is_a_setting(app, client, db, make_referral, spa_user, login, in_window, monkeypatch):
    monkeypatch.setitem(app.config, "SPA_CONTACT_ATTEMPT_DAYS", 1)
    referral = make_referral()
    login(spa_user)
    base = f"/spa/referrals/{referral.reference}"
    assert client.post(f"{base}/close", data={"outcome": "could_not_contact"}).status_code == 400
    client.post(f"{base}/contact", data={"method": "phone", "result": "no_answer"})
    assert client.post(f"{base}/close", data={"outcome": "could_not_contact"}).status_code == 302


def test_languages_show_by_name_in_the_interface_language(client, make_referral, spa_user, login, html_page):
    referral = make_referral()  # preferred language: bn (Babel calls it Bangla), with an interpreter
    login(spa_user)
    page = _record(client, referral, html_page)
    assert "Bangla" in page.text("main dl") and "Needs an interpreter" in page.text("main dl")
    client.post(f"/spa/referrals/{referral.reference}/update", data={"method": "phone"})
    assert "Phone call (Bangla)" in _record(client, referral, html_page).text("section[aria-labelledby=updates-title]")
    client.get("/?lang=es")
    assert "bengalí" in _record(client, referral, html_page).text("main dl")


def test_a_text_message_task_suggests_kind_plain_words(client, make_referral, spa_user, login, html_page):
    referral = make_referral({"contact": {"methods": ["text"], "email": ""},
                              "language": {"preferred_language": "en", "interpreter": "no"}})
    login(spa_user)
    client.post(f"/spa/referrals/{referral.reference}/update", data={"method": "text"})
    suggested = _record(client, referral, html_page).text("section[aria-labelledby=updates-title] .govuk-inset-text")
    assert suggested.startswith("Suggested text to send: Hello Amina,")
    assert referral.reference in suggested and "You have not been forgotten" in suggested
    for clinical in ("low", "rent", "Bengali", "Money"):  # nothing from their answers but the name
        assert clinical not in suggested


def test_the_record_header_and_inbox_show_name_age_and_language(client, make_referral, spa_user, login, html_page,
                                                               frozen_clock):
    frozen_clock(datetime(2026, 12, 1, 12, 0, tzinfo=LONDON))
    referral = make_referral()  # born 4 July 1988: 38
    login(spa_user)
    header = _record(client, referral, html_page).text("main dl")
    assert "Amina Example" in header and "Age 38" in header and "Bangla" in header
    row = html_page(client.get("/spa/")).text("table.hg-inbox tbody tr")
    assert "Amina Example, 38" in row and "Bangla" in row and "Interpreter" in row
