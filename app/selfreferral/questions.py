"""The referral form's questions, one topic a page (GOV.UK question pages). Each step is a WTForms form;
the journey (journey.py) decides which steps apply and in what order."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core import clock
from app.core.forms import ClockTime, EmailAddress, Postcode, SiteForm, UKPhone
from app.core.requests import whole_number
from app.directory.taxonomy import CATEGORIES, DELIVERY_LANGUAGES


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
PREFER_NOT = ("prefer_not", _l("Prefer not to say"))
WEEKDAYS = choices([("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")), ("3", _l("Thursday")),
                    ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday"))])
CONTACT_METHODS = [("phone", _l("Phone call")), ("text", _l("Text message")), ("email", _l("Email")),
                   ("letter", _l("Letter")), ("trusted", _l("Through a place or worker I trust"))]
ETHNICITY = [
    ("asian-bangladeshi", _l("Asian or Asian British: Bangladeshi")),
    ("asian-chinese", _l("Asian or Asian British: Chinese")),
    ("asian-indian", _l("Asian or Asian British: Indian")),
    ("asian-pakistani", _l("Asian or Asian British: Pakistani")),
    ("asian-other", _l("Asian or Asian British: any other Asian background")),
    ("black-african", _l("Black, Black British, Caribbean or African: African")),
    ("black-caribbean", _l("Black, Black British, Caribbean or African: Caribbean")),
    ("black-other", _l("Black, Black British, Caribbean or African: any other Black background")),
    ("mixed-white-asian", _l("Mixed or multiple ethnic groups: White and Asian")),
    ("mixed-white-black-african", _l("Mixed or multiple ethnic groups: White and Black African")),
    ("mixed-white-black-caribbean", _l("Mixed or multiple ethnic groups: White and Black Caribbean")),
    ("mixed-other", _l("Mixed or multiple ethnic groups: any other mixed background")),
    ("white-british", _l("White: English, Welsh, Scottish, Northern Irish or British")),
    ("white-irish", _l("White: Irish")),
    ("white-gypsy-traveller", _l("White: Gypsy or Irish Traveller")),
    ("white-roma", _l("White: Roma")),
    ("white-other", _l("White: any other White background")),
    ("other-arab", _l("Other ethnic group: Arab")),
    ("other-any", _l("Other ethnic group: any other ethnic group")),
    PREFER_NOT,
]
SWEMWBS_ITEMS = [
    _l("I’ve been feeling optimistic about the future"),
    _l("I’ve been feeling useful"),
    _l("I’ve been feeling relaxed"),
    _l("I’ve been dealing with problems well"),
    _l("I’ve been thinking clearly"),
    _l("I’ve been feeling close to other people"),
    _l("I’ve been able to make up my own mind about things"),
]
SWEMWBS_ANSWERS = choices([("1", _l("None of the time")), ("2", _l("Rarely")), ("3", _l("Some of the time")),
                           ("4", _l("Often")), ("5", _l("All of the time"))])
NEED_CHOICES = [(code, name) for code, name, _desc, _subs in CATEGORIES if code != "urgent"]
uk_phone = UKPhone(_l("Enter a phone number, like 07700 900 982 or 020 7946 0000"))
uk_postcode = Postcode(_l("Enter a real postcode, like NW5 2AB"))
clock_time = ClockTime(_l("Enter a time on the 24-hour clock, like 09:30 or 17:00"))


class StepForm(SiteForm):
    """A step of the journey. `title` is the page heading; a one-question step uses it as the legend."""
    title = ""

    def answers(self):
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class SafetyStep(StepForm):
    title = _l("Are you safe right now?")
    safe = RadioField(_l("Are you safe right now?"), choices=YES_NO,
                      description=_l("For example, are you at risk of harming yourself, or is someone else "
                                     "putting you in danger?"),
                      validators=[InputRequired(message=_l("Select yes if you are safe right now"))])


class WhoStep(StepForm):
    title = _l("Who is filling in this form?")
    route = RadioField(_l("Who is filling in this form?"), choices=choices([
        ("self", _l("I am referring myself")),
        ("on_behalf", _l("I am helping someone else, with their agreement")),
        ("worker", _l("I work for a community organisation and am referring someone"))]),
        validators=[InputRequired(message=_l("Select who is filling in this form"))])


class ReferrerStep(StepForm):
    title = _l("About you, the person making the referral")
    referrer_name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Enter your name")),
        Length(max=120, message=_l("Name must be 120 characters or fewer"))])
    referrer_organisation = StringField(_l("Organisation, if you work for one"), validators=[Optional(),
                                        Length(max=160, message=_l("Organisation must be 160 characters or fewer"))])
    referrer_phone = StringField(_l("Your phone number"), validators=[Optional(), uk_phone])
    referrer_email = StringField(_l("Your email address"), validators=[Optional(), Length(max=254), EmailAddress(
        message=_l("Enter an email address in the correct format, like name@example.com"))])
    agreement = BooleanField(_l("The person knows about this referral and agrees to it"), validators=[
        DataRequired(message=_l("You can only refer someone who knows about it and agrees. Confirm they agree."))])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.referrer_phone.data or self.referrer_email.data) and not self.referrer_phone.errors:
            self.referrer_phone.errors.append(_l("Enter a phone number or an email address so we can reach you"))
            ok = False
        return ok


class AboutStep(StepForm):
    title = _l("About the person who needs support")
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(message=_l("Enter the person’s full name")),
        Length(max=120, message=_l("Name must be 120 characters or fewer"))])
    preferred_name = StringField(_l("What should we call them? (optional)"), validators=[Optional(), Length(max=60)])
    dob_day = StringField(_l("Day"), validators=[Optional(), Length(max=2)])
    dob_month = StringField(_l("Month"), validators=[Optional(), Length(max=2)])
    dob_year = StringField(_l("Year"), validators=[Optional(), Length(max=4)])
    age = StringField(_l("Or their age, if you would rather not give a date of birth"), validators=[Optional(),
                      Length(max=3)])
    pronouns = StringField(_l("Pronouns (optional)"), description=_l("For example, she/her, he/him or they/them"),
                           validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None):
        from datetime import date
        ok = super().validate(extra_validators)
        parts = (self.dob_day.data, self.dob_month.data, self.dob_year.data)
        if any(parts):
            try:
                born = date(int(parts[2]), int(parts[1]), int(parts[0]))
                if not (date(1900, 1, 1) <= born <= clock.local_today()):
                    raise ValueError
            except (TypeError, ValueError):
                self.dob_day.errors.append(_l("Date of birth must be a real date in the past, like 27 3 1985"))
                return False
        elif self.age.data:
            if whole_number(self.age.data, 16, 120) is None:
                self.age.errors.append(_l("Enter an age between 16 and 120"))
                return False
        else:
            self.dob_day.errors.append(_l("Enter a date of birth or an age"))
            return False
        return ok


class ContactStep(StepForm):
    title = _l("How should we contact them?")
    methods = SelectMultipleField(_l("Ways we may contact them"), choices=choices(CONTACT_METHODS),
                                  description=_l("Select all that are OK."),
                                  validators=[DataRequired(message=_l("Select at least one way we can contact them"))])
    phone = StringField(_l("Phone number (for calls or texts)"), validators=[Optional(), uk_phone])
    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254), EmailAddress(
        message=_l("Enter an email address in the correct format, like name@example.com"))])
    trusted_contact = StringField(_l("The place or worker we should contact, and how"), validators=[
        Optional(), Length(max=300, message=_l("This must be 300 characters or fewer"))])
    best_days = SelectMultipleField(_l("Best days (optional)"), choices=WEEKDAYS, validators=[Optional()])
    best_times = SelectMultipleField(_l("Best times (optional)"), choices=choices([
        ("morning", _l("Morning")), ("afternoon", _l("Afternoon")), ("evening", _l("Evening"))]),
        validators=[Optional()])
    not_before = StringField(_l("Do not call before (optional)"), description=_l("For example, 10:00"),
                             validators=[Optional(), clock_time])
    not_after = StringField(_l("Do not call after (optional)"), description=_l("For example, 18:30"),
                            validators=[Optional(), clock_time])
    leave_message = RadioField(_l("Can we leave a message?"), choices=YES_NO,
                               validators=[InputRequired(message=_l("Select yes if we can leave a message"))])

    # Each way of contacting them needs its detail: (ways, field, message when it is missing).
    DETAILS_NEEDED = (
        ({"phone", "text"}, "phone", _l("Enter a phone number, or untick phone call and text message")),
        ({"email"}, "email", _l("Enter an email address, or untick email")),
        ({"trusted"}, "trusted_contact", _l("Tell us the place or worker to contact, or untick that option")),
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        methods = set(self.methods.data or [])
        for ways, name, message in self.DETAILS_NEEDED:
            field = self[name]
            if methods & ways and not field.data and not field.errors:
                field.errors.append(message)
                ok = False
        return ok


class AddressStep(StepForm):
    title = _l("Where do they live?")
    no_fixed_address = BooleanField(_l("They have no fixed address"), validators=[Optional()])
    address_line1 = StringField(_l("Address line 1 (optional)"), validators=[Optional(), Length(max=120)])
    address_line2 = StringField(_l("Address line 2 (optional)"), validators=[Optional(), Length(max=120)])
    town = StringField(_l("Town or city (optional)"), validators=[Optional(), Length(max=60)])
    postcode = StringField(_l("Postcode (optional)"), description=_l("We use it to find the team nearest to them"),
                           validators=[Optional(), Length(max=10), uk_postcode])
    has_gp = RadioField(_l("Are they registered with a GP?"), choices=choices([
        ("yes", _l("Yes")), ("no", _l("No, they do not have a GP")), ("not_sure", _l("Not sure"))]),
        description=_l("You can refer without a GP."),
        validators=[InputRequired(message=_l("Select whether they have a GP"))])
    gp_name = StringField(_l("GP practice name (optional)"), validators=[Optional(), Length(max=120)])

    def __init__(self, *args, needs_letter_address=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_letter_address = needs_letter_address

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.needs_letter_address and not self.no_fixed_address.data and not (
                self.address_line1.data and self.postcode.data):
            self.address_line1.errors.append(_l("Enter an address and postcode for letters, or go back and "
                                                "choose another way to contact them"))
            ok = False
        return ok


class NeedsStep(StepForm):
    title = _l("What would help?")
    needs = SelectMultipleField(_l("What would they like help with?"), choices=choices(NEED_CHOICES),
                                description=_l("Select all that apply."), validators=[Optional()])
    own_words = TextAreaField(_l("In their own words, what is going on and what would help? (optional)"),
                              validators=[Optional(), Length(max=3000, message=_l(
                                  "This must be 3,000 characters or fewer"))])
    current_support = TextAreaField(_l("Support they get now from other services (optional)"),
                                    description=_l("So we do not ask them to tell their story again."),
                                    validators=[Optional(), Length(max=1500, message=_l(
                                        "This must be 1,500 characters or fewer"))])
    substances = RadioField(_l("Would support with alcohol or drugs be useful?"), choices=choices([
        ("no", _l("No")), ("yes", _l("Yes")), PREFER_NOT]),
        description=_l("We ask everyone. It never stops anyone getting support."),
        validators=[Optional()])


class LanguageStep(StepForm):
    title = _l("Language and access")
    preferred_language = SelectField(_l("Which language would they like to use?"), choices=choices(
        list(DELIVERY_LANGUAGES.items()) + [("other", _l("Another language"))]), default="en")
    interpreter = RadioField(_l("Would they like an interpreter?"), choices=YES_NO,
                             validators=[InputRequired(message=_l("Select yes if they would like an interpreter"))])
    access_needs = TextAreaField(_l("Anything that would make contact easier (optional)"),
                                 description=_l("For example, large print, a quiet room, or extra time."),
                                 validators=[Optional(), Length(max=1000)])


class EqualityStep(StepForm):
    title = _l("Equality questions (optional)")
    ethnicity = RadioField(_l("What is their ethnic group?"), choices=choices(ETHNICITY), validators=[Optional()])
    sex = RadioField(_l("What is their sex?"), choices=choices([("female", _l("Female")), ("male", _l("Male")),
                                                                PREFER_NOT]), validators=[Optional()])
    gender_same = RadioField(_l("Is the gender they identify with the same as their sex registered at birth?"),
                             choices=choices([("yes", _l("Yes")), ("no", _l("No")), PREFER_NOT]),
                             validators=[Optional()])
    orientation = RadioField(_l("Which of these best describes their sexual orientation?"), choices=choices([
        ("straight", _l("Straight or heterosexual")), ("gay", _l("Gay or lesbian")), ("bisexual", _l("Bisexual")),
        ("other", _l("Another sexual orientation")), PREFER_NOT]), validators=[Optional()])
    disability = RadioField(_l("Do they have a disability or long-term condition?"), choices=choices([
        ("yes", _l("Yes")), ("no", _l("No")), PREFER_NOT]), validators=[Optional()])
    religion = RadioField(_l("What is their religion?"), choices=choices([
        ("none", _l("No religion")), ("christian", _l("Christian")), ("buddhist", _l("Buddhist")),
        ("hindu", _l("Hindu")), ("jewish", _l("Jewish")), ("muslim", _l("Muslim")), ("sikh", _l("Sikh")),
        ("other", _l("Another religion")), PREFER_NOT]), validators=[Optional()])


class WellbeingStep(StepForm):
    title = _l("How they have been feeling (optional)")
    item1 = RadioField(SWEMWBS_ITEMS[0], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item2 = RadioField(SWEMWBS_ITEMS[1], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item3 = RadioField(SWEMWBS_ITEMS[2], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item4 = RadioField(SWEMWBS_ITEMS[3], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item5 = RadioField(SWEMWBS_ITEMS[4], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item6 = RadioField(SWEMWBS_ITEMS[5], choices=SWEMWBS_ANSWERS, validators=[Optional()])
    item7 = RadioField(SWEMWBS_ITEMS[6], choices=SWEMWBS_ANSWERS, validators=[Optional()])


class ConsentStep(StepForm):
    title = _l("Agreeing to how we use this information")
    consent = BooleanField(_l("I agree that the single point of access may keep this information and share it with "
                              "the partner services that support the person"),
                           validators=[DataRequired(message=_l("You need to agree so we can act on the referral"))])


def swemwbs_score(answers):
    """Raw SWEMWBS score (7 to 35) when all seven items are answered, else None."""
    values = [answers.get(f"item{i}") for i in range(1, 8)]
    if not all(v in {"1", "2", "3", "4", "5"} for v in values):
        return None
    return sum(int(v) for v in values)
