from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length, ValidationError

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
