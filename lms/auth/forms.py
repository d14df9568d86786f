"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from lms.auth.passwords import MIN_PASSWORD


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=500)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send reset link"))


# Created before NewPasswordFields so that WTForms (which orders fields by creation) shows it first.
_current_password = PasswordField(
    _l("Current password"), validators=[InputRequired(), Length(max=500)],
    render_kw={"autocomplete": "current-password"},
)


class NewPasswordFields(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=500)],
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.",
                                  MIN_PASSWORD),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"},
    )


class ResetPasswordForm(NewPasswordFields):
    submit = SubmitField(_l("Set password"))


class ChangePasswordForm(NewPasswordFields):
    current = _current_password
    submit = SubmitField(_l("Change password"))
