"""Forms of the cohort page: the student search, the enrollment checklist and the roster actions."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from lms.cohorts.models import PLACE_MAX, CohortStatus, Enrollment, EnrollmentStatus, TimetableSlot
from lms.cohorts.timetable import SlotInput, slot_problems, weekday_names
from lms.core.fields import WholeNumberField, destructive, id_value
from lms.core.views import FREE_TEXT_MAX, parse_int

SEARCH_MAX = FREE_TEXT_MAX


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes, so it works without JavaScript and on a phone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SearchForm(FlaskForm):
    """The name search; a GET form, so it carries no CSRF token and can be bookmarked."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or e-mail"), filters=[_stripped],
                    validators=[Optional(), Length(max=SEARCH_MAX)])
    submit = SubmitField(_l("Find students"))


class EnrollForm(FlaskForm):
    # The search travels with the choice, so a refused form shows the same list again.
    # (Its own name: the search form on the same page already has the ids `q` and `submit`.)
    search_text = HiddenField(filters=[_stripped], validators=[Length(max=SEARCH_MAX)])
    # Not checked against the listed choices: the service decides who may be enrolled.
    student_ids = MultiCheckboxField(_l("Students"), coerce=id_value, validate_choice=False)
    enroll = SubmitField(_l("Enroll the chosen students"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason for withdrawing"), filters=[_stripped],
                           validators=[DataRequired(), Length(max=500)], render_kw={"rows": 2})
    submit = SubmitField(_l("Withdraw"), render_kw=destructive(
        _l("Withdraw this student from the cohort?")))


class CompleteForm(FlaskForm):
    reason = TextAreaField(_l("Reason for marking completed"), filters=[_stripped],
                           validators=[DataRequired(), Length(max=500)], render_kw={"rows": 2},
                           description=_l("Shown as “completed, set by …” on the roster."))
    submit = SubmitField(_l("Mark completed"))


class ReopenForm(FlaskForm):
    submit = SubmitField(_l("Undo the completion"), render_kw=destructive(
        _l("Undo the completion set by a mentor?")))


ROSTER_FORMS = {"withdraw": WithdrawForm, "complete": CompleteForm, "reopen": ReopenForm}


def action_form(kind: str, enrollment_id: int) -> FlaskForm:
    """The form of one roster action; the prefix keeps field ids unique across rows."""
    return ROSTER_FORMS[kind](prefix=f"{kind}-{enrollment_id}")


def actions_for(enrollment: Enrollment) -> tuple[str, ...]:
    """The roster actions that make sense in an enrollment's current state."""
    if enrollment.status == EnrollmentStatus.ACTIVE:
        return ("withdraw", "complete")
    if enrollment.status == EnrollmentStatus.COMPLETED and enrollment.completion_set_by_id:
        return ("reopen",)
    return ()


def roster_actions(roster: list[Enrollment], failed: tuple | None = None) -> dict:
    """{enrollment id: {kind: form}}; `failed` = (id, kind, form) is a refused one, kept as is."""
    actions = {e.id: {kind: action_form(kind, e.id) for kind in actions_for(e)} for e in roster}
    if failed is not None:
        enrollment_id, kind, form = failed
        actions.setdefault(enrollment_id, {})[kind] = form
    return actions


def student_choices(rows) -> list[tuple[int, str]]:
    """Checkbox labels for (student, earlier withdrawn enrollment in the cohort or None) rows."""
    choices = []
    for student, earlier in rows:
        label = f"{student.full_name} · {student.email}"
        if earlier is not None:
            label += " · " + _("withdrawn earlier, will be re-enrolled")
        choices.append((student.id, label))
    return choices


def _weekday(value):
    """A day number (as sent, or as stored); what is no number is an invalid choice."""
    if value is None or value == "" or isinstance(value, int):
        return value if value != "" else None
    day = parse_int(value, low=0)  # 7 and above: the timetable rules name the row
    if day is None:
        raise ValueError(value)
    return day


class SlotForm(Form):
    """One row of the timetable; a row left blank is ignored."""

    weekday = SelectField(_l("Day"), coerce=_weekday, validate_choice=False)
    starts_at = TimeField(_l("Starts"), validators=[Optional()])
    ends_at = TimeField(_l("Ends"), validators=[Optional()])
    place = StringField(_l("Place"), filters=[_stripped], validators=[Length(max=PLACE_MAX)],
                        render_kw={"maxlength": PLACE_MAX})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.weekday.choices = [("", _("—"))] + list(weekday_names().items())

    def is_blank(self) -> bool:
        return (self.weekday.data is None and self.starts_at.data is None
                and self.ends_at.data is None and not self.place.data)

    def validate(self, extra_validators=None) -> bool:
        """A row that is used names its day and both times."""
        valid = super().validate(extra_validators)
        if self.is_blank() or not valid:
            return valid
        for field, message in ((self.weekday, _l("Choose a day of the week.")),
                               (self.starts_at, _l("Enter the time the class starts.")),
                               (self.ends_at, _l("Enter the time the class ends."))):
            if field.data is None:
                field.errors = [*field.errors, message]
                valid = False
        return valid


SLOT_ROWS_FREE = 2  # blank rows under the cohort's slots, for new classes
SLOT_ROWS_MIN = 4


def slot_rows(slots: list[TimetableSlot]) -> list[dict]:
    """The timetable rows of the form: the cohort's slots, then blank rows to add more."""
    rows = [{"weekday": s.weekday, "starts_at": s.starts_at, "ends_at": s.ends_at,
             "place": s.place} for s in slots]
    blank = max(SLOT_ROWS_FREE, SLOT_ROWS_MIN - len(rows))
    return rows + [{"weekday": None, "starts_at": None, "ends_at": None, "place": ""}] * blank


class CohortForm(FlaskForm):
    """Create or edit a cohort; course and mentor choices are filled by the view."""

    name = StringField(_l("Name"), filters=[_stripped],
                       validators=[DataRequired(), Length(max=200)])
    course_id = SelectField(_l("Course"), coerce=id_value, validators=[InputRequired()])
    mentor_ids = MultiCheckboxField(_l("Mentors"), coerce=id_value, validate_choice=False,
                                    description=_l("Active mentors of the center."))
    capacity = WholeNumberField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=1000)],
                            description=_l("Leave empty for no limit."))
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    slots = FieldList(FormField(SlotForm), label=_l("Timetable"), max_entries=28)
    schedule = StringField(_l("Schedule notes"), filters=[_stripped],
                           validators=[Optional(), Length(max=300)],
                           description=_l("E.g. no classes during the school holidays."))
    status = SelectField(_l("Status"), choices=CohortStatus.choices(),
                         default=CohortStatus.PLANNED.value)
    submit = SubmitField(_l("Save"))

    def validate_slots(self, field) -> None:
        """The rules of the whole timetable (lms/cohorts/timetable.py), shown at their rows."""
        used = [entry for entry in field.entries if not entry.form.is_blank()]
        if any(entry.errors for entry in used):
            return
        for row, name, message in slot_problems(self.slot_inputs()):
            sub = used[row].form[name]
            sub.errors = [*sub.errors, message]
        if any(entry.errors for entry in used):
            raise ValidationError(_l("Correct the timetable below."))

    def slot_inputs(self) -> list[SlotInput]:
        """The rows that are filled in, as service input (once the rows have validated)."""
        return [SlotInput(e.form.weekday.data, e.form.starts_at.data, e.form.ends_at.data,
                          e.form.place.data or "")
                for e in self.slots.entries if not e.form.is_blank()]
