"""The rows of the "Where and when" step: recurring sessions, one-off events and holiday closures, as many as
people need (the GOV.UK "add another" pattern, without JavaScript), with dates as GOV.UK date inputs."""
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.core import clock, validation
from app.core.forms import ClockTime, SiteSubform

clock_time = ClockTime(_l("Enter a time on the 24-hour clock, like 09:30"))
MAX_ROWS = 40  # a bound on what one page takes, well beyond any real timetable
ROW_LISTS = ("sessions", "events", "closures")

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday")]
HOW_OFTEN = {"weekly": _l("Every week"), "fortnightly": _l("Every other week"), "monthly": _l("Once a month")}
WEEK_OF_MONTH = {"1": _l("First"), "2": _l("Second"), "3": _l("Third"), "4": _l("Fourth"), "-1": _l("Last")}


def _date_parts():
    return (StringField(_l("Day"), validators=[Optional(), Length(max=4)]),
            StringField(_l("Month"), validators=[Optional(), Length(max=4)]),
            StringField(_l("Year"), validators=[Optional(), Length(max=6)]))


def read_date(day, month, year):
    """(date or None, error message or None) from a GOV.UK date input's three fields."""
    parts = [(f.data or "").strip() for f in (day, month, year)]
    if not any(parts):
        return None, None
    if not all(parts):
        return None, _l("Enter a day, month and year")
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None, _l("Enter a real date, like 24 12 2026")
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])), None
    except ValueError:
        return None, _l("Enter a real date, like 24 12 2026")


def date_data(prefix, value):
    """Form data for a date input from an ISO date (or None)."""
    if not value:
        return {}
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}


def add_error(field, message):
    field.errors = list(field.errors) + [message]


def _typed(*fields):
    return any((f.data or "").strip() for f in fields if isinstance(f.data, str))


def _check_times(row):
    """Start and end times, unless it is marked as open all day."""
    if row.all_day.data:
        return True
    if row.opens_at.errors or row.closes_at.errors:
        return False  # the time itself is wrong, and says so
    opens, closes = validation.clock_time(row.opens_at.data), validation.clock_time(row.closes_at.data)
    if not (opens and closes):
        add_error(row.opens_at if not opens else row.closes_at,
                  _l("Enter a start and end time, or choose ‘Open all day’"))
        return False
    if opens == closes:
        add_error(row.closes_at, _l("The end time must be different from the start time. If it runs all day, "
                                    "choose ‘Open all day’"))
        return False
    return True


class SessionForm(SiteSubform):
    how_often = SelectField(_l("How often"), choices=[SelectChoice(k, v) for k, v in HOW_OFTEN.items()],
                            default="weekly")
    weekday = SelectField(_l("Day"), choices=[SelectChoice("", _l("No session"))] + [
        SelectChoice(str(i), name) for i, name in enumerate(WEEKDAYS)], validators=[Optional()])
    week_of_month = SelectField(_l("Which one in the month"), description=_l("Only for once a month"),
                                choices=[SelectChoice(k, v) for k, v in WEEK_OF_MONTH.items()], default="1")
    opens_at = StringField(_l("Starts"), validators=[Optional(), clock_time])
    closes_at = StringField(_l("Ends"), validators=[Optional(), clock_time])
    all_day = BooleanField(_l("Open all day"))
    term_time = BooleanField(_l("Term time only"), description=_l("Not in the borough’s school holidays"))
    starts_day, starts_month, starts_year = _date_parts()
    note = StringField(_l("Note"), validators=[Optional(), Length(
        max=300, message=_l("The note must be 300 characters or fewer"))])

    def in_use(self):
        return bool(self.weekday.data) or _typed(self.opens_at, self.closes_at, self.note, self.starts_day,
                                                 self.starts_month, self.starts_year)

    def check(self):
        if not self.in_use():
            return True
        ok = _check_times(self)
        if not self.weekday.data:
            add_error(self.weekday, _l("Choose the day of the session"))
            ok = False
        self.starts_on, problem = read_date(self.starts_day, self.starts_month, self.starts_year)
        if problem:
            add_error(self.starts_day, problem)
            ok = False
        elif self.how_often.data == "fortnightly" and self.starts_on is None:
            add_error(self.starts_day, _l("Enter the date of one session, so people know which weeks it runs"))
            ok = False
        return ok


class EventForm(SiteSubform):
    event_day, event_month, event_year = _date_parts()
    opens_at = StringField(_l("Starts"), validators=[Optional(), clock_time])
    closes_at = StringField(_l("Ends"), validators=[Optional(), clock_time])
    all_day = BooleanField(_l("Open all day"))
    title = StringField(_l("What it is"), validators=[Optional(), Length(
        max=200, message=_l("What it is must be 200 characters or fewer"))])

    def in_use(self):
        return _typed(self.event_day, self.event_month, self.event_year, self.opens_at, self.closes_at, self.title)

    def check(self):
        if not self.in_use():
            return True
        ok = _check_times(self)
        self.event_date, problem = read_date(self.event_day, self.event_month, self.event_year)
        if problem or self.event_date is None:
            add_error(self.event_day, problem or _l("Enter the date of the event"))
            ok = False
        elif self.event_date < clock.local_today():
            add_error(self.event_day, _l("The date of the event must be today or in the future"))
            ok = False
        if not (self.title.data or "").strip():
            add_error(self.title, _l("Enter what the event is, like ‘Open day’"))
            ok = False
        return ok


class ClosureForm(SiteSubform):
    from_day, from_month, from_year = _date_parts()
    to_day, to_month, to_year = _date_parts()

    def in_use(self):
        return _typed(self.from_day, self.from_month, self.from_year, self.to_day, self.to_month, self.to_year)

    def check(self):
        if not self.in_use():
            return True
        self.starts_on, problem = read_date(self.from_day, self.from_month, self.from_year)
        self.ends_on, end_problem = read_date(self.to_day, self.to_month, self.to_year)
        ok = True
        if problem or self.starts_on is None:
            add_error(self.from_day, problem or _l("Enter the first day it is not running"))
            ok = False
        if end_problem:
            add_error(self.to_day, end_problem)
            ok = False
        elif ok and self.ends_on and self.ends_on < self.starts_on:
            add_error(self.to_day, _l("The last day must be the same as or after the first day"))
            ok = False
        return ok


def change_rows(form, formdata):
    """'Add another' and 'Remove' buttons: change the rows and say so (True), keeping what was typed."""
    added, removed = formdata.get("add", ""), formdata.get("remove", "")
    if added in ROW_LISTS:
        rows = form[added]
        if len(rows.entries) < MAX_ROWS:
            rows.append_entry()
        return True
    name, _sep, index = removed.rpartition("-")
    if name in ROW_LISTS:
        rows = form[name]
        rows.entries = [entry for entry in rows.entries if entry.name != removed]
        return True
    return False


def _row_label(name, number):
    # The same words as the row's heading on the page, so the summary says which session a mistake is in.
    return {"sessions": _("Session %(n)s", n=number), "events": _("Event %(n)s", n=number),
            "closures": _("Closure %(n)s", n=number)}[name]


def error_items(form):
    """(id, message) for every error on the page, in the order of the page: the error summary's links, each
    naming its row ("Session 2: ..."), as the page's headings do."""
    items = []
    for name, field in form._fields.items():
        if field.type == "FieldList":
            for number, entry in enumerate(field, start=1):
                items += [(sub.id, _("%(row)s: %(problem)s", row=_row_label(name, number), problem=sub.errors[0])
                           if name in ROW_LISTS else sub.errors[0]) for sub in entry.form if sub.errors]
        elif field.errors:
            multiple = field.type in ("RadioField", "SelectMultipleField")
            items.append((f"{field.id}-0" if multiple else field.id, field.errors[0]))
    return items
