"""Forms of the admin catalog; ranges here, rules that span fields or rows in the services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from lms.catalog.models import Audience, CertificationLevel, CourseLevel, LessonKind
from lms.core.fields import WholeNumberField, destructive, id_value

CODE = Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
              message=_l("Use letters, digits, dots, dashes and underscores."))
SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
              message=_l("Use lowercase letters and digits, separated by single dashes."))


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def none_if_empty(value):
    value = stripped(value)
    return value or None


def not_blank(value):
    return stripped(value) or ""


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes: works without JavaScript and on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def optional_int(label, low: int, high: int, **kwargs) -> WholeNumberField:
    """An optional whole number within low..high (empty: no value)."""
    return WholeNumberField(label, validators=[Optional(), NumberRange(low, high)], **kwargs)


def data_of(form: FlaskForm, *skip: str) -> dict:
    """The form's values without the token and buttons (and `skip`), for a service."""
    ignored = {"csrf_token", "submit", *skip}
    return {name: value for name, value in form.data.items() if name not in ignored}


class TrackForm(FlaskForm):
    code = StringField(_l("Code"), filters=[stripped],
                       validators=[DataRequired(), Length(max=40), CODE])
    name = StringField(_l("Name"), filters=[stripped], validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Save"))


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), filters=[stripped],
                       validators=[DataRequired(), Length(max=40), CODE])
    title = StringField(_l("Title"), filters=[stripped],
                        validators=[DataRequired(), Length(max=200)])
    track_id = SelectField(_l("Track"), coerce=id_value, validators=[DataRequired()])
    level = SelectField(_l("Level"), choices=CourseLevel.choices(), coerce=CourseLevel)
    audience = SelectField(_l("Audience"), choices=Audience.choices(), coerce=Audience)
    description = TextAreaField(_l("Description"), filters=[not_blank],
                                validators=[Length(max=5000)], render_kw={"rows": 4})
    estimated_hours = optional_int(_l("Estimated hours"), 1, 10000)
    is_published = BooleanField(_l("Published (cohorts can be opened for it)"))
    submit = SubmitField(_l("Save"))


class ModuleForm(FlaskForm):
    title = StringField(_l("Module title"), filters=[stripped],
                        validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Add the module"))


class ModuleEditForm(FlaskForm):
    title = StringField(_l("Module title"), filters=[stripped],
                        validators=[DataRequired(), Length(max=200)])
    position = optional_int(_l("Position in the course"), 1, 10000,
                            description=_l("1 is the first module; empty keeps the place."))
    submit = SubmitField(_l("Save"))


class LessonForm(FlaskForm):
    title = StringField(_l("Lesson title"), filters=[stripped],
                        validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=LessonKind.choices(), coerce=LessonKind)
    max_score = optional_int(_l("Maximum score"), 1, 1000,
                             description=_l("Empty: the lesson is not scored."))
    is_required = BooleanField(_l("Required for completing the course"), default=True)
    submit = SubmitField(_l("Save"))


class LessonEditForm(LessonForm):
    module_id = SelectField(_l("Module"), coerce=id_value)
    position = optional_int(_l("Position in the module"), 1, 10000,
                            description=_l("1 is the first lesson; empty keeps the place, or "
                                           "puts it last when the module changes."))
    submit = SubmitField(_l("Save"))


class ActionForm(FlaskForm):
    """A single button of the outline (move up, move down, retire, reinstate)."""

    submit = SubmitField()


ACTION_LABELS = {
    "module-up": _l("Move up"), "module-down": _l("Move down"),
    "lesson-up": _l("Move up"), "lesson-down": _l("Move down"),
    "retire": _l("Retire"), "reinstate": _l("Reinstate"),
}


def action_form(kind: str, object_id: int) -> ActionForm:
    """The button `kind` of one module or lesson; the prefix keeps ids unique on the page."""
    form = ActionForm(prefix=f"{kind}-{object_id}")
    form.submit.label.text = ACTION_LABELS[kind]
    if kind == "retire":
        form.submit.render_kw = destructive(_l("Retire this lesson? Its progress is kept."))
    return form


class ProviderForm(FlaskForm):
    slug = StringField(_l("Slug"), filters=[stripped],
                       validators=[DataRequired(), Length(max=40), SLUG])
    name = StringField(_l("Name"), filters=[stripped], validators=[DataRequired(), Length(max=120)])
    website = URLField(_l("Website"), filters=[none_if_empty],
                       validators=[Optional(), Length(max=300), URL(require_tld=True)])
    submit = SubmitField(_l("Save"))


class CertificationForm(FlaskForm):
    provider_id = SelectField(_l("Provider"), coerce=id_value, validators=[DataRequired()])
    name = StringField(_l("Name"), filters=[stripped], validators=[DataRequired(), Length(max=200)])
    exam_code = StringField(_l("Exam code"), filters=[none_if_empty],
                            validators=[Optional(), Length(max=40)])
    level = SelectField(_l("Level"), choices=CertificationLevel.choices(),
                        coerce=CertificationLevel)
    validity_months = optional_int(_l("Valid for (months)"), 1, 600,
                                   description=_l("Empty: the credential never expires."))
    renewal_window_months = optional_int(
        _l("Renewal window (months before expiry)"), 1, 600,
        description=_l("Empty: no renewal window."))
    voucher_validity_months = optional_int(_l("Vouchers valid for (months)"), 1, 120)
    retake_wait_days = optional_int(_l("Wait before a retake (days)"), 0, 3650)
    min_age = optional_int(_l("Minimum age"), 0, 120)
    guardian_acceptance_under = optional_int(
        _l("Guardian's acceptance needed under the age of"), 0, 120)
    verification_url_pattern = StringField(
        _l("Verification address"), filters=[none_if_empty],
        validators=[Optional(), Length(max=300)],
        description=_l("{id} is replaced by the credential id, e.g. "
                       "https://www.credly.com/badges/{id}."))
    readiness_threshold = optional_int(_l("Readiness threshold (practice score, %)"), 0, 100)
    course_ids = MultiCheckboxField(_l("Courses that prepare for it"), coerce=id_value,
                                    validate_choice=False)
    is_active = BooleanField(_l("Active (students can start a path to it)"), default=True)
    submit = SubmitField(_l("Save"))
