from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(message=_l("Enter your email address")),
                    Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                    Email(message=_l("Enter an email address in the correct format, like name@example.com"))],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(message=_l("Enter your password")),
                    Length(max=200, message=_l("Password must be 200 characters or fewer"))],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())
