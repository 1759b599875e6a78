"""What's on: a week of sessions and one-off events, with a frozen clock."""
import re
from datetime import datetime, time, timedelta

import pytest

from app.directory.models import Schedule
from app.directory.public.whatson import week_agenda

# 2026-11-27 is a Friday, so the week shown runs Friday 27 November to Thursday 3 December.
NOW = datetime(2026, 11, 27, 9, 0)
FRI, SAT, SUN, MON, TUE, WED, THU = (NOW.date() + timedelta(days=i) for i in range(7))


@pytest.fixture
def frozen(frozen_clock):
    return frozen_clock(NOW)  # GMT in November: UTC is the borough's local time


def names_by_day(agenda):
    return {day.date: [item.service.name for item in day.items] for day in agenda}


def day_section(body, day):
    """The HTML of one day's section on the page."""
    heading = f"{day:%A} {day.day} {day:%B}"
    sections = [part.split("</section>")[0] for part in body.split("<section")[1:]]
    return next(section for section in sections if heading in section.split("</h2>")[0])


def test_weekly_sessions_appear_on_their_weekdays_within_the_seven_days(frozen, build):
    build.service(name="Tuesday walk", weekly=[(1, "10:00", "12:00")])
    build.service(name="Friday chat", weekly=[(4, "18:00", "19:00")])
    agenda = week_agenda(FRI)
    assert [day.date for day in agenda] == [FRI, SAT, SUN, MON, TUE, WED, THU]
    by_day = names_by_day(agenda)
    assert by_day[TUE] == ["Tuesday walk"]
    assert by_day[FRI] == ["Friday chat"]  # today counts, and the next Friday is outside the 7 days
    assert all(not by_day[d] for d in (SAT, SUN, MON, WED, THU))
    item = agenda[4].items[0]
    assert item.kind == "weekly" and not item.one_off
    assert (item.opens.hour, item.closes.hour) == (10, 12)
    assert not item.past_midnight and not item.all_day


def test_events_appear_only_on_their_date(frozen, build):
    build.service(name="Open day", events=[(SUN, "14:00", "16:00", "Garden open day"),
                                           (FRI - timedelta(days=1), "14:00", "16:00", "Yesterday's fair"),
                                           (FRI + timedelta(days=7), "14:00", "16:00", "Next week's fair")])
    agenda = week_agenda(FRI)
    by_day = names_by_day(agenda)
    assert by_day[SUN] == ["Open day"]
    assert sum(len(names) for names in by_day.values()) == 1
    item = agenda[2].items[0]
    assert item.kind == "event" and item.one_off and item.title == "Garden open day"
    next_week = week_agenda(FRI + timedelta(days=7))
    assert [item.title for item in next_week[0].items] == ["Next week's fair"]


def test_items_are_sorted_by_start_time_then_name(frozen, build):
    build.service(name="Zebra club", weekly=[(4, "10:00", "11:00")])
    build.service(name="apple group", weekly=[(4, "10:00", "12:00")])
    build.service(name="Early bird", weekly=[(4, "08:00", "09:00")])
    build.service(name="Fair", events=[(FRI, "09:30", "10:30", "Craft fair")])
    assert names_by_day(week_agenda(FRI))[FRI] == ["Early bird", "Fair", "apple group", "Zebra club"]


def test_past_midnight_and_all_day_sessions_are_flagged(frozen, build):
    build.service(name="Night cafe", weekly=[(5, "22:00", "02:00")])
    build.service(name="Crisis line", weekly=[(d, "00:00", "00:00") for d in range(7)])
    agenda = week_agenda(FRI)
    saturday = {item.service.name: item for item in agenda[1].items}
    assert saturday["Night cafe"].past_midnight and not saturday["Night cafe"].all_day
    assert saturday["Crisis line"].all_day and not saturday["Crisis line"].past_midnight
    assert [item.service.name for item in agenda[2].items] == ["Crisis line"]  # listed on the day it starts
    assert all(len(day.items) >= 1 for day in agenda)


def test_weekly_sessions_respect_valid_from_and_valid_to(frozen, build, db):
    service = build.service(name="Autumn term", weekly=[(0, "10:00", "11:00"), (2, "10:00", "11:00"),
                                                        (3, "10:00", "11:00")])
    monday, wednesday, thursday = sorted(service.weekly_sessions, key=lambda s: s.weekday)
    monday.valid_to = MON - timedelta(days=1)       # ended last Sunday
    wednesday.valid_from = WED + timedelta(days=1)  # starts the day after
    thursday.valid_from, thursday.valid_to = THU, THU
    db.session.commit()
    by_day = names_by_day(week_agenda(FRI))
    assert by_day[MON] == [] and by_day[WED] == []
    assert by_day[THU] == ["Autumn term"]


def test_place_is_the_sessions_location_then_the_listings_then_online(frozen, build, db):
    org = build.organisation()
    hall = build.location(org, name="Main Hall")
    park = build.location(org, name="Park Gate", postcode="NW3 1AA")
    walk = build.service(name="Walk", organisation=org, location=hall, weekly=[(4, "10:00", "11:00")])
    walk.schedules.append(Schedule(kind="weekly", weekday=4, opens_at=time(12), closes_at=time(13),
                                   location=park, note="Meet at the gate"))
    db.session.commit()
    build.service(name="Phone line", location=False, weekly=[(4, "14:00", "15:00")])
    friday = week_agenda(FRI)[0].items
    assert [(item.service.name, item.place.name if item.place else None) for item in friday] == [
        ("Walk", "Main Hall"), ("Walk", "Park Gate"), ("Phone line", None)]
    assert friday[1].title == "Meet at the gate"
    assert friday[2].online


def test_drafts_and_archived_listings_never_appear(frozen, build):
    build.service(name="Shown", weekly=[(4, "10:00", "11:00")])
    build.service(name="Draft group", status="draft", weekly=[(4, "10:00", "11:00")],
                  events=[(SAT, "10:00", "11:00", "Draft event")])
    build.service(name="Archived group", status="archived", weekly=[(d, "00:00", "00:00") for d in range(7)])
    assert [name for names in names_by_day(week_agenda(FRI)).values() for name in names] == ["Shown"]


def test_neighbourhood_and_category_filters(frozen, build):
    org = build.organisation()
    north_west = build.location(org, postcode="NW3 1AA")
    kentish = build.location(org, postcode="NW5 2AB")
    build.service(name="NW walk", organisation=org, location=north_west, categories=("active-walking",),
                  weekly=[(4, "10:00", "11:00")])
    build.service(name="KT yoga", organisation=org, location=kentish, categories=("active-yoga",),
                  weekly=[(4, "11:00", "12:00")])
    build.service(name="KT debt", organisation=org, location=kentish, categories=("money-debt",),
                  events=[(FRI, "12:00", "13:00", "Debt clinic")])
    build.service(name="Online chat", location=False, categories=("talk-befriending",),
                  weekly=[(4, "13:00", "14:00")])

    def friday(**filters):
        return names_by_day(week_agenda(FRI, **filters))[FRI]

    assert friday() == ["NW walk", "KT yoga", "KT debt", "Online chat"]
    assert friday(neighbourhood="north-west") == ["NW walk"]
    assert friday(neighbourhood="kentish-town") == ["KT yoga", "KT debt"]
    assert friday(category="active") == ["NW walk", "KT yoga"]  # a top-level code includes its subcategories
    assert friday(category="active-yoga") == ["KT yoga"]
    assert friday(category="active", neighbourhood="kentish-town") == ["KT yoga"]
    assert friday(neighbourhood="south") == []
    assert friday(category="no-such-category") == []


def test_page_lists_each_day_with_times_labels_and_places(frozen, client, build, db):
    org = build.organisation(name="Friends of the Heath")
    walk = build.service(name="Heath walk", organisation=org, weekly=[(1, "10:00", "12:00")])
    walk.schedules[0].note = "Bring boots"
    db.session.commit()
    night = build.service(name="Night cafe", weekly=[(5, "22:00", "02:00")])
    build.service(name="Crisis line", location=False, weekly=[(6, "00:00", "00:00")])
    fair = build.service(name="Open house", events=[(MON, "14:00", "16:00", "Winter fair")])
    build.service(name="Draft thing", status="draft", weekly=[(d, "09:00", "10:00") for d in range(7)])
    response = client.get("/whats-on/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>\s*What's on this week\s*</h1>", body)
    assert '<select class="govuk-select hg-select" id="neighbourhood" name="neighbourhood">' in body
    assert '<label class="govuk-label govuk-label--s" for="category">' in body
    assert 'type="submit"' in body
    assert "Draft thing" not in body

    tuesday = day_section(body, TUE)
    assert "Tuesday 1 December" in tuesday
    assert f'href="/services/{walk.slug}"' in tuesday
    assert "10:00" in tuesday and "12:00" in tuesday
    assert "Friends of the Heath" in tuesday and "Bring boots" in tuesday
    assert "Test Hall" in tuesday and "NW5 2AB" in tuesday and "Kentish Town" in tuesday
    assert "One-off" not in tuesday

    saturday = day_section(body, SAT)
    assert f'href="/services/{night.slug}"' in saturday and "(the next day)" in saturday
    sunday = day_section(body, SUN)
    assert "Crisis line" in sunday and "Open 24 hours" in sunday and "Online or by phone" in sunday
    monday = day_section(body, MON)
    assert f'href="/services/{fair.slug}"' in monday and "Winter fair" in monday
    assert '<strong class="govuk-tag govuk-tag--blue">One-off</strong>' in monday

    assert "Nothing is on this day." in day_section(body, WED)
    assert "Nothing is on this day." in day_section(body, FRI)
    assert re.search(r'<span class="govuk-caption-m">Today</span>\s*Friday 27 November', body)
    assert re.search(r'<span class="govuk-caption-m">Tomorrow</span>\s*Saturday 28 November', body)
    assert 'href="/whats-on/?week=1"' in body and "Next week" in body
    assert "Previous week" not in body


def test_page_filters_by_neighbourhood_and_category(frozen, client, build):
    org = build.organisation()
    build.service(name="Heath walk", organisation=org, location=build.location(org, postcode="NW3 1AA"),
                  categories=("active-walking",), weekly=[(4, "10:00", "11:00")])
    build.service(name="Debt clinic", categories=("money-debt",), weekly=[(4, "12:00", "13:00")])
    body = client.get("/whats-on/?neighbourhood=north-west").get_data(as_text=True)
    assert "Heath walk" in body and "Debt clinic" not in body
    assert '<option value="north-west" selected>' in body
    body = client.get("/whats-on/?category=money").get_data(as_text=True)
    assert "Debt clinic" in body and "Heath walk" not in body
    assert '<option value="money" selected>' in body
    body = client.get("/whats-on/?category=active&neighbourhood=kentish-town").get_data(as_text=True)
    assert "Heath walk" not in body and "Debt clinic" not in body
    assert "Nothing matching your filters is on this day." in body


@pytest.mark.parametrize("query", [
    "neighbourhood=atlantis", "category=%3Cscript%3E", "category=" + "x" * 500, "week=abc", "week=-1", "week=5",
    "week=99999999999999999999", "week=1.5", "week=%01",  # a NUL byte is a 400 (tests/test_hostile_input.py)
    "neighbourhood=&category=&week=",
    "neighbourhood=south&neighbourhood=north-west&category=food&category=money&week=1&week=2",
])
def test_bad_parameters_are_ignored_not_errors(frozen, client, build, query):
    build.service(name="Friday group", weekly=[(4, "10:00", "11:00")])
    response = client.get(f"/whats-on/?{query}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>" not in body


@pytest.mark.parametrize("query", ["neighbourhood=atlantis", "category=nope", "week=abc", "week=-1", "week=5"])
def test_unknown_values_fall_back_to_the_whole_of_this_week(frozen, client, build, query):
    build.service(name="Friday group", weekly=[(4, "10:00", "11:00")])
    body = client.get(f"/whats-on/?{query}").get_data(as_text=True)
    assert "What's on this week" in body and "Friday group" in body and "Friday 27 November" in body


def test_week_offset_moves_the_seven_days_and_links_back_and_forth(frozen, client, build):
    build.service(name="Fair", events=[(FRI + timedelta(days=14), "10:00", "12:00", "Winter fair")])
    build.service(name="Tuesday walk", categories=("active-walking",), weekly=[(1, "10:00", "12:00")])
    this_week = client.get("/whats-on/").get_data(as_text=True)
    assert "Winter fair" not in this_week and "Tuesday 1 December" in this_week
    body = client.get("/whats-on/?week=2&category=active").get_data(as_text=True)
    assert "What's on this week" not in body and "What's on from 11 December to 17 December" in body
    assert "Friday 11 December" in body and "Thursday 17 December" in body and "Friday 27 November" not in body
    assert "Tuesday walk" in body and "Tuesday 15 December" in body
    assert "Winter fair" not in body  # the category filter still applies
    assert 'href="/whats-on/?category=active&amp;week=1"' in body
    assert 'href="/whats-on/?category=active&amp;week=3"' in body
    assert '<input type="hidden" name="week" value="2">' in body
    body = client.get("/whats-on/?week=2").get_data(as_text=True)
    assert "Winter fair" in body and "One-off" in body
    last = client.get("/whats-on/?week=4").get_data(as_text=True)
    assert "Previous week" in last and "Next week" not in last
    first = client.get("/whats-on/?week=1").get_data(as_text=True)
    assert 'href="/whats-on/"' in first and 'href="/whats-on/?week=2"' in first


def test_page_renders_right_to_left_in_arabic(frozen, client, build):
    build.service(name="Night cafe", weekly=[(4, "22:00", "02:00")])
    build.service(name="Fair", events=[(SAT, "10:00", "12:00", "Winter fair")])
    response = client.get("/whats-on/?lang=ar")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(r'<html lang="ar[^"]*" dir="rtl"', body)
    assert "Night cafe" in body and "Winter fair" in body
    assert "(في اليوم التالي)" in body  # "(the next day)", from the catalogue
    assert 'class="hg-number"' in body  # times stay left-to-right inside the right-to-left page
