"""The gradebook: a cohort's students × lessons as compact cells; a cell edited on its own page
(or, with JavaScript, in a panel, many cells saved in one submission); one lesson at a time as
a list on a phone; whole-lesson actions from each column's menu."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import STAFF, gate, get_visible_or_404, require_teaching
from lms.cohorts.models import Cohort
from lms.cohorts.queries import COHORT_CARD
from lms.core.exports import csv_response
from lms.core.formats import local_date
from lms.core.views import UNPROCESSABLE, arg_int, catch_refusal, page_arg, parse_int, render_form
from lms.progress import queries, services
from lms.progress.forms import BulkForm, CellForm, GridForm, original, parse_cells
from lms.progress.models import SHORT_LABELS, ProgressStatus

bp = Blueprint("gradebook", __name__, url_prefix="/gradebook")
gate(bp, STAFF)


def _cohort(cohort_id: int) -> Cohort:
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    require_teaching(cohort)
    return cohort


def _page(cohort: Cohort, errors=None, submitted=None, status=200):
    grid = queries.grid(cohort, page_arg())
    lesson_id = arg_int("lesson")
    focus = queries.focus_lesson(grid, lesson_id)
    if lesson_id is not None and focus is None:
        abort(404)
    return render_template("gradebook/grid.html", grid=grid, form=GridForm(), focus=focus,
                           one_lesson=lesson_id is not None, errors=errors or {},
                           submitted=submitted, original=original, status_of=ProgressStatus,
                           short_values={s.value for s in ProgressStatus}, short=SHORT_LABELS), status


@bp.route("/<int:cohort_id>")
def show(cohort_id: int):
    return _page(_cohort(cohort_id))


@bp.route("/<int:cohort_id>/export.csv")
def export(cohort_id: int):
    """The whole gradebook (every student, not one page) as CSV."""
    grid = queries.grid(_cohort(cohort_id))
    headers = [_("Student"), _("E-mail"), *(lesson.title for lesson in grid.lessons)]
    return csv_response(f"gradebook-{cohort_id}.csv", headers, queries.grid_rows(grid))


@bp.route("/<int:cohort_id>", methods=["POST"])
def save(cohort_id: int):
    """The grid's changed cells (posted by its script) or a lesson's column, in one request."""
    cohort = _cohort(cohort_id)
    if not GridForm().validate_on_submit():
        return _page(cohort, status=400)
    grid = queries.grid(cohort, page_arg(), with_cells=False)
    edits, errors = parse_cells(request.form, grid)
    errors.update(services.validate(grid, edits))
    result = services.save_cells(cohort, edits, current_user, grid) if not errors else None
    if errors or result.errors:  # refused before anything was written; the 422 rolls back
        return _page(cohort, errors or result.errors, request.form, UNPROCESSABLE)
    _report(result, grid)
    return redirect(url_for("gradebook.show", cohort_id=cohort_id, page=arg_int("page"),
                            lesson=arg_int("lesson")))


@bp.route("/<int:cohort_id>/cells/<int:enrollment_id>/<int:lesson_id>", methods=["GET", "POST"])
def cell(cohort_id: int, enrollment_id: int, lesson_id: int):
    """One cell on its own page: status, score, feedback, who set it and its history."""
    cohort = _cohort(cohort_id)
    detail = queries.cell(cohort, enrollment_id, lesson_id)
    if detail is None:
        abort(404)
    form = CellForm(data=_cell_data(detail) if request.method == "GET" else None)
    if detail.lesson.max_score is not None:
        form.score.description = _("From 0 to %(max)d.", max=detail.lesson.max_score)
    if form.validate_on_submit():
        with catch_refusal(form):
            edit = form.edit(enrollment_id, lesson_id)
            if edit is None:
                flash(_("Nothing changed."), "info")
                return redirect(_back(cohort_id, enrollment_id, lesson_id))
            result = services.save_cell(cohort, detail.enrollment, detail.lesson, edit, current_user)
            _report(result, queries.Grid(cohort, [detail.enrollment], [], [detail.lesson], {}))
            if result.conflicts:  # show the cell as the other person left it
                return redirect(request.path)
            return redirect(_back(cohort_id, enrollment_id, lesson_id))
    return render_form("gradebook/cell.html", form, cohort=cohort, detail=detail,
                       short=SHORT_LABELS)


def _cell_data(detail: queries.CellDetail) -> dict:
    row = detail.row
    return {"status": row.status.value if row else ProgressStatus.NOT_STARTED.value,
            "score": "" if row is None or row.score is None else str(row.score),
            "feedback": row.feedback if row else "", "original": original(row)}


def _back(cohort_id: int, enrollment_id: int, lesson_id: int) -> str:
    return url_for("gradebook.show", cohort_id=cohort_id, _anchor=f"c-{enrollment_id}-{lesson_id}")


@bp.route("/<int:cohort_id>/bulk", methods=["GET", "POST"])
def bulk(cohort_id: int):
    """A lesson's column action: mark it completed for everyone present at a class meeting."""
    cohort = _cohort(cohort_id)
    grid = queries.grid(cohort, with_cells=False)
    form = BulkForm(data={"lesson_id": str(arg_int("lesson") or "")} if request.method == "GET" else None)
    form.lesson_id.choices = [(str(lesson.id), lesson.title) for lesson in grid.lessons]
    form.session_id.choices = [(str(s.id), f"{local_date(s.held_on)} {s.topic}")
                               for s in queries.session_choices(cohort)]
    if form.is_submitted():
        if not GridForm().validate_on_submit():  # the CSRF check; the choices are checked below
            abort(400)
        lesson_id, session_id = (request.form.get(name, "") for name in ("lesson_id", "session_id"))
        with catch_refusal(form):
            result = services.complete_for_present(
                cohort, parse_int(lesson_id), parse_int(session_id), current_user)
            _report(result, queries.grid(cohort))
            return redirect(url_for("gradebook.show", cohort_id=cohort_id))
        return render_template("gradebook/bulk.html", cohort=cohort, form=form), UNPROCESSABLE
    return render_template("gradebook/bulk.html", cohort=cohort, form=form)


def _report(result: services.SaveResult, grid) -> None:
    """Flash what was written and name every cell left alone because of a conflict."""
    flash(ngettext("%(num)d cell saved.", "%(num)d cells saved.", len(result.written)), "success")
    if result.conflicts:
        names = {e.id: e.student.full_name for e in grid.enrollments}
        lessons = {lesson.id: lesson.title for lesson in grid.lessons}
        cells = "; ".join(f"{names.get(e, '?')} – {lessons.get(l, '?')}" for e, l in result.conflicts)
        flash(_("Changed by someone else since you opened the page, so left as they saved it: "
                "%(cells)s. Check these cells and save again if needed.", cells=cells), "warning")
