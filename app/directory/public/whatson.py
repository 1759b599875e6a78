"""What's on: the sessions and one-off events of published listings, day by day for a week.

Times are the borough's local wall-clock times (see app.core.clock.local_now). A session that runs
past midnight is listed on the day it starts; one whose opening and closing times are equal
runs all day.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import Blueprint, current_app, render_template, request, url_for
from sqlalchemy import and_, or_, select

from app.core import clock
from app.core.requests import whole_number
from app.directory import taxonomy
from app.directory.listings import published_services_query
from app.directory.models import (
    Category,
    Location,
    Neighbourhood,
    Schedule,
    Service,
    ServiceAtLocation,
    service_categories,
)
from app.directory.opening import has_ended
from app.extensions import db

bp = Blueprint("whatson", __name__, url_prefix="/whats-on", template_folder="templates")

DAYS = 7
MAX_WEEKS_AHEAD = 4


@dataclass
class AgendaItem:
    service: Service
    schedule: Schedule
    kind: str  # "weekly" (any recurring session) or "event"
    title: str  # the event's title, or the session's note
    opens: time
    closes: time
    past_midnight: bool
    all_day: bool
    place: Location | None  # None when the listing runs only online or by phone

    @property
    def online(self):
        return self.place is None

    @property
    def one_off(self):
        return self.kind == "event"


@dataclass
class AgendaDay:
    date: date
    items: list = field(default_factory=list)


def category_codes(code):
    """The codes a category filter matches: a top-level code brings its subcategories along."""
    for top, _name, _description, subs in taxonomy.CATEGORIES:
        if code == top:
            return [top] + [sub for sub, _sub_name in subs]
        if any(code == sub for sub, _sub_name in subs):
            return [code]
    return []


def neighbourhood_codes():
    return [hood["code"] for hood in current_app.config["NEIGHBOURHOODS"]]


def _item(service, schedule):
    if schedule.location is not None:
        place = schedule.location
    elif not service.remote_only:
        place = service.locations[0]
    else:
        place = None
    title = (schedule.title if schedule.kind == "event" else "") or schedule.note or ""
    return AgendaItem(service=service, schedule=schedule, kind=schedule.kind, title=title,
                      opens=schedule.opens_at, closes=schedule.closes_at, past_midnight=schedule.past_midnight,
                      all_day=schedule.all_day, place=place)


def week_agenda(start_date, days=DAYS, neighbourhood=None, category=None, now=None):
    """[AgendaDay] for `days` days from start_date, each holding that day's sessions and events sorted by time.

    Only published listings appear. `neighbourhood` is a neighbourhood code matched against the
    listing's locations; `category` a category code, a top-level code including its subcategories.
    An unknown code matches nothing: callers validate what the public typed. Given `now` (local), sessions that
    have already ended are left out.
    """
    days = max(int(days), 0)
    last_date = start_date + timedelta(days=days - 1)
    agenda = [AgendaDay(start_date + timedelta(days=offset)) for offset in range(days)]
    if not agenda:
        return agenda
    by_date = {day.date: day for day in agenda}
    for service in db.session.execute(_listings_query(start_date, last_date, neighbourhood, category)).scalars():
        for schedule in service.schedules:
            for day in _days_it_runs(schedule, agenda, by_date):
                if now is None or not has_ended(schedule.opens_at, schedule.closes_at, day.date, now):
                    day.items.append(_item(service, schedule))
    for day in agenda:
        day.items.sort(key=lambda item: (item.opens, item.service.name.casefold(), item.service.id,
                                         item.closes, item.schedule.id or 0))
    return agenda


def _listings_query(start_date, last_date, neighbourhood, category):
    """Published listings with a session or event between the two dates, in the neighbourhood and category."""
    in_window = select(Schedule.service_id).where(or_(
        and_(Schedule.kind == "weekly", Schedule.weekday.is_not(None),
             or_(Schedule.valid_from.is_(None), Schedule.valid_from <= last_date),
             or_(Schedule.valid_to.is_(None), Schedule.valid_to >= start_date)),
        and_(Schedule.kind == "event", Schedule.event_date.between(start_date, last_date)),
    ))
    query = published_services_query().where(Service.id.in_(in_window))
    if neighbourhood:
        query = query.where(Service.id.in_(
            select(ServiceAtLocation.service_id)
            .join(Location, Location.id == ServiceAtLocation.location_id)
            .join(Neighbourhood, Neighbourhood.id == Location.neighbourhood_id)
            .where(Neighbourhood.code == neighbourhood)))
    if category:
        query = query.where(Service.id.in_(
            select(service_categories.c.service_id)
            .join(Category, Category.id == service_categories.c.category_id)
            .where(Category.code.in_(category_codes(category)))))
    return query


def _days_it_runs(schedule, agenda, by_date):
    if schedule.kind == "event":
        return [by_date[schedule.event_date]] if schedule.event_date in by_date else []
    if schedule.kind == "weekly" and schedule.weekday is not None:
        # Monthly, fortnightly and term-time sessions, and holiday closures (app.directory.schedules)
        return [day for day in agenda if schedule.occurs_on(day.date)]
    return []


def _choice(name, allowed):
    value = request.args.get(name, "")
    if not isinstance(value, str):
        return None
    value = value.strip()[:60]
    return value if value in allowed else None


ISO_WEEK_RE = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


def _week_arg(today):
    """Weeks ahead of this one (0 to MAX_WEEKS_AHEAD): `week` is a number or an ISO week like 2026-W49. Anything
    else means this week; a week before this one or too far ahead is brought back within the range."""
    raw = request.args.get("week", "")
    raw = raw.strip()[:10] if isinstance(raw, str) else ""
    match = ISO_WEEK_RE.match(raw)
    if not match:
        return whole_number(raw, 0, MAX_WEEKS_AHEAD) or 0
    try:
        monday = datetime.strptime(f"{match[1]}-W{match[2]}-1", "%G-W%V-%u").date()
    except ValueError:
        return 0
    if monday.isocalendar()[:2] != (int(match[1]), int(match[2])):
        return 0  # a week the year does not have (strptime rolls 2026-W53 on to 2027)
    weeks = (monday - (today - timedelta(days=today.weekday()))).days // 7
    return min(max(weeks, 0), MAX_WEEKS_AHEAD)


@bp.route("/")
def whats_on():
    neighbourhood = _choice("neighbourhood", set(neighbourhood_codes()))
    category = _choice("category", set(taxonomy.all_category_codes()))
    now = clock.local_now()
    today = now.date()
    week = _week_arg(today)
    start = today + timedelta(days=DAYS * week)
    agenda = week_agenda(start, days=DAYS, neighbourhood=neighbourhood, category=category, now=now)

    def week_url(target):
        args = {"neighbourhood": neighbourhood, "category": category, "week": target or None}
        return url_for("whatson.whats_on", **{key: value for key, value in args.items() if value})

    return render_template(
        "directory/whats_on.html", agenda=agenda, today=today, tomorrow=today + timedelta(days=1), week=week,
        neighbourhood=neighbourhood, category=category, start=start, end=start + timedelta(days=DAYS - 1),
        total=sum(len(day.items) for day in agenda),
        prev_url=week_url(week - 1) if week > 0 else None,
        next_url=week_url(week + 1) if week < MAX_WEEKS_AHEAD else None,
    )
