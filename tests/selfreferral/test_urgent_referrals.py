"""A referral from someone who is not safe right now: the duty inbox hears at once, the confirmation is honest about
when the team will look, and the SPA inbox flags it until it is triaged."""
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.selfreferral import duty
from app.selfreferral.models import Referral
from tests.conftest import HtmlPage

# Tuesday 1 December 2026, 10:00 in London (GMT): the team is working.
IN_HOURS = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
# Saturday 5 December 2026, 22:00: nobody reads referrals until Monday morning.
SATURDAY_NIGHT = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
PERSONAL = ("Amina", "07700", "amina@example.org", "Oak Road", "behind on rent", "1988", "NW5")


def _send_not_safe(client, refer, journey_token, route="self"):
    refer({"safety": {"safe": "no"}, "who": {"route": route}})
    response = client.post("/refer/send", data={"journey": journey_token()})
    assert response.headers["Location"] == "/refer/sent"
    return HtmlPage(client.get("/refer/sent"))


def test_a_not_safe_referral_emails_the_duty_inbox_with_no_personal_data(app, client, db, refer, journey_token,
                                                                          smtp_server, frozen_clock):
    frozen_clock(IN_HOURS)
    _send_not_safe(client, refer, journey_token)
    referral = db.session.execute(select(Referral)).scalar_one()
    alerts = [m for m in smtp_server if m["To"] == app.config["SPA_DUTY_EMAIL"]]
    assert len(alerts) == 1
    body = alerts[0].get_payload(decode=True).decode()
    assert referral.reference in alerts[0]["Subject"] and referral.reference in body
    assert f"http://localhost/spa/referrals/{referral.reference}" in body
    for secret in PERSONAL:
        assert secret not in body and secret not in alerts[0]["Subject"]


def test_a_safe_referral_alerts_no_one(app, client, refer, journey_token, smtp_server):
    refer()
    client.post("/refer/send", data={"journey": journey_token()})
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]


def test_without_a_duty_address_the_referral_is_still_stored(app, client, db, refer, journey_token, smtp_server,
                                                             caplog):
    app.config["SPA_DUTY_EMAIL"] = ""
    try:
        _send_not_safe(client, refer, journey_token)
    finally:
        app.config["SPA_DUTY_EMAIL"] = "spa-duty@hidden-gems.example"
    assert db.session.execute(select(Referral)).scalar_one().not_safe
    assert [m["To"] for m in smtp_server] == ["amina@example.org"]
    assert "SPA_DUTY_EMAIL is not set" in caplog.text and "HG-" not in caplog.text


def test_in_hours_the_confirmation_says_today_and_nothing_about_the_usual_wait(client, refer, journey_token,
                                                                               frozen_clock):
    frozen_clock(IN_HOURS)
    page = _send_not_safe(client, refer, journey_token)
    said = page.text("#team-hours")
    assert "You told us you are not safe right now." in said and "We will look at this referral today." in said
    main = page.text("main")
    assert "usually hear from us" not in main and "10 working days" not in main
    assert page.select_one("#urgent-now") is None


def test_out_of_hours_the_confirmation_says_when_the_team_next_looks(client, refer, journey_token, frozen_clock):
    frozen_clock(SATURDAY_NIGHT)
    page = _send_not_safe(client, refer, journey_token)
    said = page.text("#team-hours").replace(" .", ".")  # the time is its own (left-to-right) element
    assert "The team will next look at referrals on Monday 7 December from 09:00." in said
    assert "today" not in said
    numbers = page.text("#urgent-now")
    for number in ("999", "NHS 111 and choose option 2", "116 123"):
        assert number in numbers
    assert "usually hear from us" not in page.text("main")


def test_a_helper_is_told_about_the_person(client, refer, journey_token, frozen_clock):
    frozen_clock(SATURDAY_NIGHT)
    page = _send_not_safe(client, refer, journey_token, route="worker")
    said = page.text("#team-hours")
    assert "You told us the person is not safe right now." in said and "If they are in danger" in said
    assert "We will contact them in the way" in page.text("main")


def test_a_safe_referral_gives_the_usual_wait(client, refer, journey_token):
    refer()
    client.post("/refer/send", data={"journey": journey_token()})
    page = HtmlPage(client.get("/refer/sent"))
    assert page.select_one("#team-hours") is None
    assert "10 working days" in page.text("main") and "We will contact you in the way" in page.text("main")


def test_the_urgent_help_page_is_honest_about_hours(client, refer, frozen_clock):
    frozen_clock(SATURDAY_NIGHT)
    refer({"safety": {"safe": "no"}}, stop_before="about")
    said = HtmlPage(client.get("/refer/urgent")).text("#team-hours")
    assert "Monday 7 December" in said and "today" not in said
    frozen_clock(IN_HOURS)
    assert "We will look at it today" in HtmlPage(client.get("/refer/urgent")).text("#team-hours")


def test_the_copy_emailed_to_the_person_agrees_with_the_page(client, refer, journey_token, smtp_server,
                                                             frozen_clock):
    frozen_clock(SATURDAY_NIGHT)
    _send_not_safe(client, refer, journey_token)
    copy = next(m for m in smtp_server if m["To"] == "amina@example.org").get_payload(decode=True).decode()
    assert "The team will next look at referrals on Monday 7 December from 09:00." in copy
    assert "10 working days" not in copy


def test_the_inbox_flags_urgent_referrals_until_they_are_triaged(client, db, make_referral, spa_user, login):
    make_referral(colour="green", status="triaged")
    unsafe = make_referral({"safety": {"safe": "no"}})
    login(spa_user)
    page = HtmlPage(client.get("/spa/"))
    flag = page.select_one("#urgent-referrals")
    assert "1 urgent referral not yet triaged" in page.text("#urgent-referrals")
    assert [a["href"] for a in flag.select("a")] == [f"/spa/referrals/{unsafe.reference}"]
    body = str(page.soup)
    assert body.index("urgent-referrals") < body.index("hg-inbox")  # at the top, above the list
    rows = page.texts("table.hg-inbox tbody tr")
    assert unsafe.reference in rows[0] and "Not safe" in rows[0]
    client.post(f"/spa/referrals/{unsafe.reference}/triage", data={"colour": "red", "reason": "Called 999 with them"})
    assert HtmlPage(client.get("/spa/")).select_one("#urgent-referrals") is None


def test_two_urgent_referrals_are_counted_in_the_plural(client, make_referral, spa_user, login):
    first, second = make_referral({"safety": {"safe": "no"}}), make_referral({"safety": {"safe": "no"}})
    login(spa_user)
    page = HtmlPage(client.get("/spa/"))
    assert "2 urgent referrals not yet triaged" in page.text("#urgent-referrals")
    assert {a["href"].rsplit("/", 1)[1] for a in page.select("#urgent-referrals a")} == {first.reference,
                                                                                        second.reference}


# The timetable and the closed days

def _local(*parts):
    return datetime(*parts)


@pytest.mark.parametrize("at, expected", [
    (_local(2026, 12, 1, 8, 59), _local(2026, 12, 1, 9, 0)),  # early: later the same day
    (_local(2026, 12, 1, 17, 0), _local(2026, 12, 2, 9, 0)),  # closing time: tomorrow
    (_local(2026, 12, 4, 18, 0), _local(2026, 12, 7, 9, 0)),  # Friday evening: Monday
    (_local(2026, 12, 24, 18, 0), _local(2026, 12, 29, 9, 0)),  # Christmas Day and the Boxing Day substitute
    (_local(2027, 3, 25, 18, 0), _local(2027, 3, 30, 9, 0)),  # Easter 2027
])
def test_next_opening_skips_evenings_weekends_and_bank_holidays(app, at, expected):
    assert not duty.is_open(at)
    assert duty.next_opening(at) == expected


def test_open_during_the_working_day_but_not_on_a_bank_holiday(app):
    assert duty.is_open(_local(2026, 12, 1, 9, 0)) and duty.is_open(_local(2026, 12, 1, 16, 59))
    assert not duty.is_open(_local(2026, 12, 25, 11, 0)) and not duty.is_open(_local(2026, 12, 5, 11, 0))


def test_the_timetable_and_closed_days_are_settings(app, tmp_path):
    closed = tmp_path / "closed.json"
    closed.write_text(json.dumps(["2026-12-02"]))
    old = app.config["SPA_OPENING_HOURS"], app.config["SPA_CLOSED_DAYS_FILE"]
    app.config.update(SPA_OPENING_HOURS="mon-thu 08:30-18:00; fri 09:00-13:00; sat 10:00-12:00",
                      SPA_CLOSED_DAYS_FILE=str(closed))
    try:
        assert duty.next_opening(_local(2026, 12, 1, 18, 0)) == _local(2026, 12, 3, 8, 30)
        assert duty.next_opening(_local(2026, 12, 4, 13, 0)) == _local(2026, 12, 5, 10, 0)
        assert duty.is_open(_local(2026, 12, 25, 11, 0))  # Christmas is not in this file
    finally:
        app.config["SPA_OPENING_HOURS"], app.config["SPA_CLOSED_DAYS_FILE"] = old


@pytest.mark.parametrize("spec", ["mon-fri 9-5", "monday 09:00-17:00", "mon-fri 17:00-09:00", "mon-fri 25:00-26:00"])
def test_unreadable_opening_hours_are_refused_with_a_reason(spec):
    with pytest.raises(duty.HoursError, match="opening hours|times"):
        duty.parse_hours(spec)


def test_the_shipped_bank_holidays_cover_2026_to_2028(app):
    with open(app.config["SPA_CLOSED_DAYS_FILE"], encoding="utf-8") as handle:
        dates = json.load(handle)["dates"]
    years = {}
    for day in dates:
        years.setdefault(day[:4], []).append(day)
    assert {year: len(days) for year, days in years.items()} == {"2026": 8, "2027": 8, "2028": 8}
    assert {"2026-12-28", "2027-12-27", "2027-12-28", "2028-01-03"} <= set(dates)  # substitute days


@pytest.mark.parametrize("setting", [{"SPA_OPENING_HOURS": "weekdays 9 to 5"},
                                     {"SPA_CLOSED_DAYS_FILE": "/nonexistent/closed.json"}])
def test_unreadable_hours_stop_the_site_starting_rather_than_an_urgent_page(tmp_path, setting):
    from app import create_app
    from tests.conftest import _test_config
    with pytest.raises(duty.HoursError):
        create_app({**_test_config(tmp_path), **setting})
