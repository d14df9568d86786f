"""The staff view of one student: profile and enrollments."""
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.cohorts.models import Cohort, Enrollment
from lms.cohorts.services import COHORT_CARD
from lms.extensions import db
from lms.users.models import User

STUDENT_PAGE = (selectinload(User.profile),)


def enrollments_of(student: User) -> list[Enrollment]:
    """All enrollments of a student, newest cohort first, with cohort and course loaded."""
    query = (
        sa.select(Enrollment)
        .join(Enrollment.cohort)
        .where(Enrollment.student_id == student.id)
        .options(selectinload(Enrollment.cohort).options(*COHORT_CARD),
                 selectinload(Enrollment.cohort).selectinload(Cohort.center))
        .order_by(Cohort.start_date.desc())
    )
    return list(db.session.scalars(query))
