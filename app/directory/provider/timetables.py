"""The "Where and when" rows to and from a listing's snapshot: sessions, events and holiday closures."""
from app.core import clock
from app.core.validation import clock_time
from app.directory.provider.timetable_forms import date_data
from app.directory.snapshots import normal_schedule

ALL_DAY = "00:00"  # equal opening and closing times mean open all day (app.directory.opening)


def _how_often(s):
    if s["freq"] == "MONTHLY":
        return "monthly"
    return "fortnightly" if (s["interval"] or 1) > 1 else "weekly"


def _times(s):
    if s["opens_at"] == s["closes_at"]:
        return {"all_day": True, "opens_at": "", "closes_at": ""}
    return {"all_day": False, "opens_at": s["opens_at"], "closes_at": s["closes_at"]}


def form_data(snapshot):
    """The rows the form starts with. Events that are over are left off: they cannot be booked or changed."""
    schedules = [normal_schedule(s) for s in snapshot.get("schedules", [])]
    today = clock.local_today().isoformat()
    sessions = [{"how_often": _how_often(s), "weekday": str(s["weekday"]),
                 "week_of_month": str(s["week_of_month"] or 1), "term_time": bool(s["term_time_only"]),
                 "note": s.get("note", ""), **_times(s), **date_data("starts", s["starts_on"])}
                for s in schedules if s["kind"] == "weekly"]
    events = [{"title": s.get("title", ""), **_times(s), **date_data("event", s["event_date"])}
              for s in schedules if s["kind"] == "event" and (s["event_date"] or "") >= today]
    closures = [{**date_data("from", c["starts_on"]), **date_data("to", c["ends_on"])}
                for c in snapshot.get("closures") or []]
    return {"sessions": sessions, "events": events, "closures": closures}


def past_events(snapshot):
    today = clock.local_today().isoformat()
    return [s for s in snapshot.get("schedules", []) if s["kind"] == "event" and (s["event_date"] or "") < today]


def _clock(row):
    if row.all_day.data:
        return ALL_DAY, ALL_DAY
    return clock_time(row.opens_at.data), clock_time(row.closes_at.data)


def _session(row):
    opens, closes = _clock(row)
    how_often = row.how_often.data
    return {"kind": "weekly", "weekday": int(row.weekday.data), "event_date": None, "opens_at": opens,
            "closes_at": closes, "title": "", "note": (row.note.data or "").strip(), "location_id": None,
            "freq": "MONTHLY" if how_often == "monthly" else "WEEKLY",
            "interval": 2 if how_often == "fortnightly" else 1,
            "week_of_month": int(row.week_of_month.data) if how_often == "monthly" else None,
            "starts_on": row.starts_on.isoformat() if row.starts_on else None,
            "term_time_only": bool(row.term_time.data)}


def _event(row):
    opens, closes = _clock(row)
    return {"kind": "event", "weekday": None, "event_date": row.event_date.isoformat(), "opens_at": opens,
            "closes_at": closes, "title": (row.title.data or "").strip(), "note": "", "location_id": None,
            "freq": None, "interval": 1, "week_of_month": None, "starts_on": None, "term_time_only": False}


def form_values(form):
    """The snapshot's schedules and closures from a validated form. Rows left empty are spare."""
    closures = sorted({(row.starts_on.isoformat(), (row.ends_on or row.starts_on).isoformat())
                       for row in (entry.form for entry in form.closures) if row.in_use()})
    return {"schedules": [_session(e.form) for e in form.sessions if e.form.in_use()]
            + [_event(e.form) for e in form.events if e.form.in_use()],
            "closures": [{"starts_on": start, "ends_on": end} for start, end in closures]}
