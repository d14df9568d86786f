"""Reading the gradebook grid out of a plain form post (one field per cell and property).

Each cell posts its status (s-E-L), score (n-E-L), feedback (f-E-L) and, hidden, what the page
showed (o-E-L: version|status|score|hash of feedback), so only cells the user changed are saved.
A cell posted without its feedback (the one-lesson view has no box for it) keeps its feedback.
The grid's script posts only the cells the user changed; the one-lesson view posts its column.
"""
import hashlib

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from lms.core.refusal import Refused
from lms.core.views import parse_int
from lms.progress.models import LessonProgress, ProgressStatus
from lms.progress.queries import Grid
from lms.progress.services import MAX_FEEDBACK, Cell, CellEdit

STATUSES = frozenset(s.value for s in ProgressStatus)


class GridForm(FlaskForm):
    """Only the CSRF token; the cells are read by parse_cells()."""


class BulkForm(FlaskForm):
    lesson_id = SelectField(_l("Lesson"), coerce=str, validators=[InputRequired()])
    session_id = SelectField(_l("Session"), coerce=str, validators=[InputRequired()])
    submit = SubmitField(_l("Mark them completed"))


class CellForm(FlaskForm):
    """One cell on its own page (the grid's editor without JavaScript)."""

    status = RadioField(_l("Status"), choices=ProgressStatus.choices(),
                        validators=[InputRequired(_l("Choose a status."))])
    score = StringField(_l("Score"), filters=[lambda value: (value or "").strip()])
    feedback = TextAreaField(_l("Feedback"), validators=[Length(max=MAX_FEEDBACK)])
    original = HiddenField()
    submit = SubmitField(_l("Save this cell"))

    def validate_score(self, field):
        if field.data and parse_int(field.data, low=0) is None:  # ASCII digits, within range
            raise ValidationError(_l("Enter a whole number."))

    def edit(self, enrollment_id: int, lesson_id: int) -> CellEdit | None:
        """The edit, or None when nothing differs from what the page showed."""
        data = MultiDict({f"o-{enrollment_id}-{lesson_id}": self.original.data or "",
                          f"s-{enrollment_id}-{lesson_id}": self.status.data,
                          f"n-{enrollment_id}-{lesson_id}": self.score.data,
                          f"f-{enrollment_id}-{lesson_id}": self.feedback.data or ""})
        try:
            return _read_cell(data, f"{enrollment_id}-{lesson_id}", enrollment_id, lesson_id)
        except ValueError as error:  # a tampered hidden field: said at the top of the form
            raise Refused(error.args[0]) from None


def feedback_hash(text: str) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:12]


def original(row: LessonProgress | None) -> str:
    """What the page shows for a cell, to tell later whether the user changed it."""
    if row is None:
        return f"0|{ProgressStatus.NOT_STARTED.value}||{feedback_hash('')}"
    score = "" if row.score is None else str(row.score)
    return f"{row.version}|{row.status.value}|{score}|{feedback_hash(row.feedback)}"


def parse_cells(data: MultiDict, grid: Grid) -> tuple[list[CellEdit], dict[Cell, str]]:
    """The edits of changed cells, and messages for cells whose input is not valid."""
    edits, errors = [], {}
    for enrollment in grid.enrollments:
        for lesson in grid.lessons:
            key = f"{enrollment.id}-{lesson.id}"
            if f"o-{key}" not in data:
                continue
            try:
                edit = _read_cell(data, key, enrollment.id, lesson.id)
            except ValueError as error:
                errors[(enrollment.id, lesson.id)] = error.args[0]
                continue
            if edit is not None:
                edits.append(edit)
    return edits, errors


def _read_cell(data: MultiDict, key: str, enrollment_id: int, lesson_id: int) -> CellEdit | None:
    version, status0, score0, hash0 = (data.get(f"o-{key}", "").split("|") + ["", "", "", ""])[:4]
    status, score = data.get(f"s-{key}", status0), data.get(f"n-{key}", score0).strip()
    feedback = data.get(f"f-{key}")  # None: not posted, kept as it is
    if status not in STATUSES:
        raise ValueError(_l("Choose a status."))
    number = parse_int(score, low=0) if score else None
    if score and number is None:
        raise ValueError(_l("Enter a whole number."))
    if parse_int(version, low=0) is None:
        raise ValueError(_l("This cell is not part of the gradebook."))
    unchanged = feedback is None or feedback_hash(feedback) == hash0
    if (status, score) == (status0, score0) and unchanged:
        return None
    return CellEdit(enrollment_id, lesson_id, int(version), ProgressStatus(status), number,
                    feedback)
