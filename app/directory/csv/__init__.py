"""Bulk import and export of the directory as a CSV file: one row per listing (service).

Export writes every listing with the columns in COLUMNS (UTF-8 with a byte order mark, so Excel
reads it correctly). Import reads the same layout: it checks every row and column first and
reports every problem by spreadsheet row and column name; a dry run then says what would happen
and changes nothing, and a real run refuses a file with any problem, otherwise applies every row
in one transaction and records an "import" revision for each listing it created or changed.
docs/csv.md describes the columns.
"""
import csv
import io
import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import click
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import Blueprint, Response, current_app, has_request_context, render_template, request, stream_with_context
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.permissions import role_required
from app.directory import taxonomy
from app.demo.loader import slugify
from app.directory.models import Category, Location, Organisation, Schedule, Service, ServiceAtLocation
from app.directory.moderation import record, snapshot_service
from app.directory.postcodes import position_for
from app.directory.listings import neighbourhood_for_postcode, normalise_postcode
from app.extensions import db
from app.core.db import utcnow
from app.core.templating import format_number

log = logging.getLogger(__name__)

bp = Blueprint("csv_io", __name__, url_prefix="/manage/csv", template_folder="../templates")
csv_cli = AppGroup("csv", help="Import and export the directory as a CSV file (one row per listing).")

COLUMNS = (
    "organisation_slug", "organisation_name", "service_slug", "name", "description", "access_method", "access_text",
    "eligibility", "min_age", "max_age", "audience", "cost_type", "cost_text", "formats", "languages",
    "accessibility", "capacity_status", "capacity_note", "contact_name", "contact_role", "contact_phone",
    "contact_email", "status", "categories", "location_name", "address_1", "address_2", "town", "postcode",
    "weekly_sessions", "last_verified",
)
PLACE_COLUMNS = ("location_name", "address_1", "address_2", "town", "postcode")
MAX_ROWS = 20_000
MAX_SESSIONS = 50
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
INJECTION_STARTS = ("=", "+", "-", "@", "\t", "\r")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SESSION_RE = re.compile(r"^(?P<day>[A-Za-z]{3,9})\.?\s+(?P<oh>\d{1,2})[:.](?P<om>\d{2})\s*(?:-|–|—|to)\s*"
                        r"(?P<ch>\d{1,2})[:.](?P<cm>\d{2})$", re.IGNORECASE)

# Plain text columns and their longest length (None: no limit beyond the CSV cell size).
TEXT_FIELDS = {"description": None, "access_text": None, "eligibility": None, "cost_text": 300,
               "capacity_note": 300, "contact_name": 200, "contact_role": 200}
# Columns holding one code; a blank cell keeps the listing's value (or the default for a new listing).
CHOICE_FIELDS = {"access_method": taxonomy.ACCESS_METHODS, "cost_type": taxonomy.COST_TYPES,
                 "capacity_status": taxonomy.CAPACITY_STATUSES, "status": taxonomy.SERVICE_STATUSES}
# Columns holding several codes separated by ";".
LIST_FIELDS = {"audience": taxonomy.AUDIENCES, "formats": taxonomy.FORMATS, "languages": taxonomy.DELIVERY_LANGUAGES,
               "accessibility": taxonomy.ACCESSIBILITY_FEATURES}
PLACE_LIMITS = {"location_name": 200, "address_1": 200, "address_2": 200, "town": 100}

_KEEP = object()  # a column the file does not have: leave that part of the listing as it is


# The column guide shown on the upload page (docs/csv.md says the same at more length).

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


def column_guide():
    no, yes = _l("No"), _l("Yes")
    text = _l("Any text")
    return [
        ColumnGuide("organisation_slug", _l("Yes, unless organisation_name is given"),
                    _l("The organisation that runs the listing, by its short web name. A slug not yet in the "
                       "directory creates a new organisation, named by organisation_name."),
                    _l("Lower-case letters, numbers and hyphens"), "camden-befrienders"),
        ColumnGuide("organisation_name", _l("Only to create an organisation"),
                    _l("The organisation's name. Used only when the organisation is new; an existing organisation "
                       "keeps its name."), text, "Camden Befrienders"),
        ColumnGuide("service_slug", no,
                    _l("The listing's short web name. Blank: a new listing, with a slug made from its name. A slug "
                       "already in the directory updates that listing."),
                    _l("Lower-case letters, numbers and hyphens"), "tuesday-walking-group"),
        ColumnGuide("name", yes, _l("The listing's name."), _l("Up to 200 characters"), "Tuesday walking group"),
        ColumnGuide("description", no, _l("What happens there, in plain words. Simple Markdown is allowed."), text,
                    "A gentle walk round the heath, then tea."),
        ColumnGuide("access_method", no, _l("How people start. Blank: keep as it is (Self-refer for a new listing)."),
                    taxonomy.ACCESS_METHODS, "drop_in"),
        ColumnGuide("access_text", no, _l("How to get in, in more detail."), text, "Just turn up at the gate."),
        ColumnGuide("eligibility", no, _l("Who it is for."), text, "Anyone over 50."),
        ColumnGuide("min_age", no, _l("The youngest age it is for. Blank: no lower limit."),
                    _l("A whole number from 0 to 120"), "50"),
        ColumnGuide("max_age", no, _l("The oldest age it is for. Blank: no upper limit. Not lower than min_age."),
                    _l("A whole number from 0 to 120"), ""),
        ColumnGuide("audience", no, _l("Groups it is especially for, separated by semicolons."), taxonomy.AUDIENCES,
                    "older_people;carers"),
        ColumnGuide("cost_type", no, _l("What it costs. Blank: keep as it is (Free for a new listing)."),
                    taxonomy.COST_TYPES, "low_cost"),
        ColumnGuide("cost_text", no, _l("Cost details."), _l("Up to 300 characters"), "£2 a session"),
        ColumnGuide("formats", no, _l("How it runs, separated by semicolons."), taxonomy.FORMATS, "in_person;online"),
        ColumnGuide("languages", no, _l("Languages it is delivered in, separated by semicolons."),
                    taxonomy.DELIVERY_LANGUAGES, "en;bn"),
        ColumnGuide("accessibility", no, _l("Accessibility features, separated by semicolons."),
                    taxonomy.ACCESSIBILITY_FEATURES, "step_free;hearing_loop"),
        ColumnGuide("capacity_status", no,
                    _l("Whether it is taking new people. Blank: keep as it is (Taking new people for a new listing)."),
                    taxonomy.CAPACITY_STATUSES, "waiting_list"),
        ColumnGuide("capacity_note", no, _l("A note about availability."), _l("Up to 300 characters"),
                    "Waiting list until March"),
        ColumnGuide("contact_name", no, _l("Contact for professionals: name."), _l("Up to 200 characters"),
                    "Alex Liaison"),
        ColumnGuide("contact_role", no, _l("Contact for professionals: role."), _l("Up to 200 characters"),
                    "Coordinator"),
        ColumnGuide("contact_phone", no, _l("Contact for professionals: phone number."), _l("A UK phone number"),
                    "020 7946 0999"),
        ColumnGuide("contact_email", no, _l("Contact for professionals: email address."), _l("An email address"),
                    "alex@example.org"),
        ColumnGuide("status", no, _l("Whether the public can see it. Blank: keep as it is (Draft for a new listing)."),
                    taxonomy.SERVICE_STATUSES, "published"),
        ColumnGuide("categories", no, _l("Categories or subcategories, separated by semicolons."),
                    _category_labels(), "active-walking;talk-befriending"),
        ColumnGuide("location_name", no,
                    _l("The place it happens: the building's name. Leave all five place columns blank for a listing "
                       "with no place (online or by phone)."), _l("Up to 200 characters"), "Heath Community Hall"),
        ColumnGuide("address_1", no, _l("The place: first line of the address."), _l("Up to 200 characters"),
                    "1 Highgate Road"),
        ColumnGuide("address_2", no, _l("The place: second line of the address."), _l("Up to 200 characters"), ""),
        ColumnGuide("town", no, _l("The place: town. Blank: London."), _l("Up to 100 characters"), "London"),
        ColumnGuide("postcode", _l("Yes, when there is a place"), _l("The place: postcode."), _l("A UK postcode"),
                    "NW5 1TL"),
        ColumnGuide("weekly_sessions", no,
                    _l("When it runs each week: a day and a time range, separated by semicolons. A closing time "
                       "earlier than the opening time runs past midnight; the same time for both means all day."),
                    _l("Days Mon, Tue, Wed, Thu, Fri, Sat, Sun; 24-hour times"), "Mon 10:00-12:00; Fri 22:00-02:00"),
        ColumnGuide("last_verified", no,
                    _l("The day the listing was last checked with the organisation. Blank: keep as it is."),
                    _l("A date: YYYY-MM-DD (or DD/MM/YYYY), not in the future"), "2024-05-01"),
    ]


# Reading a file

class CsvFileError(ValueError):
    """The upload cannot be read as a CSV file at all."""


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    problems: list = field(default_factory=list)
    file_error: str | None = None
    new_services: int = 0
    updated_services: int = 0
    unchanged_services: int = 0
    new_organisations: int = 0
    applied: bool = False

    @property
    def ok(self):
        return not self.file_error and not self.problems


def max_bytes():
    return current_app.config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_BYTES


def _locale_for_messages():
    """Messages in the page's language; outside a request (the CLI) in the default language."""
    if has_request_context():
        return nullcontext()
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))


def read_csv(data):
    """(header, [(row number, cells)]) from the uploaded bytes; raises CsvFileError when it is not a usable CSV."""
    if len(data) > max_bytes():
        raise CsvFileError(_("The file is larger than %(size)s MB. Split it into smaller files.",
                             size=max_bytes() // (1024 * 1024)))
    if not data.strip():
        raise CsvFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvFileError(_("This looks like a spreadsheet workbook, not a CSV file. In your spreadsheet program, "
                             "use Save As and choose ‘CSV UTF-8 (Comma delimited)’."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(_("The file is saved as UTF-16 text. Save it again as ‘CSV UTF-8 (Comma delimited)’."))
    if b"\x00" in data:
        raise CsvFileError(_("This is not a CSV file. Choose a CSV file saved as UTF-8 text."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(_("The file is not saved as UTF-8 text. In Excel, use Save As and choose ‘CSV UTF-8 "
                             "(Comma delimited)’; in LibreOffice, choose the character set ‘Unicode (UTF-8)’.")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, number = [], 0  # number: the last row read, as a spreadsheet numbers it
    try:
        header = next(reader, None)
        number = 1
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvFileError(_("The file has more than %(max)s listings. Split it into smaller files.",
                                     max=format_number(MAX_ROWS)))
            rows.append((number, cells))
    except csv.Error:
        raise CsvFileError(_("The file could not be read as CSV at row %(row)s. Check that every quotation mark "
                             "is closed and that no cell is very large.", row=number + 1)) from None
    if not header or not any(cell.strip() for cell in header):
        raise CsvFileError(_("The first row must hold the column names, such as organisation_slug and name."))
    if not rows:
        raise CsvFileError(_("The file has column names but no listings."))
    return header, rows


def _clean(value):
    """A cell as typed: without the export's guard quote, with plain newlines and no surrounding spaces."""
    if value is None:
        return ""
    if len(value) > 1 and value[0] == "'" and value[1] in INJECTION_STARTS:
        value = value[1:]
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# Checking

@dataclass
class _Plan:
    row: int
    org_slug: str
    org: Organisation | None
    service: Service | None
    slug: str
    name: str
    fields: dict
    categories: object = _KEEP  # list of codes
    place: object = _KEEP  # None (no place) or a dict
    weekly: object = _KEEP  # list of (weekday, opens, closes)
    verified: date | None = None
    outcome: str = "new"


def _norm_text(value):
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _same(current, wanted):
    if isinstance(wanted, list):
        return sorted(set(current or [])) == sorted(set(wanted))
    if isinstance(wanted, str):
        return _norm_text(current) == wanted
    return current == wanted


def _place_key(values):
    return tuple((values.get(name) or "").strip().lower() for name in ("location_name", "address_1", "address_2")) + (
        (values.get("town") or "London").strip().lower(), normalise_postcode(values.get("postcode")) or "")


def _location_key(location):
    return _place_key({"location_name": location.name, "address_1": location.address_1,
                       "address_2": location.address_2, "town": location.town, "postcode": location.postcode})


def _weekly_of(service):
    return sorted({(s.weekday, s.opens_at.strftime("%H:%M"), s.closes_at.strftime("%H:%M"))
                   for s in service.schedules if s.kind == "weekly"})


def format_sessions(service):
    return "; ".join(f"{DAY_ABBREVIATIONS[day]} {opens}-{closes}" for day, opens, closes in _weekly_of(service)
                     if day is not None and 0 <= day <= 6)


def _parse_session(text):
    match = SESSION_RE.match(text.strip())
    if not match:
        return None
    day_text = match.group("day").lower()
    days = [i for i, name in enumerate(DAYS) if name.startswith(day_text)]
    if len(days) != 1:
        return None
    oh, om, ch, cm = (int(match.group(g)) for g in ("oh", "om", "ch", "cm"))
    if ch == 24 and cm == 0:
        ch = 0  # "until 24:00" is midnight
    if not (0 <= oh <= 23 and 0 <= om <= 59 and 0 <= ch <= 23 and 0 <= cm <= 59):
        return None
    return days[0], f"{oh:02d}:{om:02d}", f"{ch:02d}:{cm:02d}"


def _parse_date(text):
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = (int(p) for p in text.split("-"))
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            day, month, year = (int(p) for p in text.split("/"))
        else:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def _split_codes(text):
    return [item.strip() for item in text.split(";") if item.strip()]


class _Checker:
    """Checks every row against the database as it is, and plans each row's outcome. Writes nothing."""

    def __init__(self, header, rows, today):
        self.today = today
        self.problems = []
        self.plans = []
        self.new_orgs = {}  # slug -> (name, first row)
        self.header = [_clean(cell).lower() for cell in header]
        self.rows = rows
        self.columns = {}  # name -> index

    def problem(self, row, column, message):
        self.problems.append(Problem(row, column, message))

    def check_header(self):
        for index, name in enumerate(self.header):
            if not name:
                continue
            if name not in COLUMNS:
                self.problem(1, name, _("‘%(name)s’ is not a column this import knows. Check the spelling against "
                                        "the column guide, or remove the column.", name=name))
            elif name in self.columns:
                self.problem(1, name, _("The column %(name)s appears more than once. Keep only one.", name=name))
            else:
                self.columns[name] = index
        if not self.columns:
            raise CsvFileError(_("The first row must hold the column names, such as organisation_slug and name. "
                                 "Columns must be separated by commas."))
        if "name" not in self.columns:
            self.problem(1, "name", _("The file must have a name column."))
        if not {"organisation_slug", "organisation_name", "service_slug"} & set(self.columns):
            self.problem(1, "organisation_slug",
                         _("The file must have an organisation_slug column (or service_slug, to update listings "
                           "only)."))

    def load(self):
        self.organisations = {o.slug: o for o in db.session.execute(select(Organisation)).scalars()}
        self.categories = set(db.session.execute(select(Category.code)).scalars())
        self.taken_slugs = set(db.session.execute(select(Service.slug)).scalars())
        wanted = set()
        if "service_slug" in self.columns:
            index = self.columns["service_slug"]
            wanted = {_clean(cells[index]) for _row, cells in self.rows if index < len(cells)} & self.taken_slugs
        self.services = {}
        wanted = sorted(wanted)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for service in db.session.execute(select(Service).where(Service.slug.in_(chunk))).scalars():
                self.services[service.slug] = service

    def run(self):
        self.check_header()
        self.load()
        seen_slugs = {}
        for row, cells in self.rows:
            self.check_row(row, cells, seen_slugs)
        self.name_new_services(seen_slugs)
        self.problems.sort(key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else len(COLUMNS)))

    def check_row(self, row, cells, seen_slugs):
        problems_before = len(self.problems)
        width = len(self.header)
        for index in range(len(cells)):
            if (index >= width or not self.header[index]) and cells[index].strip():
                self.problem(row, _("column %(letter)s", letter=_column_letter(index)),
                             _("This cell has no column name in the first row. Remove it, or name the column."))

        def cell(name):
            index = self.columns.get(name)
            return _clean(cells[index]) if index is not None and index < len(cells) else ""

        def has(name):
            return name in self.columns

        # Which listing, and whose.
        service, slug = None, cell("service_slug")
        if slug:
            if len(slug) > 160 or not SLUG_RE.match(slug):
                self.problem(row, "service_slug", _("A slug can only have lower-case letters, numbers and single "
                                                    "hyphens, like tuesday-walking-group."))
            elif slug in seen_slugs:
                self.problem(row, "service_slug", _("The listing %(slug)s is already in row %(row)s. Each listing can "
                                                    "appear only once in a file.", slug=slug, row=seen_slugs[slug]))
            else:
                seen_slugs[slug] = row
                service = self.services.get(slug)
        org_slug, org_name = cell("organisation_slug"), cell("organisation_name")
        org, org_ok = None, True
        if len(org_name) > 200:
            self.problem(row, "organisation_name", _("Use 200 characters or fewer."))
            org_ok = False
        if org_slug:
            if len(org_slug) > 120 or not SLUG_RE.match(org_slug):
                self.problem(row, "organisation_slug", _("A slug can only have lower-case letters, numbers and single "
                                                         "hyphens, like camden-befrienders."))
                org_ok = False
            else:
                org = self.organisations.get(org_slug)
                if org is None and not org_name:
                    self.problem(row, "organisation_slug",
                                 _("There is no organisation with the slug %(slug)s. Check it, or fill in "
                                   "organisation_name to create a new organisation.", slug=org_slug))
                    org_ok = False
        elif org_name:
            org_slug = slugify(org_name, max_length=120)
            org = self.organisations.get(org_slug)
        elif service is not None:
            org_slug, org = service.organisation.slug, service.organisation
        else:
            self.problem(row, "organisation_slug" if has("organisation_slug") else "organisation_name",
                         _("Enter the organisation_slug of an organisation in the directory, or an "
                           "organisation_name to create one."))
            org_ok = False
        if org_ok and org is None and org_slug:
            first = self.new_orgs.get(org_slug)
            if first is None:
                self.new_orgs[org_slug] = (org_name, row)
            elif first[0] != org_name:
                self.problem(row, "organisation_name",
                             _("Row %(row)s creates the organisation %(slug)s with the name ‘%(name)s’. Use the same "
                               "name in every row.", row=first[1], slug=org_slug, name=first[0]))
        if service is not None and org_ok and org_slug and service.organisation.slug != org_slug:
            self.problem(row, "organisation_slug",
                         _("The listing %(slug)s belongs to %(org)s (%(org_slug)s). Import cannot move a listing to "
                           "another organisation.", slug=service.slug, org=service.organisation.name,
                           org_slug=service.organisation.slug))

        # The listing's own fields.
        fields = {}
        name = cell("name")
        if has("name"):
            if not name:
                self.problem(row, "name", _("Enter the listing's name."))
            elif len(name) > 200:
                self.problem(row, "name", _("Use 200 characters or fewer."))
            else:
                fields["name"] = name
        for column, limit in TEXT_FIELDS.items():
            if has(column):
                value = cell(column)
                if limit and len(value) > limit:
                    self.problem(row, column, _("Use %(max)s characters or fewer.", max=limit))
                fields[column] = value
        for column, codes in CHOICE_FIELDS.items():
            value = cell(column)
            if value:
                code = re.sub(r"[\s-]+", "_", value.lower())
                if code in codes:
                    fields[column] = code
                else:
                    self.problem(row, column, _("‘%(value)s’ is not an allowed value. Use one of: %(codes)s.",
                                                value=value, codes=", ".join(codes)))
        for column, codes in LIST_FIELDS.items():
            if has(column):
                values = [v.lower() for v in _split_codes(cell(column))]
                unknown = [v for v in values if v not in codes]
                if unknown:
                    self.problem(row, column, self._unknown_codes(unknown, ", ".join(codes)))
                fields[column] = sorted(set(values))
        ages = {}
        for column in ("min_age", "max_age"):
            if has(column):
                value = cell(column)
                if not value:
                    fields[column] = ages[column] = None
                elif re.fullmatch(r"\d{1,3}", value) and int(value) <= 120:
                    fields[column] = ages[column] = int(value)
                else:
                    self.problem(row, column, _("Enter an age as a whole number from 0 to 120, like 18, or leave it "
                                                "blank."))
                    ages[column] = _KEEP
            else:
                ages[column] = getattr(service, column) if service is not None else None
        if isinstance(ages["min_age"], int) and isinstance(ages["max_age"], int) and ages["min_age"] > ages["max_age"]:
            self.problem(row, "min_age", _("The youngest age (%(min)s) is higher than the oldest age (%(max)s).",
                                           min=ages["min_age"], max=ages["max_age"]))
        if has("contact_phone"):
            value = cell("contact_phone")
            if value and not _possible_phone(value):
                self.problem(row, "contact_phone", _("Enter a phone number, like 020 7946 0000, or leave it blank."))
            fields["contact_phone"] = value
        if has("contact_email"):
            value = cell("contact_email")
            if value and not _valid_email(value):
                self.problem(row, "contact_email", _("Enter an email address in the correct format, like "
                                                     "name@example.com, or leave it blank."))
            fields["contact_email"] = value

        # Categories, place, times, checked date.
        plan = _Plan(row=row, org_slug=org_slug, org=org, service=service, slug=slug, name=name, fields=fields)
        if has("categories"):
            values = [v.lower() for v in _split_codes(cell("categories"))]
            unknown = [v for v in values if v not in self.categories]
            if unknown:
                self.problem(row, "categories", self._unknown_codes(unknown, None))
            plan.categories = sorted(set(values))
        if any(has(column) for column in PLACE_COLUMNS):
            plan.place = self.check_place(row, {column: cell(column) for column in PLACE_COLUMNS})
        if has("weekly_sessions"):
            sessions = set()
            for item in _split_codes(cell("weekly_sessions")):
                parsed = _parse_session(item)
                if parsed is None:
                    self.problem(row, "weekly_sessions",
                                 _("‘%(item)s’ is not a weekly session. Write a day and 24-hour times, like "
                                   "Mon 10:00-12:00, and separate sessions with semicolons.", item=item))
                else:
                    sessions.add(parsed)
            if len(sessions) > MAX_SESSIONS:
                self.problem(row, "weekly_sessions", _("A listing can have at most %(max)s weekly sessions.",
                                                       max=MAX_SESSIONS))
            plan.weekly = sorted(sessions)
        if has("last_verified"):
            value = cell("last_verified")
            if value:
                parsed = _parse_date(value)
                if parsed is None:
                    self.problem(row, "last_verified", _("Enter a real date, like 2024-05-01, or leave it blank."))
                elif parsed > self.today:
                    self.problem(row, "last_verified", _("The date a listing was checked cannot be in the future."))
                else:
                    plan.verified = parsed

        if len(self.problems) == problems_before:
            plan.outcome = self.outcome(plan)
            self.plans.append(plan)

    def _unknown_codes(self, unknown, allowed):
        hint = _(" Separate codes with semicolons, not commas.") if any("," in v for v in unknown) else ""
        if allowed:
            return ngettext("Unknown code: %(codes)s. Use: %(allowed)s.", "Unknown codes: %(codes)s. Use: %(allowed)s.",
                            len(unknown), codes=", ".join(unknown), allowed=allowed) + hint
        return ngettext("Unknown category code: %(codes)s. Use the codes in the column guide.",
                        "Unknown category codes: %(codes)s. Use the codes in the column guide.",
                        len(unknown), codes=", ".join(unknown)) + hint

    def check_place(self, row, values):
        if not any(values.values()):
            return None
        for column, limit in PLACE_LIMITS.items():
            if len(values[column]) > limit:
                self.problem(row, column, _("Use %(max)s characters or fewer.", max=limit))
        if not values["postcode"]:
            self.problem(row, "postcode", _("Enter the postcode of the place, or leave all the place columns blank "
                                            "for a listing with no place (online or by phone)."))
            return None
        postcode = normalise_postcode(values["postcode"])
        if postcode is None:
            self.problem(row, "postcode", _("‘%(value)s’ is not a UK postcode. Write it like NW5 2AB.",
                                            value=values["postcode"]))
            return None
        return dict(values, postcode=postcode, town=values["town"] or "London")

    def outcome(self, plan):
        service = plan.service
        if service is None:
            return "new"
        if any(not _same(getattr(service, name), value) for name, value in plan.fields.items()):
            return "updated"
        if plan.categories is not _KEEP and sorted(c.code for c in service.categories) != plan.categories:
            return "updated"
        if plan.place is not _KEEP:
            if plan.place is None and service.service_locations:
                return "updated"
            if plan.place is not None and _place_key(plan.place) not in {_location_key(loc)
                                                                       for loc in service.locations}:
                return "updated"
        if plan.weekly is not _KEEP and _weekly_of(service) != plan.weekly:
            return "updated"
        if plan.verified and (service.last_verified_at is None or service.last_verified_at.date() != plan.verified):
            return "updated"
        return "unchanged"

    def name_new_services(self, seen_slugs):
        """Slugs for new listings without one: from the name, unique in the directory and the file."""
        taken = self.taken_slugs | set(seen_slugs)
        for plan in self.plans:
            if plan.service is not None or plan.slug:
                continue
            base = slugify(plan.name, max_length=80)
            candidate = base if base not in taken else slugify(f"{plan.name} {plan.org_slug}", max_length=140)
            number = 2
            while candidate in taken:
                candidate = f"{base}-{number}"
                number += 1
            plan.slug = candidate
            taken.add(candidate)


def _possible_phone(value):
    if len(value) > 40:
        return False
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number)


def _valid_email(value):
    if len(value) > 254:
        return False
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# Applying

def _parse_time(text):
    hours, minutes = (int(p) for p in text.split(":"))
    return dtime(hours, minutes)


class _Applier:
    def __init__(self, plans, organisations, user, today):
        self.plans = plans
        self.organisations = dict(organisations)
        self.user = user
        self.today = today
        self.categories = {c.code: c for c in db.session.execute(select(Category)).scalars()}
        self.hoods = {}

    def organisation(self, plan, name):
        org = self.organisations.get(plan.org_slug)
        if org is None:
            org = Organisation(slug=plan.org_slug, name=name)
            db.session.add(org)
            self.organisations[plan.org_slug] = org
        return org

    def location(self, org, place):
        key = _place_key(place)
        for loc in org.locations:
            if _location_key(loc) == key:
                return loc
        postcode = place["postcode"]
        if postcode not in self.hoods:
            self.hoods[postcode] = neighbourhood_for_postcode(postcode)
        latitude, longitude = position_for(postcode)  # a real address: no demo jitter
        loc = Location(organisation=org, name=place["location_name"], address_1=place["address_1"],
                       address_2=place["address_2"], town=place["town"], postcode=postcode, latitude=latitude,
                       longitude=longitude, neighbourhood=self.hoods[postcode])
        db.session.add(loc)
        return loc

    def apply(self, new_org_names):
        touched = []
        for plan in self.plans:
            if plan.outcome == "unchanged":
                continue
            org = self.organisation(plan, new_org_names.get(plan.org_slug, ""))
            service = plan.service
            if service is None:
                service = Service(organisation=org, slug=plan.slug, name=plan.name, capacity_updated_on=self.today)
                db.session.add(service)
            for name, value in plan.fields.items():
                if not _same(getattr(service, name), value):
                    setattr(service, name, value)
                    if name in ("capacity_status", "capacity_note"):
                        service.capacity_updated_on = self.today
            if plan.categories is not _KEEP and sorted(c.code for c in service.categories) != plan.categories:
                service.categories = [self.categories[code] for code in plan.categories]
            place_location, moved = _KEEP, False
            if plan.place is None:
                place_location, moved = None, bool(service.service_locations)
                if moved:
                    service.service_locations = []
            elif plan.place is not _KEEP:
                key = _place_key(plan.place)
                current = [loc for loc in service.locations if _location_key(loc) == key]
                if current:
                    place_location = current[0]
                else:
                    place_location, moved = self.location(org, plan.place), True
                    service.service_locations = [ServiceAtLocation(location=place_location)]
            if plan.weekly is not _KEEP and _weekly_of(service) != plan.weekly:
                at = place_location if place_location is not _KEEP else (service.locations or [None])[0]
                service.schedules = [s for s in service.schedules if s.kind != "weekly"] + [
                    Schedule(kind="weekly", weekday=day, opens_at=_parse_time(opens), closes_at=_parse_time(closes),
                             location=at) for day, opens, closes in plan.weekly]
            elif moved:
                # Weekly sessions follow the listing to its new place (or to no place).
                for session in service.schedules:
                    if session.kind == "weekly" and session.location_id is not None:
                        session.location = place_location
            if plan.verified and (service.last_verified_at is None
                                  or service.last_verified_at.date() != plan.verified):
                service.last_verified_at = datetime.combine(plan.verified, dtime(12, 0))
                service.last_verified_by_id = getattr(self.user, "id", None)
            touched.append(service)
        return touched


# The whole import

def import_csv(data, *, dry_run, user=None, today=None):
    """Check (and unless dry_run, apply) a CSV file given as bytes. Never raises for a bad file."""
    with _locale_for_messages():
        return _import(data, dry_run=dry_run, user=user, today=today or utcnow().date())


def _import(data, *, dry_run, user, today):
    report = ImportReport(dry_run=dry_run)
    try:
        header, rows = read_csv(data)
        checker = _Checker(header, rows, today)
        report.rows = len(rows)
        checker.run()
    except CsvFileError as exc:
        report.file_error = str(exc)
        return report
    report.problems = checker.problems
    if not checker.problems:
        report.new_services = sum(plan.outcome == "new" for plan in checker.plans)
        report.updated_services = sum(plan.outcome == "updated" for plan in checker.plans)
        report.unchanged_services = sum(plan.outcome == "unchanged" for plan in checker.plans)
        report.new_organisations = len({plan.org_slug for plan in checker.plans
                                        if plan.org is None and plan.outcome != "unchanged"})
    if dry_run or checker.problems:
        return report
    new_org_names = {slug: name for slug, (name, _row) in checker.new_orgs.items()}
    try:
        with db.session.no_autoflush:
            touched = _Applier(checker.plans, checker.organisations, user, today).apply(new_org_names)
        db.session.flush()
        for service in touched:
            record("service", service, service.organisation_id, snapshot_service(service), "import", user)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("CSV import failed and was rolled back")
        report.file_error = _("Nothing was imported: the directory could not be saved, perhaps because someone "
                              "changed it at the same time. Check the file again and retry.")
        return report
    except Exception:
        db.session.rollback()
        raise
    report.applied = True
    return report


# Export

def _guard(value):
    """Spreadsheets run a cell starting with = + - @ as a formula: a leading quote keeps it text."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value.startswith(INJECTION_STARTS) else value


def export_row(service):
    links = sorted(service.service_locations, key=lambda link: link.location_id or 0)
    place = links[0].location if links else None
    values = {
        "organisation_slug": service.organisation.slug, "organisation_name": service.organisation.name,
        "service_slug": service.slug, "name": service.name, "description": service.description,
        "access_method": service.access_method, "access_text": service.access_text,
        "eligibility": service.eligibility, "min_age": service.min_age, "max_age": service.max_age,
        "audience": ";".join(sorted(service.audience or [])), "cost_type": service.cost_type,
        "cost_text": service.cost_text, "formats": ";".join(sorted(service.formats or [])),
        "languages": ";".join(sorted(service.languages or [])),
        "accessibility": ";".join(sorted(service.accessibility or [])),
        "capacity_status": service.capacity_status, "capacity_note": service.capacity_note,
        "contact_name": service.contact_name, "contact_role": service.contact_role,
        "contact_phone": service.contact_phone, "contact_email": service.contact_email, "status": service.status,
        "categories": ";".join(c.code for c in service.categories),
        "location_name": place.name if place else "", "address_1": place.address_1 if place else "",
        "address_2": place.address_2 if place else "", "town": place.town if place else "",
        "postcode": place.postcode if place else "", "weekly_sessions": format_sessions(service),
        "last_verified": service.last_verified_at.date().isoformat() if service.last_verified_at else "",
    }
    return [_guard(values[column]) for column in COLUMNS]


def iter_export(batch=500):
    """The export as text chunks: a byte order mark, the header, then one row per listing."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    ids = db.session.execute(select(Service.id).join(Organisation, Service.organisation_id == Organisation.id)
                             .order_by(Organisation.slug, Service.slug)).scalars().all()
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        by_id = {s.id: s for s in db.session.execute(select(Service).where(Service.id.in_(chunk))).scalars()}
        buffer.seek(0)
        buffer.truncate()
        for service_id in chunk:
            if service_id in by_id:
                writer.writerow(export_row(by_id[service_id]))
        yield buffer.getvalue()


def export_filename():
    return f"hidden-gems-directory-{utcnow().date().isoformat()}.csv"


# Web pages

@bp.route("/", methods=["GET", "POST"])
@role_required("manager", "admin")
def upload():
    report, error, status = None, None, 200
    if request.method == "POST":
        action = request.form.get("action")
        upload_file = request.files.get("file")
        if upload_file is None or not upload_file.filename:
            error, status = _("Choose a CSV file to check or import."), 400
        else:
            data = upload_file.read(max_bytes() + 1)
            report = import_csv(data, dry_run=action != "import", user=current_user._get_current_object())
            if report.file_error:
                error, status = report.file_error, 400
    return render_template("directory/csv_import.html", report=report, error=error, columns=column_guide(),
                           max_rows=MAX_ROWS, max_problems=1000, max_megabytes=max_bytes() // (1024 * 1024)), status


@bp.route("/export.csv")
@role_required("manager", "admin")
def export():
    response = Response(stream_with_context(iter_export()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{export_filename()}"'
    response.headers["Cache-Control"] = "no-store"  # it holds contact details
    return response


# Command line

def _echo_report(report):
    if report.file_error:
        click.echo(report.file_error, err=True)
        return
    for problem in report.problems:
        click.echo(_("Row %(row)s, %(column)s: %(message)s", row=problem.row, column=problem.column or "-",
                     message=problem.message))
    if report.problems:
        click.echo(ngettext("%(num)s problem found. Nothing was changed.", "%(num)s problems found. Nothing was changed.",
                            len(report.problems)), err=True)
        return
    summary = _("%(new)s new listings, %(updated)s updated, %(unchanged)s unchanged, %(orgs)s new organisations.",
                new=report.new_services, updated=report.updated_services, unchanged=report.unchanged_services,
                orgs=report.new_organisations)
    if report.applied:
        click.echo(_("Imported: %(summary)s", summary=summary))
    else:
        click.echo(_("Dry run, nothing was changed. If imported: %(summary)s", summary=summary))


@csv_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change, changing nothing.")
def import_command(file, dry_run):
    """Import listings from FILE (the layout `flask csv export` writes; see docs/csv.md)."""
    with _locale_for_messages():
        if file.stat().st_size > max_bytes():
            click.echo(_("The file is larger than %(size)s MB. Split it into smaller files.",
                         size=max_bytes() // (1024 * 1024)), err=True)
            click.get_current_context().exit(1)
        report = import_csv(file.read_bytes(), dry_run=dry_run)
        _echo_report(report)
    if not report.ok:
        click.get_current_context().exit(1)


@csv_cli.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_command(output):
    """Export every listing as CSV (UTF-8 with a byte order mark)."""
    if output is None:
        for chunk in iter_export():
            click.echo(chunk, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        for chunk in iter_export():
            handle.write(chunk)
    count = db.session.execute(select(func.count(Service.id))).scalar_one()
    click.echo(f"Wrote {count} listings to {output}.", err=True)
