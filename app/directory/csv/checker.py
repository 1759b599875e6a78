"""Checking a file against the directory as it is: every problem by row and column, and a plan for each
good row. Writes nothing.

Each column (or group of columns) has one small check in ROW_CHECKS; a check reads its cells, reports
problems and fills in the row's plan.
"""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import validation
from app.core.text import slugify
from app.directory.csv.columns import (
    AGE_COLUMNS,
    CHOICE_FIELDS,
    COLUMNS,
    LIST_FIELDS,
    PLACE_COLUMNS,
    PLACE_LIMITS,
    TEXT_FIELDS,
)
from app.directory.csv.naming import check_name, name_key
from app.directory.csv.plan import KEEP, Plan, Problem, outcome
from app.directory.csv.reader import (
    CsvFileError,
    clean_cell,
    column_letter,
    parse_date,
    split_codes,
    unknown_codes_message,
)
from app.directory.csv.sessions import check_closures, check_weekly_sessions
from app.directory.models import Category, Organisation, Service, statuses
from app.extensions import db

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Checker:
    """Checks every row against the database as it is, and plans each row's outcome."""

    def __init__(self, header, rows, today):
        self.today = today
        self.problems = []
        self.plans = []
        self.new_orgs = {}  # slug -> (name, first row)
        self.seen_slugs = {}  # service slug -> the row that names it
        self.seen_names = {}  # (organisation slug, name key) -> the row with no slug that names it
        self.header = [clean_cell(cell).lower() for cell in header]
        self.rows = rows
        self.columns = {}  # name -> index

    def problem(self, row, column, message):
        self.problems.append(Problem(row, column, message))

    def run(self):
        self.check_header()
        self.load()
        for number, cells in self.rows:
            self.check_row(number, cells)
        self.name_new_services()
        self.problems.sort(key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else len(COLUMNS)))

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
        # A row with no service_slug names its listing by organisation and name, so a re-import updates it.
        self.by_name = {}
        for service_id, org_id, name in db.session.execute(select(Service.id, Service.organisation_id, Service.name)):
            self.by_name.setdefault((org_id, name_key(name)), []).append(service_id)
        wanted = set()
        if "service_slug" in self.columns:
            index = self.columns["service_slug"]
            wanted = {clean_cell(cells[index]) for _row, cells in self.rows if index < len(cells)} & self.taken_slugs
        self.services = {}
        wanted = sorted(wanted)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for service in db.session.execute(select(Service).where(Service.slug.in_(chunk))).scalars():
                self.services[service.slug] = service

    def check_row(self, number, cells):
        row = _Row(self, number, cells)
        problems_before = len(self.problems)
        for check in ROW_CHECKS:
            check(row)
        if len(self.problems) == problems_before:
            row.plan.outcome = outcome(row.plan)
            self.plans.append(row.plan)

    def name_new_services(self):
        """Slugs for new listings without one: from the name, unique in the directory and the file."""
        taken = self.taken_slugs | set(self.seen_slugs)
        for plan in self.plans:
            if plan.service is not None or plan.slug:
                continue
            base = slugify(plan.name, max_length=80, fallback=plan.org_slug or "listing")
            candidate = base if base not in taken else slugify(f"{plan.name} {plan.org_slug}", max_length=140)
            number = 2
            while candidate in taken:
                candidate = f"{base}-{number}"
                number += 1
            plan.slug = candidate
            taken.add(candidate)


class _Row:
    """One row being checked: its cells by column name, and the plan its checks fill in."""

    def __init__(self, checker, number, cells):
        self.checker = checker
        self.number = number
        self.cells = cells
        self.plan = Plan(row=number)

    def has(self, name):
        return name in self.checker.columns

    def cell(self, name):
        index = self.checker.columns.get(name)
        return clean_cell(self.cells[index]) if index is not None and index < len(self.cells) else ""

    def problem(self, column, message):
        self.checker.problem(self.number, column, message)


# The checks, in the order their problems are reported within a column.

def check_unnamed_cells(row):
    header = row.checker.header
    for index, value in enumerate(row.cells):
        if (index >= len(header) or not header[index]) and value.strip():
            row.problem(_("column %(letter)s", letter=column_letter(index)),
                        _("This cell has no column name in the first row. Remove it, or name the column."))


def check_service_slug(row):
    """Which listing the row updates (none: a new listing)."""
    slug = row.plan.slug = row.cell("service_slug")
    seen = row.checker.seen_slugs
    if not slug:
        return
    if len(slug) > 160 or not SLUG_RE.match(slug):
        row.problem("service_slug", _("A slug can only have lower-case letters, numbers and single "
                                      "hyphens, like tuesday-walking-group."))
    elif slug in seen:
        row.problem("service_slug", _("The listing %(slug)s is already in row %(row)s. Each listing can "
                                      "appear only once in a file.", slug=slug, row=seen[slug]))
    else:
        seen[slug] = row.number
        row.plan.service = row.checker.services.get(slug)


def check_organisation(row):
    """Whose listing it is: an organisation in the directory, or a new one the file names."""
    plan, org_name = row.plan, row.cell("organisation_name")
    name_ok = len(org_name) <= 200
    if not name_ok:
        row.problem("organisation_name", _("Use 200 characters or fewer."))
    plan.org_slug, plan.org, found = _find_organisation(row, org_name)
    if not (name_ok and found):
        return
    if plan.org is None and plan.org_slug:
        _check_new_organisation_name(row, org_name)
    service = plan.service
    if service is not None and plan.org_slug and service.organisation.slug != plan.org_slug:
        row.problem("organisation_slug",
                    _("The listing %(slug)s belongs to %(org)s (%(org_slug)s). Import cannot move a listing to "
                      "another organisation.", slug=service.slug, org=service.organisation.name,
                      org_slug=service.organisation.slug))


def _find_organisation(row, org_name):
    """(slug, organisation or None for a new one, whether the row names one properly)."""
    org_slug = row.cell("organisation_slug")
    if org_slug:
        return _organisation_by_slug(row, org_slug, org_name)
    if org_name:
        org_slug = slugify(org_name, max_length=120)
        return org_slug, row.checker.organisations.get(org_slug), True
    service = row.plan.service
    if service is not None:
        return service.organisation.slug, service.organisation, True
    row.problem("organisation_slug" if row.has("organisation_slug") else "organisation_name",
                _("Enter the organisation_slug of an organisation in the directory, or an "
                  "organisation_name to create one."))
    return org_slug, None, False


def _organisation_by_slug(row, org_slug, org_name):
    if len(org_slug) > 120 or not SLUG_RE.match(org_slug):
        row.problem("organisation_slug", _("A slug can only have lower-case letters, numbers and single "
                                           "hyphens, like camden-befrienders."))
        return org_slug, None, False
    org = row.checker.organisations.get(org_slug)
    if org is None and not org_name:
        row.problem("organisation_slug",
                    _("There is no organisation with the slug %(slug)s. Check it, or fill in "
                      "organisation_name to create a new organisation.", slug=org_slug))
        return org_slug, None, False
    return org_slug, org, True


def _check_new_organisation_name(row, org_name):
    """Every row creating one organisation must give it the same name."""
    slug = row.plan.org_slug
    first = row.checker.new_orgs.get(slug)
    if first is None:
        row.checker.new_orgs[slug] = (org_name, row.number)
    elif first[0] != org_name:
        row.problem("organisation_name",
                    _("Row %(row)s creates the organisation %(slug)s with the name ‘%(name)s’. Use the same "
                      "name in every row.", row=first[1], slug=slug, name=first[0]))


def check_text_fields(row):
    for column, limit in TEXT_FIELDS.items():
        if row.has(column):
            value = row.cell(column)
            if limit and len(value) > limit:
                row.problem(column, _("Use %(max)s characters or fewer.", max=limit))
            row.plan.fields[column] = value


def check_choice_fields(row):
    for column, codes in CHOICE_FIELDS.items():
        value = row.cell(column)
        if not value:
            continue
        code = re.sub(r"[\s-]+", "_", value.lower())
        if code in codes:
            row.plan.fields[column] = code
        else:
            row.problem(column, _("‘%(value)s’ is not an allowed value. Use one of: %(codes)s.",
                                  value=value, codes=", ".join(codes)))


def check_status_change(row):
    """A listing's status moves only as the directory allows (published never goes back to draft)."""
    service, wanted = row.plan.service, row.plan.fields.get("status")
    if service is None or not wanted:
        return
    try:
        statuses.check("listing", service.status, wanted)
    except statuses.StatusChangeError as exc:
        row.problem("status", str(exc.message))


def check_list_fields(row):
    for column, codes in LIST_FIELDS.items():
        if row.has(column):
            values = [v.lower() for v in split_codes(row.cell(column))]
            unknown = [v for v in values if v not in codes]
            if unknown:
                row.problem(column, unknown_codes_message(unknown, ", ".join(codes)))
            row.plan.fields[column] = sorted(set(values))


def check_ages(row):
    ages = {column: _age(row, column) for column in AGE_COLUMNS}
    youngest, oldest = ages["min_age"], ages["max_age"]
    if isinstance(youngest, int) and isinstance(oldest, int) and youngest > oldest:
        row.problem("min_age", _("The youngest age (%(min)s) is higher than the oldest age (%(max)s).",
                                 min=youngest, max=oldest))


def _age(row, column):
    """The age the listing will have (None: no limit; KEEP: not known, the cell has a problem)."""
    if not row.has(column):
        service = row.plan.service
        return getattr(service, column) if service is not None else None
    value = row.cell(column)
    if not value:
        row.plan.fields[column] = None
        return None
    if re.fullmatch(r"\d{1,3}", value) and int(value) <= 120:
        row.plan.fields[column] = int(value)
        return int(value)
    row.problem(column, _("Enter an age as a whole number from 0 to 120, like 18, or leave it blank."))
    return KEEP


def check_contact_phone(row):
    if row.has("contact_phone"):
        value = row.cell("contact_phone")
        if value and validation.uk_service_phone(value) is None:
            row.problem("contact_phone", _("Enter a phone number, like 020 7946 0000, or leave it blank."))
        row.plan.fields["contact_phone"] = value  # as typed


def check_contact_email(row):
    if row.has("contact_email"):
        value = row.cell("contact_email")
        if value and validation.email(value) is None:
            row.problem("contact_email", _("Enter an email address in the correct format, like "
                                           "name@example.com, or leave it blank."))
        row.plan.fields["contact_email"] = value  # as typed: lower-casing it would count as a change


def check_categories(row):
    if row.has("categories"):
        values = [v.lower() for v in split_codes(row.cell("categories"))]
        unknown = [v for v in values if v not in row.checker.categories]
        if unknown:
            row.problem("categories", unknown_codes_message(unknown, None))
        row.plan.categories = sorted(set(values))


def check_place(row):
    if any(row.has(column) for column in PLACE_COLUMNS):
        row.plan.place = _place(row, {column: row.cell(column) for column in PLACE_COLUMNS})


def _place(row, values):
    """The place's columns, cleaned; None for no place (or a place with a problem)."""
    if not any(values.values()):
        return None
    for column, limit in PLACE_LIMITS.items():
        if len(values[column]) > limit:
            row.problem(column, _("Use %(max)s characters or fewer.", max=limit))
    if not values["postcode"]:
        row.problem("postcode", _("Enter the postcode of the place, or leave all the place columns blank "
                                  "for a listing with no place (online or by phone)."))
        return None
    postcode = validation.postcode(values["postcode"])
    if postcode is None:
        row.problem("postcode", _("‘%(value)s’ is not a UK postcode. Write it like NW5 2AB.",
                                  value=values["postcode"]))
        return None
    return dict(values, postcode=postcode, town=values["town"] or "London")


def check_last_verified(row):
    value = row.cell("last_verified") if row.has("last_verified") else ""
    if not value:
        return
    parsed = parse_date(value)
    if parsed is None:
        row.problem("last_verified", _("Enter a real date, like 2024-05-01, or leave it blank."))
    elif parsed > row.checker.today:
        row.problem("last_verified", _("The date a listing was checked cannot be in the future."))
    else:
        row.plan.verified = parsed


ROW_CHECKS = (
    check_unnamed_cells, check_service_slug, check_organisation, check_name, check_text_fields,
    check_choice_fields, check_status_change, check_list_fields, check_ages, check_contact_phone, check_contact_email,
    check_categories, check_place, check_weekly_sessions, check_closures, check_last_verified,
)
