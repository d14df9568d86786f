"""The token owner: who they are, and a student's cohorts with progress."""
from flask import jsonify
from flask_login import current_user

from lms.api import api
from lms.api import schemas as s
from lms.api.pagination import PAGE_PARAMS, page_of_list, page_schema
from lms.api.registry import query_args
from lms.home.queries import EnrollmentProgress, student_enrollments
from lms.users.models import Role, User


def person(user: User) -> dict:
    return {"id": user.id, "full_name": user.full_name}


def cohort_card(cohort) -> dict:
    return {"id": cohort.id, "name": cohort.name, "status": cohort.status.value,
            "start_date": cohort.start_date.isoformat(),
            "end_date": cohort.end_date.isoformat() if cohort.end_date else None,
            "course": {"id": cohort.course.id, "code": cohort.course.code,
                       "title": cohort.course.title}}


@api.route("/me", summary="The token's owner", response=s.ME)
def me():
    """The user the token belongs to: role, center and language."""
    user, center = current_user, current_user.center
    return jsonify({
        "id": user.id, "email": user.email, "full_name": user.full_name, "role": user.role.value,
        "locale": user.locale,
        "center": {"id": center.id, "name": center.name, "city": center.city} if center else None,
    })


def _my_cohort(item: EnrollmentProgress) -> dict:
    enrollment = item.enrollment
    return {
        "enrollment_id": enrollment.id, "status": enrollment.status.value,
        "enrolled_on": enrollment.enrolled_on.isoformat(),
        "completed_on": enrollment.completed_on.isoformat() if enrollment.completed_on else None,
        "cohort": cohort_card(enrollment.cohort),
        "progress": {"completed": item.done, "total": item.total, "percent": min(item.percent, 100)},
        "attendance_rate": item.attendance,
        "next_lesson": ({"id": item.next_lesson.id, "title": item.next_lesson.title}
                        if item.next_lesson else None),
    }


@api.route("/my/cohorts", summary="My cohorts with progress", roles={Role.STUDENT},
           query=PAGE_PARAMS, paginated=True, response=page_schema(s.MY_COHORT))
def my_cohorts():
    """The student's current and completed cohorts (withdrawn ones are left out), newest first,
    with completed / total required lessons, attendance rate and the next lesson."""
    args = query_args(PAGE_PARAMS)
    return page_of_list(student_enrollments(current_user), args, _my_cohort)
