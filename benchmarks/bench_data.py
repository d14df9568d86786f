"""The small fixed worlds the save and import benchmarks time against: one center, its staff,
a course and one cohort. Built with the models directly (the benchmarks do not import the
tests' builders); every account has PASSWORD."""
from datetime import date, timedelta

from lms.auth.passwords import hash_password
from lms.catalog.models import Course, CourseLevel, CourseModule, Lesson, LessonKind, Track
from lms.centers.models import Center
from lms.cohorts.models import Cohort, CohortStatus, Enrollment
from lms.core.extensions import db
from lms.users.models import Role, StudentProfile, User

PASSWORD = "bench-password"


def build_center(staff: dict[Role, str], students: int = 0, modules: int = 2,
                 lessons_per_module: int = 3, cohort_name: str = "Bench cohort") -> Cohort:
    """Center "bench" with one staff member per `staff` entry (role: e-mail), a course of
    modules × lessons and one running cohort taught by its mentors, `students` enrolled."""
    password_hash = hash_password(PASSWORD)
    center = Center(slug="bench", name="Bench center", city="Kramatorsk", region="Donetsk",
                    cluster="East IT Cluster")
    people = [User(email=email, full_name=f"Bench {role.value}", role=role, center=center,
                   password_hash=password_hash) for role, email in staff.items()]
    course = Course(code="BENCH", title="Bench course", level=CourseLevel.BEGINNER,
                    track=Track(code="bench", name="Bench"), is_published=True)
    for m in range(1, modules + 1):
        module = CourseModule(course=course, position=m, title=f"Module {m}")
        for position in range(1, lessons_per_module + 1):
            Lesson(module=module, position=position, title=f"Lesson {m}.{position}",
                   kind=LessonKind.LESSON, max_score=10)
    start = date.today() - timedelta(days=30)
    cohort = Cohort(center=center, course=course, name=cohort_name, start_date=start,
                    status=CohortStatus.RUNNING,
                    mentors=[user for user in people if user.role == Role.MENTOR])
    for n in range(1, students + 1):
        student = User(email=f"student{n}@bench.example", full_name=f"Student {n}",
                       role=Role.STUDENT, center=center, password_hash=password_hash,
                       profile=StudentProfile(date_of_birth=date(2008, 5, 5)))
        db.session.add(Enrollment(student=student, cohort=cohort, enrolled_on=start))
    db.session.add_all([center, *people, cohort])
    db.session.commit()
    return cohort
