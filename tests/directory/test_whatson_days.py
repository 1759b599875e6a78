"""What's on: jumping to a day, paging by ISO week, sessions already over today, and all-day sessions."""
import re
from datetime import datetime, timedelta

import pytest

from app.directory import opening
from app.directory.public.whatson import week_agenda

NOW = datetime(2026, 11, 27, 13, 0)  # Friday 27 November 2026, 1pm (GMT: UTC is the borough's time); ISO 2026-W48
FRI = NOW.date()


@pytest.fixture
def frozen(frozen_clock):
    return frozen_clock(NOW)


def test_sessions_that_ended_earlier_today_are_left_out(frozen, build):
    build.service(name="Breakfast club", weekly=[(4, "08:00", "09:00")])
    build.service(name="Ends at one", weekly=[(4, "11:00", "13:00")])
    build.service(name="Lunch drop-in", weekly=[(4, "12:00", "14:00")])
    build.service(name="Night cafe", weekly=[(4, "22:00", "02:00")])
    build.service(name="Crisis line", weekly=[(d, "00:00", "00:00") for d in range(7)])
    agenda = week_agenda(FRI, now=NOW)
    assert [item.service.name for item in agenda[0].items] == ["Crisis line", "Lunch drop-in", "Night cafe"]
    next_friday = week_agenda(FRI + timedelta(days=7), now=NOW)[0]
    assert "Breakfast club" in [item.service.name for item in next_friday.items]  # only today's is over
    assert len(week_agenda(FRI)[0].items) == 5  # without a clock, nothing is hidden


def test_the_page_hides_ended_sessions_using_the_sites_clock(frozen, client, build):
    build.service(name="Breakfast club", weekly=[(4, "08:00", "09:00"), (5, "08:00", "09:00")])
    body = client.get("/whats-on/").get_data(as_text=True)
    today = body.split('id="day-1"', 1)[1].split("</section>", 1)[0]
    tomorrow = body.split('id="day-2"', 1)[1].split("</section>", 1)[0]
    assert "Breakfast club" not in today and "Breakfast club" in tomorrow


def test_jump_to_day_links_go_to_each_days_heading(frozen, client, build):
    build.service(name="Friday group", weekly=[(4, "15:00", "16:00")])
    body = client.get("/whats-on/").get_data(as_text=True)
    nav = body.split('aria-labelledby="jump-to-day"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'href="#(day-[0-9]+)">([^<]+)</a>', nav)
    assert [text for _id, text in links][:2] == ["Friday 27 November", "Saturday 28 November"] and len(links) == 7
    for anchor, text in links:
        assert re.search(rf'<h2 class="govuk-heading-m" id="{anchor}">', body)
        assert text in body.split(f'id="{anchor}">', 1)[1].split("</h2>", 1)[0]
    assert "(1 session or event)" in nav and "(0 sessions or events)" in nav


@pytest.mark.parametrize("week, first_day", [
    ("2026-W48", "Friday 27 November"), ("2026-W49", "Friday 4 December"), ("2026-W50", "Friday 11 December"),
    ("2025-W01", "Friday 27 November"),  # the past: this week
    ("2027-W30", "Friday 25 December"),  # too far ahead: the last week offered
    ("2026-W53", "Friday 25 December"), ("2027-W53", "Friday 27 November"),  # 2027 has no week 53
    ("2026-W00", "Friday 27 November"), ("9999-W99", "Friday 27 November"), ("2026-w49", "Friday 27 November"),
])
def test_an_iso_week_can_be_asked_for_and_is_kept_in_bounds(frozen, client, build, week, first_day):
    response = client.get("/whats-on/", query_string={"week": week})
    assert response.status_code == 200
    assert response.get_data(as_text=True).split('id="day-1"', 1)[1].split("</h2>", 1)[0].strip().endswith(first_day)


def test_an_all_day_session_reads_open_24_hours_not_until_midnight(frozen, client, build):
    service = build.service(name="Crisis line", weekly=[(d, "00:00", "00:00") for d in range(7)])
    status = opening.status(service.schedules, NOW)
    assert status["open"] and status["all_day"]
    assert not opening.status(build.service(weekly=[(4, "12:00", "00:00")]).schedules, NOW)["all_day"]
    body = client.get(f"/services/{service.slug}").get_data(as_text=True)
    assert "Open 24 hours" in body and "until midnight" not in body
    whats_on = client.get("/whats-on/").get_data(as_text=True)
    assert "Open 24 hours" in whats_on and "until midnight" not in whats_on
