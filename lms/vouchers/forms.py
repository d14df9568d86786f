"""Forms of the voucher stock: add one voucher by hand, revoke one."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from lms.core.fields import destructive, id_value
from lms.core.views import parse_int
from lms.vouchers.services import VoucherInput


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class VoucherAddForm(FlaskForm):
    """Choices (centers for admins, providers, certifications) are filled by the view."""

    center_id = SelectField(_l("Center"), coerce=id_value, validators=[InputRequired()])
    provider_id = SelectField(_l("Provider"), coerce=id_value, validators=[InputRequired()])
    certification_id = SelectField(_l("Certification"), coerce=str,
                                   description=_l("Or any certification of the provider."))
    code = StringField(_l("Voucher code"), filters=[_stripped],
                       validators=[DataRequired(), Length(max=120)])
    value = DecimalField(_l("Value"), places=2, validators=[
        Optional(), NumberRange(min=0, message=_l("The value cannot be negative.")),
        NumberRange(max=99_999_999, message=_l("The value is too large."))])
    currency = StringField(_l("Currency"), default="USD", filters=[_upper],
                           validators=[DataRequired(), Regexp(r"^[A-Z]{3}$", message=_l(
                               "Three letters, e.g. UAH, USD or EUR."))])
    funder = StringField(_l("Funder"), filters=[_stripped], validators=[Optional(), Length(max=200)])
    issued_on = DateField(_l("Issued on"), validators=[InputRequired()])
    expires_on = DateField(_l("Expires on"), validators=[Optional()], description=_l(
        "Leave empty to use the certification's voucher validity, if the vendor sets one."))
    submit = SubmitField(_l("Add the voucher"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), filters=[_stripped],
                           validators=[DataRequired(), Length(max=500)], render_kw={"rows": 2})
    submit = SubmitField(_l("Revoke the voucher"), render_kw=destructive(
        _l("Revoke this voucher? It can no longer be assigned.")))


def to_voucher_input(form: VoucherAddForm) -> VoucherInput:
    certification = form.certification_id.data
    return VoucherInput(
        provider_id=form.provider_id.data,
        certification_id=parse_int(certification),
        code=form.code.data, value=form.value.data, currency=form.currency.data,
        funder=form.funder.data or "", issued_on=form.issued_on.data,
        expires_on=form.expires_on.data)
