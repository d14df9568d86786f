"""Forms of the attendance pages: a new class session, and the marking of a whole session."""
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
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from lms.attendance.models import Attendance, AttendanceStatus
from lms.attendance.services import MAX_REMARK, MAX_TOPIC, Mark
from lms.cohorts.models import Enrollment


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[InputRequired()], default=date.today)
    topic = StringField(_l("Topic"), filters=[_strip],
                        validators=[DataRequired(), Length(max=MAX_TOPIC)],
                        render_kw={"maxlength": MAX_TOPIC})
    lesson_ids = SelectMultipleField(
        _l("Lessons covered (optional)"), coerce=int,
        description=_l("Hold Ctrl (⌘ on a Mac) to choose several."))
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

    enrollment_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    status = RadioField(
        _l("Status"), validate_choice=False,
        validators=[AnyOf([s.value for s in AttendanceStatus],
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

    def to_mark(self) -> Mark:
        """The row as a service input (called once the form has validated)."""
        shown = None
        if self.shown_status.data in {"", *AttendanceStatus}:
            # No mark on file showed as the default: present, without a remark.
            shown = (AttendanceStatus(self.shown_status.data or AttendanceStatus.PRESENT),
                     self.shown_remark.data or "")
        return Mark(self.enrollment_id.data, AttendanceStatus(self.status.data),
                    self.remark.data or "", shown)


class AttendanceForm(FlaskForm):
    marks = FieldList(FormField(MarkRow))

    @classmethod
    def for_rows(cls, rows: list[tuple[Enrollment, Attendance | None]]) -> "AttendanceForm":
        """The form pre-filled from the roster: the mark on file, else present."""
        return cls(data={"marks": [_row_data(enrollment, attendance)
                                   for enrollment, attendance in rows]})

    def to_marks(self) -> list[Mark]:
        return [entry.form.to_mark() for entry in self.marks]


def _row_data(enrollment: Enrollment, attendance: Attendance | None) -> dict:
    if attendance is None:
        return {"enrollment_id": enrollment.id, "status": AttendanceStatus.PRESENT.value,
                "remark": "", "shown_status": "", "shown_remark": ""}
    return {"enrollment_id": enrollment.id, "status": attendance.status.value,
            "remark": attendance.remark, "shown_status": attendance.status.value,
            "shown_remark": attendance.remark}
