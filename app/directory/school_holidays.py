"""The borough's school holidays, which term-time-only sessions skip. Directory managers keep them up to date
(/manage/school-holidays); a new site and the demo start from the shipped dates (data/school_holidays.json)."""
import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.core import audit
from app.directory import schedules
from app.directory.models import SchoolHoliday
from app.extensions import db

DATA_FILE = Path(__file__).resolve().parent / "data" / "school_holidays.json"


def all_holidays():
    return db.session.execute(select(SchoolHoliday).order_by(SchoolHoliday.starts_on)).scalars().all()


def shipped():
    """[(name, first day, last day)] from the data file."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return [(h["name"], date.fromisoformat(h["starts_on"]), date.fromisoformat(h["ends_on"]))
            for h in data["holidays"]]


def seed_defaults():
    """Store the shipped dates when none are stored yet (a manager's own list is never replaced). Returns how many."""
    if db.session.execute(select(SchoolHoliday.id).limit(1)).first():
        return 0
    rows = [SchoolHoliday(name=name, starts_on=start, ends_on=end) for name, start, end in shipped()]
    db.session.add_all(rows)
    schedules.forget_school_holidays()
    return len(rows)


def add(name, starts_on, ends_on, manager):
    holiday = SchoolHoliday(name=name.strip()[:100], starts_on=starts_on, ends_on=ends_on)
    db.session.add(holiday)
    db.session.flush()
    audit.log("school_holiday_add", manager, record=holiday.name[:60],
              detail=f"{starts_on.isoformat()} to {ends_on.isoformat()}")
    schedules.forget_school_holidays()
    return holiday


def remove(holiday, manager):
    audit.log("school_holiday_remove", manager, record=holiday.name[:60],
              detail=f"{holiday.starts_on.isoformat()} to {holiday.ends_on.isoformat()}")
    db.session.delete(holiday)
    schedules.forget_school_holidays()


def term_time_services():
    """The published listings with a term-time-only session: their search entries change with the holidays."""
    from app.directory.models import Schedule, Service
    return db.session.execute(select(Service).where(Service.status == "published", Service.id.in_(
        select(Schedule.service_id).where(Schedule.term_time_only.is_(True))))).scalars().all()
