"""The CSV file's columns: their names, the rules the checker applies to them, and the guide shown on the
upload page (docs/csv.md says the same at more length)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.directory import taxonomy

COLUMNS = (
    "organisation_slug", "organisation_name", "service_slug", "name", "description", "access_method", "access_text",
    "eligibility", "min_age", "max_age", "audience", "cost_type", "cost_text", "formats", "languages",
    "accessibility", "capacity_status", "capacity_note", "contact_name", "contact_role", "contact_phone",
    "contact_email", "status", "categories", "location_name", "address_1", "address_2", "town", "postcode",
    "nearest_station", "weekly_sessions", "last_verified", "closures",
)
PLACE_COLUMNS = ("location_name", "address_1", "address_2", "town", "postcode", "nearest_station")
AGE_COLUMNS = ("min_age", "max_age")
MAX_SESSIONS = 50

# Plain text columns and their longest length (None: no limit beyond the CSV cell size).
TEXT_FIELDS = {"description": None, "access_text": None, "eligibility": None, "cost_text": 300,
               "capacity_note": 300, "contact_name": 200, "contact_role": 200}
# Columns holding one code; a blank cell keeps the listing's value (or the default for a new listing).
CHOICE_FIELDS = {"access_method": taxonomy.ACCESS_METHODS, "cost_type": taxonomy.COST_TYPES,
                 "capacity_status": taxonomy.CAPACITY_STATUSES, "status": taxonomy.SERVICE_STATUSES}
# Columns holding several codes separated by ";".
LIST_FIELDS = {"audience": taxonomy.AUDIENCES, "formats": taxonomy.FORMATS, "languages": taxonomy.DELIVERY_LANGUAGES,
               "accessibility": taxonomy.ACCESSIBILITY_FEATURES}
PLACE_LIMITS = {"location_name": 200, "address_1": 200, "address_2": 200, "town": 100, "nearest_station": 120}


@dataclass(frozen=True)
class ColumnGuide:
    name: str
    required: object
    meaning: object
    allowed: object  # a lazy string, or {code: label}
    example: str


def _category_labels():
    labels = {}
    for code, name, _desc, subs in taxonomy.CATEGORIES:
        labels[code] = name
        for sub_code, sub_name in subs:
            labels[sub_code] = sub_name
    return labels


_NO, _YES, _TEXT = _l("No"), _l("Yes"), _l("Any text")
_SLUG = _l("Lower-case letters, numbers and hyphens")
_UP_TO_200, _UP_TO_300 = _l("Up to 200 characters"), _l("Up to 300 characters")
_AGE = _l("A whole number from 0 to 120")

# One row per column, in COLUMNS order: (name, required, meaning, allowed values, example).
_GUIDE = (
    ("organisation_slug", _l("Yes, unless organisation_name is given"),
     _l("The organisation that runs the listing, by its short web name. A slug not yet in the "
        "directory creates a new organisation, named by organisation_name."), _SLUG, "camden-befrienders"),
    ("organisation_name", _l("Only to create an organisation"),
     _l("The organisation's name. Used only when the organisation is new; an existing organisation "
        "keeps its name."), _TEXT, "Camden Befrienders"),
    ("service_slug", _NO,
     _l("The listing's short web name. Blank: a new listing, with a slug made from its name. A slug "
        "already in the directory updates that listing."), _SLUG, "tuesday-walking-group"),
    ("name", _YES, _l("The listing's name."), _UP_TO_200, "Tuesday walking group"),
    ("description", _NO, _l("What happens there, in plain words. Simple Markdown is allowed."), _TEXT,
     "A gentle walk round the heath, then tea."),
    ("access_method", _NO, _l("How people start. Blank: keep as it is (Self-refer for a new listing)."),
     taxonomy.ACCESS_METHODS, "drop_in"),
    ("access_text", _NO, _l("How to get in, in more detail."), _TEXT, "Just turn up at the gate."),
    ("eligibility", _NO, _l("Who it is for."), _TEXT, "Anyone over 50."),
    ("min_age", _NO, _l("The youngest age it is for. Blank: no lower limit."), _AGE, "50"),
    ("max_age", _NO, _l("The oldest age it is for. Blank: no upper limit. Not lower than min_age."), _AGE, ""),
    ("audience", _NO, _l("Groups it is especially for, separated by semicolons."), taxonomy.AUDIENCES,
     "older_people;carers"),
    ("cost_type", _NO, _l("What it costs. Blank: keep as it is (Free for a new listing)."), taxonomy.COST_TYPES,
     "low_cost"),
    ("cost_text", _NO, _l("Cost details."), _UP_TO_300, "£2 a session"),
    ("formats", _NO, _l("How it runs, separated by semicolons."), taxonomy.FORMATS, "in_person;online"),
    ("languages", _NO, _l("Languages it is delivered in, separated by semicolons."), taxonomy.DELIVERY_LANGUAGES,
     "en;bn"),
    ("accessibility", _NO, _l("Accessibility features, separated by semicolons."), taxonomy.ACCESSIBILITY_FEATURES,
     "step_free;hearing_loop"),
    ("capacity_status", _NO,
     _l("Whether it is taking new people. Blank: keep as it is (Taking new people for a new listing)."),
     taxonomy.CAPACITY_STATUSES, "waiting_list"),
    ("capacity_note", _NO, _l("A note about availability."), _UP_TO_300, "Waiting list until March"),
    ("contact_name", _NO, _l("Contact for professionals: name."), _UP_TO_200, "Alex Liaison"),
    ("contact_role", _NO, _l("Contact for professionals: role."), _UP_TO_200, "Coordinator"),
    ("contact_phone", _NO, _l("Contact for professionals: phone number."), _l("A UK phone number"),
     "020 7946 0999"),
    ("contact_email", _NO, _l("Contact for professionals: email address."), _l("An email address"),
     "alex@example.org"),
    ("status", _NO, _l("Whether the public can see it. Blank: keep as it is (Draft for a new listing)."),
     taxonomy.SERVICE_STATUSES, "published"),
    ("categories", _NO, _l("Categories or subcategories, separated by semicolons."), _category_labels(),
     "active-walking;talk-befriending"),
    ("location_name", _NO,
     _l("The place it happens: the building's name. Leave all five place columns blank for a listing "
        "with no place (online or by phone)."), _UP_TO_200, "Heath Community Hall"),
    ("address_1", _NO, _l("The place: first line of the address."), _UP_TO_200, "1 Highgate Road"),
    ("address_2", _NO, _l("The place: second line of the address."), _UP_TO_200, ""),
    ("town", _NO, _l("The place: town. Blank: London."), _l("Up to 100 characters"), "London"),
    ("postcode", _l("Yes, when there is a place"), _l("The place: postcode."), _l("A UK postcode"), "NW5 1TL"),
    ("nearest_station", _NO, _l("The place: the train, Tube or Overground station closest to it. Blank: keep as "
                                "it is."), _l("Up to 120 characters"), "Kentish Town"),
    ("weekly_sessions", _NO,
     _l("When it runs: a day and a time range, separated by semicolons. A closing time earlier than the opening "
        "time runs past midnight; the same time for both means all day. Before the day, 1st, 2nd, 3rd, 4th or "
        "last means once a month, and ‘every other’ every two weeks, counted from the date after ‘from’. "
        "‘term time’ at the end: not in the school holidays."),
     _l("Days Mon, Tue, Wed, Thu, Fri, Sat, Sun; 24-hour times"),
     "Mon 10:00-12:00; 1st Tue 10:00-12:00; every other Wed 14:00-16:00 from 2027-01-06; Fri 16:30-18:00 term time"),
    ("last_verified", _NO, _l("The day the listing was last checked with the organisation. Blank: keep as it is."),
     _l("A date: YYYY-MM-DD (or DD/MM/YYYY), not in the future"), "2024-05-01"),
    ("closures", _NO, _l("Days the regular sessions are not running, like a Christmas break, separated by "
                         "semicolons. Blank: none. A file without this column keeps them as they are."),
     _l("A date, or two dates with ‘to’ between: YYYY-MM-DD"), "2026-12-24 to 2027-01-02"),
)
COLUMN_GUIDE = tuple(ColumnGuide(*row) for row in _GUIDE)


def column_guide():
    return list(COLUMN_GUIDE)
