"""Forms providers and managers use to keep listings current, section by section."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.core import validation
from app.core.forms import ClockTime, EmailAddress, SiteForm, SiteSubform, UKServicePhone
from app.directory import taxonomy
from app.directory.provider import timetable_forms


def _choices(mapping):
    return [SelectChoice(code, label) for code, label in mapping.items()]


def category_choices():
    out = []
    for _code, name, _desc, subs in taxonomy.CATEGORIES:
        out.extend(SelectChoice(sub_code, sub_name, optgroup=str(name)) for sub_code, sub_name in subs)
    return out


phone_number = UKServicePhone(_l("Enter a phone number, like 020 7946 0000 or 07700 900 982"))
clock = ClockTime(_l("Enter a time on the 24-hour clock, like 09:30"))


class BasicsForm(SiteForm):
    title = _l("The basics")
    name = StringField(_l("Name of the activity or service"), validators=[
        DataRequired(message=_l("Enter the name")),
        Length(max=200, message=_l("Name must be 200 characters or fewer"))])
    description = TextAreaField(_l("Describe it in plain words"), description=_l(
        "What happens, what it feels like to go, who comes. You can use **bold** and lists starting with “- ”."),
        validators=[DataRequired(message=_l("Enter a description")),
                    Length(max=5000, message=_l("Description must be 5,000 characters or fewer"))])
    categories = SelectMultipleField(_l("Categories"), choices=category_choices(),
                                     description=_l("Choose one to three."),
                                     validators=[DataRequired(message=_l("Choose at least one category"))])

    def validate_categories(self, field):
        if len(field.data or []) > 3:
            raise ValidationError(_l("Choose no more than three categories"))


class WhereWhenForm(SiteForm):
    title = _l("Where and when")
    locations = SelectMultipleField(_l("Where it happens"), choices=[], validate_choice=False,
                                    description=_l("Leave all unticked if it runs only online or by phone."))
    formats = SelectMultipleField(_l("How it runs"), choices=_choices(taxonomy.FORMATS),
                                  validators=[DataRequired(message=_l("Choose how it runs"))])
    sessions = FieldList(FormField(timetable_forms.SessionForm), min_entries=1, max_entries=timetable_forms.MAX_ROWS)
    events = FieldList(FormField(timetable_forms.EventForm), min_entries=0, max_entries=timetable_forms.MAX_ROWS)
    closures = FieldList(FormField(timetable_forms.ClosureForm), min_entries=0,
                         max_entries=timetable_forms.MAX_ROWS)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        rows = [entry.form.check() for name in timetable_forms.ROW_LISTS for entry in self[name]]
        return all(rows) and self._check_places() and ok

    def _check_places(self):
        if "in_person" in (self.formats.data or []) and not self.locations.data:
            _add_error(self.locations, _l("Choose where it happens, or untick ‘In person’"))
            return False
        return True

    def error_items(self):
        return timetable_forms.error_items(self)


def _add_error(field, message):
    field.errors = list(field.errors) + [message]


class WhoForm(SiteForm):
    title = _l("Who it is for")
    eligibility = TextAreaField(_l("Who can come (optional)"), validators=[Optional(), Length(max=1000)])
    min_age = IntegerField(_l("Youngest age (optional)"), validators=[Optional(), NumberRange(
        min=0, max=120, message=_l("Enter an age between 0 and 120"))])
    max_age = IntegerField(_l("Oldest age (optional)"), validators=[Optional(), NumberRange(
        min=0, max=120, message=_l("Enter an age between 0 and 120"))])
    audience = SelectMultipleField(_l("Is it just for some people? (optional)"), choices=_choices(taxonomy.AUDIENCES),
                                   validators=[Optional()])
    languages = SelectMultipleField(_l("Languages it is run in"), choices=_choices(taxonomy.DELIVERY_LANGUAGES),
                                    validators=[DataRequired(message=_l("Choose at least one language"))])
    accessibility = SelectMultipleField(_l("Accessibility (optional)"), choices=_choices(
        taxonomy.ACCESSIBILITY_FEATURES), validators=[Optional()])

    def validate_max_age(self, field):
        if field.data is not None and self.min_age.data is not None and field.data < self.min_age.data:
            raise ValidationError(_l("The oldest age must be the same as or more than the youngest age"))


class ContactForm(SiteForm):
    title = _l("How to get in touch")
    access_method = RadioField(_l("How do people start?"), choices=_choices(taxonomy.ACCESS_METHODS),
                               validators=[InputRequired(message=_l("Choose how people start"))])
    access_text = TextAreaField(_l("What should they do? (optional)"), validators=[Optional(), Length(max=1000)])
    cost_type = RadioField(_l("Cost"), choices=_choices(taxonomy.COST_TYPES),
                           validators=[InputRequired(message=_l("Choose the cost"))])
    cost_text = StringField(_l("Cost details (optional)"), validators=[Optional(), Length(max=300)])
    contact_name = StringField(_l("Named contact for professionals"), description=_l(
        "The person GPs, key workers and housing teams can call about a referral."),
        validators=[DataRequired(message=_l("Enter a named contact")), Length(max=200)])
    contact_role = StringField(_l("Their role (optional)"), validators=[Optional(), Length(max=200)])
    contact_phone = StringField(_l("Their phone number"), validators=[Optional(), phone_number])
    contact_email = StringField(_l("Their email address"), validators=[Optional(), Length(max=254), EmailAddress(
        message=_l("Enter an email address in the correct format, like name@example.com"))])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.contact_phone.data or self.contact_email.data) and not self.contact_phone.errors:
            self.contact_phone.errors = list(self.contact_phone.errors) + [
                _l("Enter a phone number or an email address for the contact")]
            ok = False
        return ok


class CapacityForm(SiteForm):
    capacity_status = RadioField(_l("Are you taking new people?"), choices=_choices(taxonomy.CAPACITY_STATUSES),
                                 validators=[InputRequired(message=_l("Choose one"))])
    capacity_note = StringField(_l("Note (optional)"), description=_l("For example, ‘Full until March’"),
                                validators=[Optional(), Length(max=300, message=_l(
                                    "The note must be %(max)s characters or fewer"))])


class LocationForm(SiteSubform):
    location_id = StringField(validators=[Optional()])
    name = StringField(_l("Place name"), validators=[Optional(), Length(max=200)])
    address_1 = StringField(_l("Address line 1"), validators=[Optional(), Length(max=200)])
    address_2 = StringField(_l("Address line 2"), validators=[Optional(), Length(max=200)])
    town = StringField(_l("Town"), validators=[Optional(), Length(max=100)])
    postcode = StringField(_l("Postcode"), validators=[Optional(), Length(max=10)])
    nearest_station = StringField(_l("Nearest station (optional)"),
                                  description=_l("The train, Tube or Overground station closest to the place"),
                                  validators=[Optional(), Length(max=120)])


class OrganisationForm(SiteForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(message=_l("Enter the organisation’s name")),
                                                           Length(max=200)])
    description = TextAreaField(_l("About the organisation"), validators=[Optional(), Length(max=3000)])
    website = StringField(_l("Website (optional)"), validators=[Optional(), Length(max=500), URL(
        require_tld=True, message=_l("Enter a web address that starts with https://, like https://www.example.org"))])
    email = StringField(_l("Email address (optional)"), validators=[Optional(), Length(max=254), EmailAddress(
        message=_l("Enter an email address in the correct format, like name@example.com"))])
    phone = StringField(_l("Phone number (optional)"), validators=[Optional(), phone_number])
    charity_number = StringField(_l("Charity number (optional)"), validators=[Optional(), Length(max=20)])
    company_number = StringField(_l("Company number (optional)"), validators=[Optional(), Length(max=20)])
    locations = FieldList(FormField(LocationForm), min_entries=3, max_entries=10)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.website.data and not self.website.data.lower().startswith(("https://", "http://")):
            self.website.errors = list(self.website.errors) + [
                _l("Enter a web address that starts with https://, like https://www.example.org")]
            ok = False
        for entry in self.locations:
            row = entry.form
            filled = row.address_1.data or row.postcode.data or row.name.data
            if filled and not validation.postcode(row.postcode.data):
                row.postcode.errors = list(row.postcode.errors) + [_l("Enter a real postcode, like NW5 2AB")]
                ok = False
        return ok
