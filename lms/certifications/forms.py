"""Forms of the certification paths: one per stage, plus the actions on a passed credential."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional

from lms.certifications.models import ExamDelivery, Stage
from lms.certifications.services import StageInput
from lms.core.fields import WholeNumberField, destructive
from lms.core.model_types import Choice
from lms.core.views import parse_int


def _choices(enum: type[Choice]) -> list[tuple[str, str]]:
    return [("", _l("— choose —"))] + enum.choices()


class NoteMixin:
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})


class PreparingForm(NoteMixin, FlaskForm):
    prep_platform = StringField(_l("Preparation platform"), validators=[Optional(), Length(max=200)],
                                description=_l("E.g. AWS Skill Builder, Coursera, Cisco NetAcad."))
    prep_cohort_id = SelectField(_l("Or a cohort of this center"), coerce=str, validate_choice=False)
    prep_started_on = DateField(_l("Start date"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class PracticeForm(NoteMixin, FlaskForm):
    practice_taken_on = DateField(_l("Date of the practice test"), validators=[InputRequired()])
    practice_percent = WholeNumberField(_l("Score, %"), validators=[InputRequired(), NumberRange(0, 100)])
    practice_source = StringField(_l("Practice test"), validators=[Optional(), Length(max=200)],
                                  description=_l("E.g. the official practice exam."))
    submit = SubmitField(_l("Save"))


class ReadyForm(NoteMixin, FlaskForm):
    submit = SubmitField(_l("Sign off as ready"))


class VoucherForm(NoteMixin, FlaskForm):
    voucher_id = SelectField(_l("Voucher from the center's stock"), coerce=str, validate_choice=False)
    self_paid = BooleanField(_l("Self-paid (no voucher from the center)"))
    submit = SubmitField(_l("Save"))


class ScheduledForm(NoteMixin, FlaskForm):
    exam_date = DateField(_l("Exam date"), validators=[InputRequired()])
    exam_delivery = SelectField(_l("Delivery"), choices=_choices(ExamDelivery),
                                validators=[InputRequired()])
    booking_reference = StringField(_l("Booking reference"),
                                    validators=[InputRequired(), Length(max=120)])
    submit = SubmitField(_l("Save"))


class ResultFields(NoteMixin, FlaskForm):
    result_date = DateField(_l("Result date"), validators=[InputRequired()])
    score = WholeNumberField(_l("Score (optional)"), validators=[Optional(), NumberRange(0, 10000)])


class PassedForm(ResultFields):
    credential_id = StringField(_l("Credential id"), validators=[InputRequired(), Length(max=200)])
    verification_url = URLField(
        _l("Verification link (optional)"),
        validators=[Optional(), URL(require_tld=True), Length(max=500)],
        description=_l("Leave empty to build it from the provider's pattern."))
    submit = SubmitField(_l("Save"))


class FailedForm(ResultFields):
    submit = SubmitField(_l("Save"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=500)],
                           render_kw={"rows": 2})


class RejectForm(ReasonForm):
    submit = SubmitField(_l("Send back"), render_kw=destructive(
        _l("Send this result back? It will not count until it is reported again.")))


class WithdrawPathForm(ReasonForm):
    submit = SubmitField(_l("Withdraw from the path"), render_kw=destructive(
        _l("Withdraw this student from the certification path?")))


class InvalidateForm(ReasonForm):
    submit = SubmitField(_l("Mark invalid"), render_kw=destructive(
        _l("Mark this credential invalid? It stops counting in reports.")))


class InterestedForm(NoteMixin, FlaskForm):
    submit = SubmitField(_l("Reopen"))


STAGE_FORMS = {
    Stage.INTERESTED: InterestedForm, Stage.PREPARING: PreparingForm,
    Stage.PRACTICE: PracticeForm, Stage.READY: ReadyForm, Stage.VOUCHER: VoucherForm,
    Stage.SCHEDULED: ScheduledForm, Stage.PASSED: PassedForm, Stage.FAILED: FailedForm,
    Stage.WITHDRAWN: WithdrawPathForm,
}


class StartForm(FlaskForm):
    certification_id = SelectField(_l("Certification"), coerce=str, validators=[InputRequired()])
    note = TextAreaField(_l("Why this certification? (optional)"),
                         validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("Start the path"))


class ReportForm(PassedForm):
    submit = SubmitField(_l("Send for verification"))


class RenewalForm(NoteMixin, FlaskForm):
    renewed_on = DateField(_l("Renewal date"), validators=[InputRequired()])
    submit = SubmitField(_l("Record renewal"))


class VerifyForm(FlaskForm):
    submit = SubmitField(_l("Verify"))


def _int_or_none(value) -> int | None:
    return parse_int(value)


def to_stage_input(form: FlaskForm) -> StageInput:
    """The fields a stage form collected, as the engine's StageInput."""
    data = {name: field.data for name, field in form._fields.items()
            if name in StageInput.__dataclass_fields__}
    for name in ("prep_cohort_id", "voucher_id"):
        if name in data:
            data[name] = _int_or_none(data[name])
    data["note"] = data.get("note") or ""
    return StageInput(**data)
