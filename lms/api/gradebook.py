"""A cohort's gradebook: read it, and record lesson progress through the gradebook's service
(same validation, same conflict rule, same events and audit entries as the web grid)."""
import sqlalchemy as sa
from flask import jsonify
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.access import STAFF, get_visible_or_404, require_teaching
from lms.api import api
from lms.api import schemas as s
from lms.api.errors import ApiError
from lms.api.pagination import PAGE_PARAMS, page_of_list, page_schema
from lms.api.people import cohort_card, person
from lms.api.registry import json_body, query_args
from lms.cohorts.models import Cohort
from lms.cohorts.queries import COHORT_CARD
from lms.core.extensions import db
from lms.progress import queries, services
from lms.progress.models import LessonProgress, ProgressStatus
from lms.progress.services import MAX_FEEDBACK, CellEdit

MAX_CELLS = 2000  # a 40 × 40 gradebook is 1 600 cells
CELL_INPUT = {
    "type": "object", "additionalProperties": False,
    "required": ["enrollment_id", "lesson_id", "version", "status"],
    "properties": {
        "enrollment_id": s.ID_INPUT,
        "lesson_id": s.ID_INPUT,
        "version": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1,
                    "description": "The version read from the gradebook (0: no record yet)."},
        "status": s.PROGRESS_STATUS,
        "score": {"type": ["integer", "null"], "minimum": 0, "maximum": 100000},
        "feedback": {"type": "string", "maxLength": MAX_FEEDBACK},
    },
}
PROGRESS_BODY = {"type": "object", "additionalProperties": False, "required": ["cells"],
                 "properties": {"cells": {"type": "array", "minItems": 1, "maxItems": MAX_CELLS,
                                          "items": CELL_INPUT}}}


def _cohort(cohort_id: int) -> Cohort:
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    require_teaching(cohort)  # like the web gradebook: its mentors, its center's head, admins
    return cohort


def _row(grid: queries.Grid):
    def serialize(enrollment) -> dict:
        cells = []
        for lesson in grid.lessons:
            cell = grid.cells.get((enrollment.id, lesson.id))
            cells.append({"lesson_id": lesson.id,
                          "status": (cell.status if cell else ProgressStatus.NOT_STARTED).value,
                          "score": cell.score if cell else None,
                          "feedback": cell.feedback if cell else "",
                          "version": cell.version if cell else 0})
        return {"enrollment_id": enrollment.id, "student": person(enrollment.student),
                "status": enrollment.status.value, "cells": cells}
    return serialize


GRADEBOOK = {**page_schema(s.GRADEBOOK_ROW)}
GRADEBOOK["properties"] = {**GRADEBOOK["properties"], "cohort": s.COHORT,
                           "lessons": {"type": "array", "items": s.LESSON}}
GRADEBOOK["required"] = [*GRADEBOOK["required"], "cohort", "lessons"]


@api.route("/cohorts/<int:cohort_id>/gradebook", summary="A cohort's gradebook", roles=STAFF,
           query=PAGE_PARAMS, paginated=True, errors=(403,), response=GRADEBOOK)
def gradebook(cohort_id: int):
    """Students (a page of them) × current lessons with status, score, feedback and the cell's
    version. For the cohort's mentors, the head of its center and admins."""
    args = query_args(PAGE_PARAMS)
    grid = queries.grid(_cohort(cohort_id))
    lessons = [{"id": lesson.id, "title": lesson.title, "module": module.title,
                "max_score": lesson.max_score, "required": lesson.is_required}
               for module in grid.modules for lesson in module.lessons if not lesson.is_retired]
    return page_of_list(grid.enrollments, args, _row(grid),
                        cohort=cohort_card(grid.cohort), lessons=lessons)


@api.route("/cohorts/<int:cohort_id>/progress", "POST", summary="Record lesson progress",
           roles=STAFF, body=PROGRESS_BODY, errors=(403, 409, 415, 422), response=s.SAVED)
def record_progress(cohort_id: int):
    """Set status, score and feedback of many cells at once, each with the version it was read
    at. All or nothing: a cell someone else changed since (409, listed in `conflicts`) or a cell
    the rules refuse (422, per cell in `fields`) leaves every cell as it was."""
    cohort = _cohort(cohort_id)
    edits = _edits(json_body(PROGRESS_BODY)["cells"])
    result = services.save_cells(cohort, edits, current_user)
    if result.errors or result.conflicts:
        _refuse(result, edits)  # a 4xx: the request's end rolls back the cells written
    return jsonify({"written": _written(result.written)})


def _edits(cells: list[dict]) -> list[CellEdit]:
    seen, edits = set(), []
    for index, cell in enumerate(cells):
        key = (cell["enrollment_id"], cell["lesson_id"])
        if key in seen:
            raise ApiError(422, fields={f"cells[{index}]": _l("This cell is given twice.")})
        seen.add(key)
        edits.append(CellEdit(cell["enrollment_id"], cell["lesson_id"], cell["version"],
                              ProgressStatus(cell["status"]), cell.get("score"),
                              cell.get("feedback", "")))
    return edits


def _refuse(result: services.SaveResult, edits: list[CellEdit]):
    index = {edit.cell: position for position, edit in enumerate(edits)}
    if result.errors:
        raise ApiError(422, fields={f"cells[{index[cell]}]": message
                                    for cell, message in result.errors.items()})
    current = _current(result.conflicts)
    conflicts = [{"enrollment_id": e, "lesson_id": l, **current.get((e, l), {"version": 0})}
                 for e, l in result.conflicts]
    raise ApiError(409, _l("Someone else changed these cells since you read them; nothing was "
                           "saved. Read the gradebook again and resend."),
                   code="edit_conflict", extra={"conflicts": conflicts})


def _current(cells) -> dict:
    """The stored state of cells, to show a client what it conflicts with."""
    rows = _rows(cells)
    return {key: {"version": row.version, "status": row.status.value, "score": row.score}
            for key, row in rows.items()}


def _rows(cells) -> dict:
    if not cells:
        return {}
    query = sa.select(LessonProgress).where(
        sa.tuple_(LessonProgress.enrollment_id, LessonProgress.lesson_id).in_(list(cells)))
    return {(row.enrollment_id, row.lesson_id): row for row in db.session.scalars(query)}


def _written(cells) -> list[dict]:
    rows = _rows(cells)
    return [{"enrollment_id": e, "lesson_id": l, "status": rows[(e, l)].status.value,
             "score": rows[(e, l)].score, "version": rows[(e, l)].version} for e, l in cells]
