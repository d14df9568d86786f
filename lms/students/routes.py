"""Student pages for staff of the student's center."""
from datetime import date

from flask import Blueprint, abort, render_template

from lms.access import STAFF, gate, get_visible_or_404
from lms.students import services
from lms.users.models import Role, User

bp = Blueprint("students", __name__, url_prefix="/students")
gate(bp, STAFF)


@bp.route("/<int:student_id>")
def show(student_id: int):
    student = get_visible_or_404(User, student_id, *services.STUDENT_PAGE)
    if student.role != Role.STUDENT:
        abort(404)
    return render_template(
        "students/show.html",
        student=student,
        enrollments=services.enrollments_of(student),
        today=date.today(),
    )
