"""Reading the gradebook grid out of a plain form post (one field per cell and property).

Each cell posts its status (s-E-L), score (n-E-L), feedback (f-E-L) and, hidden, what the page
showed (o-E-L: version|status|score|hash of feedback), so only cells the user changed are saved.
"""
import hashlib

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from lms.core.views import parse_int
from lms.progress.models import LessonProgress, ProgressStatus
from lms.progress.queries import Grid
from lms.progress.services import Cell, CellEdit

STATUSES = frozenset(s.value for s in ProgressStatus)


class GridForm(FlaskForm):
    """Only the CSRF token; the cells are read by parse_cells()."""


class BulkForm(FlaskForm):
    lesson_id = SelectField(_l("Lesson"), coerce=str, validators=[InputRequired()])
    session_id = SelectField(_l("Session"), coerce=str, validators=[InputRequired()])
    submit = SubmitField(_l("Mark completed for everyone present"))


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
    feedback = data.get(f"f-{key}", "")
    if status not in STATUSES:
        raise ValueError(_l("Choose a status."))
    number = parse_int(score, low=0) if score else None
    if score and number is None:
        raise ValueError(_l("Enter a whole number."))
    if parse_int(version, low=0) is None:
        raise ValueError(_l("This cell is not part of the gradebook."))
    if (status, score, feedback_hash(feedback)) == (status0, score0, hash0):
        return None
    return CellEdit(enrollment_id, lesson_id, int(version), ProgressStatus(status), number,
                    feedback)
