"""Student pages for staff of the student's center: profile, enrollments, timeline, notes."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import STAFF, gate, get_visible_or_404
from lms.core.views import page_arg, render_form
from lms.people import services, timeline
from lms.people.forms import NoteForm
from lms.users.models import Role, User

bp = Blueprint("students", __name__, url_prefix="/students")
gate(bp, STAFF)


def _load(student_id: int) -> User:
    """A student of the caller's scope; staff accounts have no student page (404)."""
    student = get_visible_or_404(User, student_id, *timeline.STUDENT_PAGE)
    if student.role != Role.STUDENT:
        abort(404)
    return student


def _student_page(student: User, page: int) -> dict:
    entries = timeline.timeline(student, page)
    if entries is None:
        abort(404)
    return {"student": student, "enrollments": timeline.enrollments_of(student),
            "timeline": entries, "today": date.today()}


@bp.route("/<int:student_id>")
def show(student_id: int):
    student = _load(student_id)
    return render_template("students/show.html", form=NoteForm(),
                           **_student_page(student, page_arg()))


@bp.route("/<int:student_id>/notes", methods=["POST"])
def add_note(student_id: int):
    student = _load(student_id)
    form = NoteForm()
    if form.validate_on_submit():
        services.add_note(student, current_user, form.body.data)
        flash(_("The note was added to the timeline."), "success")
        return redirect(url_for("students.show", student_id=student_id, _anchor="timeline-title"))
    return render_form("students/show.html", form, **_student_page(student, 1))
