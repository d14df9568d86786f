"""The gradebook: a cohort's students × lessons, edited and saved in one submission."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import STAFF, gate, get_visible_or_404, require_teaching
from lms.cohorts.models import Cohort
from lms.cohorts.queries import COHORT_CARD
from lms.core.exports import csv_response
from lms.core.formats import local_date
from lms.core.views import UNPROCESSABLE, catch_refusal, page_arg, parse_int
from lms.progress import queries, services
from lms.progress.forms import BulkForm, GridForm, original, parse_cells
from lms.progress.models import ProgressStatus

bp = Blueprint("gradebook", __name__, url_prefix="/gradebook")
gate(bp, STAFF)


def _cohort(cohort_id: int) -> Cohort:
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    require_teaching(cohort)
    return cohort


def _page(cohort: Cohort, grid=None, errors=None, submitted=None, status=200, bulk=None):
    grid = grid or queries.grid(cohort, page_arg())
    bulk = bulk or BulkForm(formdata=None)
    bulk.lesson_id.choices = [(str(lesson.id), lesson.title) for lesson in grid.lessons]
    bulk.session_id.choices = [(str(s.id), f"{local_date(s.held_on)} {s.topic}")
                               for s in queries.session_choices(cohort)]
    return render_template("gradebook/grid.html", grid=grid, form=GridForm(), bulk=bulk,
                           errors=errors or {}, submitted=submitted, original=original,
                           statuses=[(value, str(label)) for value, label in ProgressStatus.choices()],
                           labels=_cell_labels()), status


def _cell_labels() -> dict[str, str]:
    """The words that, with the row's student and the column's lesson, name each cell's inputs."""
    return {"status": _("Status"), "score": _("Score"), "feedback": _("Feedback"),
            "placeholder": _("feedback")}


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
    cohort = _cohort(cohort_id)
    if not GridForm().validate_on_submit():
        return _page(cohort, status=400)
    grid = queries.grid(cohort, page_arg(), with_cells=False)
    edits, errors = parse_cells(request.form, grid)
    errors.update(services.validate(grid, edits))
    result = services.save_cells(cohort, edits, current_user, grid) if not errors else None
    if errors or result.errors:  # refused before anything was written; the 422 rolls back
        return _page(cohort, None, errors or result.errors, request.form, UNPROCESSABLE)
    _report(result, grid)
    return redirect(url_for("gradebook.show", cohort_id=cohort_id, page=page_arg()))


@bp.route("/<int:cohort_id>/bulk", methods=["POST"])
def bulk(cohort_id: int):
    cohort = _cohort(cohort_id)
    if not GridForm().validate_on_submit():  # the CSRF check; the choices are checked below
        return _page(cohort, status=400)
    form = BulkForm()
    lesson_id, session_id = (request.form.get(name, "") for name in ("lesson_id", "session_id"))
    with catch_refusal(form):
        result = services.complete_for_present(
            cohort, parse_int(lesson_id), parse_int(session_id), current_user)
        _report(result, queries.grid(cohort))
        return redirect(url_for("gradebook.show", cohort_id=cohort_id))
    return _page(cohort, status=UNPROCESSABLE, bulk=form)


def _report(result: services.SaveResult, grid) -> None:
    """Flash what was written and name every cell left alone because of a conflict."""
    flash(ngettext("%(num)d cell saved.", "%(num)d cells saved.", len(result.written)), "success")
    if result.conflicts:
        names = {e.id: e.student.full_name for e in grid.enrollments}
        lessons = {lesson.id: lesson.title for lesson in grid.lessons}
        cells = "; ".join(f"{names.get(e, '?')} – {lessons.get(l, '?')}" for e, l in result.conflicts)
        flash(_("Changed by someone else since you opened the page, so left as they saved it: "
                "%(cells)s. Check these cells and save again if needed.", cells=cells), "warning")
