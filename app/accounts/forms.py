from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.core.forms import SiteForm


class LoginForm(SiteForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address")),
                    Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com"))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password")),
                    Length(max=200, message=_l("Password must be 200 characters or fewer"))],
    )


class EmailOnlyForm(SiteForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(message=_l("Enter your email address")), Length(max=254, message=_l(
            "Email address must be 254 characters or fewer")),
        Email(message=_l("Enter an email address in the correct format, like name@example.com"))])


class NewPasswordForm(SiteForm):
    password = PasswordField(_l("New password"), description=_l(
        "10 characters or more. Three or four random words are easy to remember and hard to guess."),
        validators=[DataRequired(message=_l("Enter a new password"))])
    confirm = PasswordField(_l("Type the new password again"), validators=[DataRequired(
        message=_l("Type the new password again"))])

    def validate_confirm(self, field):
        from wtforms.validators import ValidationError
        if field.data != self.password.data:
            raise ValidationError(_l("The passwords do not match"))


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name")), Length(max=200)])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(message=_l("Enter your current password"))])


class InviteForm(SiteForm):
    email = EmailField(_l("Provider’s email address"), validators=[
        DataRequired(message=_l("Enter an email address")), Length(max=254),
        Email(message=_l("Enter an email address in the correct format, like name@example.com"))])
    organisations = SelectMultipleField(_l("Organisations they will look after"), choices=[], validate_choice=False,
                                        validators=[DataRequired(message=_l("Choose at least one organisation"))])


class JoinForm(SiteForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name")), Length(max=120)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(message=_l("Enter your email address")), Length(max=254),
        Email(message=_l("Enter an email address in the correct format, like name@example.com"))])
    role_at_org = StringField(_l("Your role in the group (optional)"), validators=[Optional(), Length(max=120)])
    organisation = SelectField(_l("Which organisation?"), choices=[], validate_choice=False, validators=[Optional()])
    proposed_name = StringField(_l("Or the name of a group that is not listed yet"), validators=[Optional(),
                                                                                               Length(max=200)])
    proposed_details = TextAreaField(_l("About the new group (optional)"), validators=[Optional(), Length(max=2000)])
    message = TextAreaField(_l("Anything else we should know (optional)"), validators=[Optional(), Length(max=2000)])
