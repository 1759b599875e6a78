from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from app.accounts.models import ROLE_LABELS, ROLES
from app.core.forms import EmailAddress, SiteForm


class LoginForm(SiteForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address")),
                    Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                    EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com"))],
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
        EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com"))])


class NewPasswordForm(SiteForm):
    password = PasswordField(_l("New password"), description=_l(
        "10 characters or more. Three or four random words are easy to remember and hard to guess."),
        validators=[DataRequired(message=_l("Enter a new password"))])
    confirm = PasswordField(_l("Type the new password again"), validators=[DataRequired(
        message=_l("Type the new password again"))])

    def validate_confirm(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The passwords do not match"))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"),
                            validators=[DataRequired(message=_l("Enter your current password"))])


# The admin's user page: each button posts one of these.

class ActiveForm(SiteForm):
    active = StringField(validators=[AnyOf(("yes", "no"), message=_l("Choose whether the account can sign in"))])


class RoleForm(SiteForm):
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES],
                       validators=[DataRequired(message=_l("Choose a role"))])


class OrganisationForm(SiteForm):
    organisation = IntegerField(validators=[DataRequired(message=_l("Choose an organisation"))])
