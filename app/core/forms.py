"""The base of every form: WTForms' own messages ("Not a valid choice.") go through our catalogues first,
so a translator can fix them like any other text, then through WTForms' catalogues."""
from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form


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
