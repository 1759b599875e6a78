"""Forms for providers joining: a manager's invitation, accepting it, and asking to join."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import NewPasswordForm
from app.core.forms import EmailAddress, SiteForm


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name")), Length(max=200)])


class InviteForm(SiteForm):
    email = EmailField(_l("Provider’s email address"), validators=[
        DataRequired(message=_l("Enter an email address")), Length(max=254),
        EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com"))])
    organisations = SelectMultipleField(_l("Organisations they will look after"), choices=[], validate_choice=False,
                                        validators=[DataRequired(message=_l("Choose at least one organisation"))])


class JoinForm(SiteForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name")), Length(max=120)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(message=_l("Enter your email address")), Length(max=254),
        EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com"))])
    role_at_org = StringField(_l("Your role in the group (optional)"), validators=[Optional(), Length(max=120)])
    organisation = SelectField(_l("Which organisation?"), choices=[], validate_choice=False, validators=[Optional()])
    proposed_name = StringField(_l("Or the name of a group that is not listed yet"), validators=[Optional(),
                                                                                               Length(max=200)])
    proposed_details = TextAreaField(_l("About the new group (optional)"), validators=[Optional(), Length(max=2000)])
    message = TextAreaField(_l("Anything else we should know (optional)"), validators=[Optional(), Length(max=2000)])
