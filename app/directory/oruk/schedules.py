"""A listing's opening times in ORUK's iCal-style schedule fields.

The rule itself (weekly, fortnightly, the nth or last weekday of the month, term time, closures) comes from
`Schedule.ical()`; ORUK has no field for term time or closures, so they are the extensions `x-term-time-only`
and `x-closures` (date ranges the sessions are off). A schedule's id is derived from the listing and the session itself
(kind, day or date, opening time, place): an edit that leaves a session alone keeps its id; a session moved
to another day or time is a new session.
"""
from app.directory.oruk.ids import derived

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _time(value):
    return value.strftime("%H:%M:%S")


def schedule_id(service, schedule):
    day = schedule.weekday if schedule.kind == "weekly" else schedule.event_date
    place = schedule.location.uuid if schedule.location is not None else ""
    return derived("schedule", service.uuid, schedule.kind, day, _time(schedule.opens_at), place)


def schedule_json(service, schedule, link_by_location):
    """One Schedule row as an ORUK schedule; `link_by_location` maps location ids to their service_at_location."""
    data = {"id": schedule_id(service, schedule), "service_id": service.uuid,
            "opens_at": _time(schedule.opens_at), "closes_at": _time(schedule.closes_at)}
    link = link_by_location.get(schedule.location_id)
    if link is not None:
        data["service_at_location_id"] = link.uuid
    if schedule.kind == "weekly":
        rule = schedule.ical()
        data.update(freq=rule["freq"], interval=rule["interval"], byday=rule["byday"])
        if rule["dtstart"]:
            data["dtstart"] = rule["dtstart"]
        if schedule.valid_from:
            data["valid_from"] = schedule.valid_from.isoformat()
            data.setdefault("dtstart", data["valid_from"])
        if schedule.valid_to:
            data["valid_to"] = schedule.valid_to.isoformat()
        if rule["term_time_only"]:
            data["x-term-time-only"] = True
        if rule["exdates"]:
            data["x-closures"] = [{"from": start, "to": end} for start, end in rule["exdates"]]
    else:  # a one-off event: it starts and ends on its day, with no repeat
        day = schedule.event_date.isoformat()
        data.update(dtstart=day, valid_from=day, valid_to=day)
    if schedule.title:
        data["description"] = schedule.title
    if schedule.note:
        data["notes"] = schedule.note
    if schedule.all_day:
        data["x-all-day"] = True
    return data
