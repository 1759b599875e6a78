"""The referral form's questions, one topic a page (GOV.UK question pages). Each step is a WTForms form;
the journey (journey.py) decides which steps apply and in what order."""

from datetime import date

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core import clock
from app.core.forms import ClockTime, EmailAddress, Postcode, SiteForm, UKPhone
from app.core.requests import whole_number
from app.core.validation import parse_clock_time
from app.directory.taxonomy import CATEGORIES, DELIVERY_LANGUAGES
from app.selfreferral import eligibility
from app.selfreferral.ethnicity import ETHNICITY_GROUPS


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


YES_NO = choices([("yes", _l("Yes")), ("no", _l("No"))])
PREFER_NOT = ("prefer_not", _l("Prefer not to say"))
ETHNICITY = [*ETHNICITY_GROUPS, PREFER_NOT]
WEEKDAYS = choices([("0", _l("Monday")), ("1", _l("Tuesday")), ("2", _l("Wednesday")), ("3", _l("Thursday")),
                    ("4", _l("Friday")), ("5", _l("Saturday")), ("6", _l("Sunday"))])
CONTACT_METHODS = [("phone", _l("Phone call")), ("text", _l("Text message")), ("email", _l("Email")),
                   ("letter", _l("Letter")), ("trusted", _l("Through a place or worker I trust"))]
CONTACT_METHODS_THEY = [*CONTACT_METHODS[:4], ("trusted", _l("Through a place or worker they trust"))]
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
    """A step of the journey. `title` is the page heading; a one-question step uses it as the legend.

    The class's texts speak about the person ("they"). Who fills in the form (`route`) picks the voice:
    FOR_SELF has the texts for someone referring themselves ("you"), FOR_HELPER the texts for a helper where
    the class speaks to the person. Each has "title", "labels" {field: label or (label, hint)}, "choices"
    {field: choices} and "errors" {field: message that replaces the field's required message}."""
    title = ""
    FOR_SELF = {}
    FOR_HELPER = {}

    def __init__(self, *args, route=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_self = route == "self"
        voice = self.FOR_SELF if self.for_self else (self.FOR_HELPER if route else {})
        self.title = voice.get("title", type(self).title)
        self._voiced_errors = voice.get("errors", {})
        for name, text in voice.get("labels", {}).items():
            label, hint = text if isinstance(text, tuple) else (text, None)
            self[name].label.text = label
            if hint is not None:
                self[name].description = hint
        for name, options in voice.get("choices", {}).items():
            self[name].choices = options

    def voiced(self, they, you):
        return you if self.for_self else they

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name, message in self._voiced_errors.items():
            field = self[name]
            required = [str(v.message) for v in field.validators if isinstance(v, (DataRequired, InputRequired))]
            # Only the "answer this" message is said to the right person; a too-long name keeps its own.
            field.errors[:] = [message if str(error) in required else error for error in field.errors]
        return ok

    def answers(self):
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class SafetyStep(StepForm):
    title = _l("Are you safe right now?")
    safe = RadioField(_l("Are you safe right now?"), choices=YES_NO,
                      description=_l("For example, are you at risk of harming yourself, or is someone else "
                                     "putting you in danger?"),
                      validators=[InputRequired(message=_l("Select yes if you are safe right now"))])
    FOR_HELPER = {"title": _l("Is the person you are referring safe right now?"),
                  "labels": {"safe": (_l("Is the person you are referring safe right now?"), _l(
                      "For example, are they at risk of harming themselves, or is someone else putting them in "
                      "danger?"))},
                  "errors": {"safe": _l("Select yes if they are safe right now")}}


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

    FOR_SELF = {"title": _l("About you"),
                "labels": {"preferred_name": _l("What should we call you? (optional)"),
                           "age": _l("Or your age, if you would rather not give a date of birth")},
                "errors": {"full_name": _l("Enter your full name")}}
    under_age = False

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        age, field = self._age()
        if age is None:
            return False
        if eligibility.too_young(age):
            # Told where to go instead (the page shows children's services), whether they typed an age or a date.
            self.under_age = True
            field.errors.append(self.voiced(
                _l("This service is for people aged 16 and over. See below for where they can get help."),
                _l("This service is for people aged 16 and over. See below for where you can get help.")))
            return False
        return ok

    def _age(self):
        """(age in years, the field it came from), or (None, None) with an error added."""
        today = clock.local_today()
        parts = (self.dob_day.data, self.dob_month.data, self.dob_year.data)
        if any(parts):
            try:
                born = date(int(parts[2]), int(parts[1]), int(parts[0]))
            except (TypeError, ValueError):
                born = None
            if born is None or not eligibility.plausible_birth_date(born, today):
                self.dob_day.errors.append(_l("Date of birth must be a real date in the past, like 27 3 1985"))
                return None, None
            return eligibility.age_on(born, today), self.dob_day
        if self.age.data:
            age = whole_number(self.age.data, 0, eligibility.MAX_AGE)
            if age is None:
                self.age.errors.append(_l("Enter an age between 16 and 120"))
                return None, None
            return age, self.age
        self.dob_day.errors.append(_l("Enter a date of birth or an age"))
        return None, None


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
    FOR_SELF = {"title": _l("How should we contact you?"), "labels": {"methods": _l("Ways we may contact you")},
                "errors": {"methods": _l("Select at least one way we can contact you")}}
    FOR_HELPER = {"choices": {"methods": choices(CONTACT_METHODS_THEY)}}

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        methods = set(self.methods.data or [])
        for ways, name, message in self.DETAILS_NEEDED:
            field = self[name]
            if methods & ways and not field.data and not field.errors:
                field.errors.append(message)
                ok = False
        start, end = parse_clock_time(self.not_before.data), parse_clock_time(self.not_after.data)
        if start and end and end <= start:
            self.not_after.errors.append(_l("The time not to call after must be later than the time not to call "
                                            "before, like 10:00 and 18:30"))
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
    # Asked only when the postcode is outside the borough: the service is for people with a link to it.
    connection = RadioField(_l("Which of these applies to them?"), choices=[], validators=[Optional()])
    FOR_SELF = {"title": _l("Where do you live?"),
                "labels": {"no_fixed_address": _l("I have no fixed address"),
                           "postcode": (_l("Postcode (optional)"), _l("We use it to find the team nearest to you")),
                           "has_gp": _l("Are you registered with a GP?"),
                           "connection": _l("Which of these applies to you?")},
                "choices": {"has_gp": choices([("yes", _l("Yes")), ("no", _l("No, I do not have a GP")),
                                               ("not_sure", _l("Not sure"))])},
                "errors": {"has_gp": _l("Select whether you have a GP")}}
    CONNECTIONS = ("lives", "gp", "no_fixed", "none")

    def __init__(self, *args, needs_letter_address=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_letter_address = needs_letter_address
        borough = current_app.config["BOROUGH_NAME"]
        they = [_l("They live in %(borough)s", borough=borough),
                _l("They are registered with a GP in %(borough)s", borough=borough),
                _l("They have no fixed address and stay in %(borough)s", borough=borough)]
        you = [_l("I live in %(borough)s", borough=borough),
               _l("I am registered with a GP in %(borough)s", borough=borough),
               _l("I have no fixed address and stay in %(borough)s", borough=borough)]
        self.connection.choices = choices(zip(self.CONNECTIONS, [*(you if self.for_self else they),
                                                                 _l("None of these")], strict=True))
        self.outside = not self.no_fixed_address.data and eligibility.outside_borough(self.postcode.data)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.needs_letter_address and not self.no_fixed_address.data and not (
                self.address_line1.data and self.postcode.data):
            self.address_line1.errors.append(self.voiced(
                _l("Enter an address and postcode for letters, or go back and choose another way to contact them"),
                _l("Enter an address and postcode for letters, or go back and choose another way to contact you")))
            ok = False
        if self.outside and self.connection.data not in self.CONNECTIONS and not self.postcode.errors:
            self.connection.errors.append(_l("Select which of these applies, or ‘None of these’"))
            ok = False
        return ok

    def answers(self):
        answers = super().answers()
        answers["connection"] = self.connection.data if self.outside else ""
        return answers

    @property
    def signpost(self):
        """No link to the borough: they are pointed to services where they live instead."""
        return self.outside and self.connection.data == "none"


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
    FOR_SELF = {"labels": {
        "needs": _l("What would you like help with?"),
        "own_words": _l("In your own words, what is going on and what would help? (optional)"),
        "current_support": (_l("Support you get now from other services (optional)"),
                            _l("So we do not ask you to tell your story again."))}}
    substances = RadioField(_l("Would support with alcohol or drugs be useful?"), choices=choices([
        ("no", _l("No")), ("yes", _l("Yes")), PREFER_NOT]),
        description=_l("We ask everyone. It never stops anyone getting support."),
        validators=[Optional()])


def interface_language():
    """The language the page is shown in, when it is one we can deliver in: people reading in Somali
    should not have to change the answer to Somali."""
    locale = get_locale()
    code = locale.language if locale else "en"
    return code if code in DELIVERY_LANGUAGES else "en"


class LanguageStep(StepForm):
    title = _l("Language and access")
    preferred_language = SelectField(_l("Which language would they like to use?"), choices=choices(
        list(DELIVERY_LANGUAGES.items()) + [("other", _l("Another language"))]), default=interface_language)
    interpreter = RadioField(_l("Would they like an interpreter?"), choices=YES_NO,
                             validators=[InputRequired(message=_l("Select yes if they would like an interpreter"))])
    access_needs = TextAreaField(_l("Anything that would make contact easier (optional)"),
                                 description=_l("For example, large print, a quiet room, or extra time."),
                                 validators=[Optional(), Length(max=1000)])
    FOR_SELF = {"labels": {"preferred_language": _l("Which language would you like to use?"),
                           "interpreter": _l("Would you like an interpreter?")},
                "errors": {"interpreter": _l("Select yes if you would like an interpreter")}}


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
    FOR_SELF = {"labels": {
        "ethnicity": _l("What is your ethnic group?"), "sex": _l("What is your sex?"),
        "gender_same": _l("Is the gender you identify with the same as your sex registered at birth?"),
        "orientation": _l("Which of these best describes your sexual orientation?"),
        "disability": _l("Do you have a disability or long-term condition?"),
        "religion": _l("What is your religion?")}}


class WellbeingStep(StepForm):
    """First-person statements: offered only to people referring themselves (journey.py)."""
    title = _l("How they have been feeling (optional)")
    FOR_SELF = {"title": _l("How you have been feeling (optional)")}
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
    FOR_SELF = {"labels": {"consent": _l("I agree that the single point of access may keep this information and "
                                         "share it with the partner services that support me")}}


def swemwbs_score(answers):
    """Raw SWEMWBS score (7 to 35) when all seven items are answered, else None."""
    values = [answers.get(f"item{i}") for i in range(1, 8)]
    if not all(v in {"1", "2", "3", "4", "5"} for v in values):
        return None
    return sum(int(v) for v in values)
