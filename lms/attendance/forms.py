"""Forms of the attendance pages: a new class session, and the marking of a whole session.

A row starts as it is on file: a student without a mark has no status chosen, so saving
records only what the mentor chose (DESIGN.md: no silent defaults that write data)."""
from datetime import date

from flask import g
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from lms.attendance.models import Attendance, AttendanceStatus
from lms.attendance.services import MAX_REMARK, MAX_TOPIC, Mark
from lms.cohorts.models import Enrollment
from lms.core.fields import WholeNumberField, id_value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (a multi-select needs Ctrl-click, and a phone has no Ctrl)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[InputRequired()], default=date.today)
    topic = StringField(_l("Topic"), filters=[_strip],
                        validators=[DataRequired(), Length(max=MAX_TOPIC)],
                        render_kw={"maxlength": MAX_TOPIC})
    lesson_ids = MultiCheckboxField(_l("Lessons covered (optional)"), coerce=id_value)
    submit = SubmitField(_l("Create session"))


def _status_choices() -> list[tuple[str, str]]:
    """The statuses with their labels in the request's language, translated once per request
    (a 150-student session would otherwise translate the same four labels 600 times)."""
    if "attendance_status_choices" not in g:
        g.attendance_status_choices = [(value, str(label))
                                       for value, label in AttendanceStatus.choices()]
    return g.attendance_status_choices


class MarkRow(Form):
    """One student's row. The hidden `shown_*` fields carry what the page showed, so that a
    row the user left alone never overwrites a mark someone else saved meanwhile."""

    enrollment_id = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])
    status = RadioField(
        _l("Status"), validate_choice=False,
        validators=[Optional(),  # no status chosen: the row is left unmarked
                    AnyOf([s.value for s in AttendanceStatus],
                          message=_l("Choose one of the listed statuses."))])
    remark = StringField(_l("Remark"), filters=[_strip], validators=[Length(
        max=MAX_REMARK, message=_l("A remark can be at most %(max)d characters long.",
                                   max=MAX_REMARK))],
                         render_kw={"maxlength": MAX_REMARK})
    shown_status = HiddenField()
    shown_remark = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _status_choices()

    def to_mark(self, unmarked_as: AttendanceStatus | None = None) -> Mark:
        """The row as a service input (called once the form has validated). A row left without
        a status has none (nothing is written for it), unless `unmarked_as` gives one for such
        rows ("Everyone present"), which then never replaces a mark saved meanwhile."""
        remark = self.remark.data or ""
        # Blank as Optional() sees it: a status of only whitespace skipped the AnyOf check.
        if not (self.status.data or "").strip():
            return Mark(self.enrollment_id.data, unmarked_as, remark,
                        only_if_unmarked=unmarked_as is not None)
        shown = None
        if self.shown_status.data in {*AttendanceStatus}:
            shown = (AttendanceStatus(self.shown_status.data), self.shown_remark.data or "")
        elif self.shown_status.data == "":
            shown = (None, "")  # shown without a mark: any status chosen is a change
        return Mark(self.enrollment_id.data, AttendanceStatus(self.status.data), remark, shown)


class AttendanceForm(FlaskForm):
    marks = FieldList(FormField(MarkRow))
    submit = SubmitField(_l("Save attendance"))
    everyone_present = SubmitField(_l("Everyone present"))

    @classmethod
    def for_rows(cls, rows: list[tuple[Enrollment, Attendance | None]]) -> "AttendanceForm":
        """The form pre-filled from the roster: the mark on file, else no status chosen."""
        return cls(data={"marks": [_row_data(enrollment, attendance)
                                   for enrollment, attendance in rows]})

    def validate(self, extra_validators=None) -> bool:
        """A remark is saved with a status: a remark on a row left unmarked is not dropped
        silently (with "Everyone present" the row gets one, so it is kept)."""
        valid = super().validate(extra_validators)
        if self.everyone_present.data:
            return valid
        for entry in self.marks:
            row = entry.form
            if row.remark.data and not row.status.data and not row.status.errors:
                row.status.errors = [*row.status.errors,
                                     _l("Choose a status to save this remark.")]
                valid = False
        if not valid:  # the list keeps a copy of its rows' errors, taken while validating them
            self.marks.errors = [entry.errors for entry in self.marks.entries]
        return valid

    def to_marks(self) -> list[Mark]:
        """Every row, in order; with "Everyone present" the rows left unmarked as present."""
        unmarked_as = AttendanceStatus.PRESENT if self.everyone_present.data else None
        return [entry.form.to_mark(unmarked_as) for entry in self.marks]


def _row_data(enrollment: Enrollment, attendance: Attendance | None) -> dict:
    if attendance is None:
        return {"enrollment_id": enrollment.id, "status": None,
                "remark": "", "shown_status": "", "shown_remark": ""}
    return {"enrollment_id": enrollment.id, "status": attendance.status.value,
            "remark": attendance.remark, "shown_status": attendance.status.value,
            "shown_remark": attendance.remark}
