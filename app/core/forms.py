"""The base of every form: WTForms' own messages ("Not a valid choice.") go through our catalogues first,
so a translator can fix them like any other text, then through WTForms' catalogues."""
from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form
from wtforms.validators import ValidationError

from app.core import validation


class _SiteTranslations:
    def gettext(self, string):
        ours = get_translations().ugettext(string)
        return ours if ours != string else wtforms_translations.gettext(string)

    def ngettext(self, singular, plural, n):
        ours = get_translations().ungettext(singular, plural, n)
        return ours if ours not in (singular, plural) else wtforms_translations.ngettext(singular, plural, n)


class SiteForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _SiteTranslations()


class SiteSubform(Form):
    """For rows inside a form (FieldList of FormField): no CSRF of their own, same translations."""

    class Meta:
        def get_translations(self, form):
            return _SiteTranslations()


class _Rule:
    """A WTForms validator for one rule in app.core.validation: the rule decides, the form says the message."""

    rule = None

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data and type(self).rule(field.data) is None:
            raise ValidationError(self.message)


class EmailAddress(_Rule):
    rule = staticmethod(validation.email)


class UKPhone(_Rule):
    rule = staticmethod(validation.uk_phone)


class UKServicePhone(_Rule):
    rule = staticmethod(validation.uk_service_phone)


class Postcode(_Rule):
    rule = staticmethod(validation.postcode)


class ClockTime(_Rule):
    rule = staticmethod(validation.clock_time)
