"""WTForms' built-in messages, marked for extraction so they are translated like the site's own text
(app/forms_base.py looks them up in our catalogues first). Nothing here runs at request time."""
from flask_babel import lazy_gettext as _l


def ngettext(singular, plural, n):
    """A marker only: the extractor records the singular/plural pair."""
    return singular


MESSAGES = (
    _l("Not a valid choice."),
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid Choice: could not coerce."),
)
