"""Landing and object pages: real figures, scoped data, and a bounded number of SQL statements."""
import re
from datetime import date, timedelta

import pytest

from lms.cohorts.models import EnrollmentStatus
from lms.core.extensions import db
from lms.progress.models import ProgressStatus
from lms.users.models import Role
from tests.factories import (
    english,
    enroll,
    make_cohort,
    make_course,
    make_progress,
    make_user,
)

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_student_home_shows_progress_and_pursuits(client, login, world):
    lessons = [lesson for module in world.course.modules for lesson in module.lessons]
    make_progress(world.a.enrollment, lessons[0])
    make_progress(world.a.enrollment, lessons[1], status=ProgressStatus.EXCUSED)
    make_progress(world.a.enrollment, lessons[2], status=ProgressStatus.IN_PROGRESS)
    english(world.a.student)
    login(world.a.student)
    page = text(client.get("/my"))
    assert 'value="2"' in page and 'max="6"' in page  # completed or excused, of 6 required
    assert "2 of 6 lessons completed" in page
    assert world.course.title in page and world.a.cohort.name in page
    assert world.certification.name in page and "Interested" in page


def test_mentor_home_lists_taught_cohorts_and_minors_without_consent(client, login, world):
    login(world.a.mentor)
    page = text(client.get("/mentor"))
    assert world.a.cohort.name in page
    assert world.a.minor.full_name in page
    assert world.b.minor.full_name not in page


def test_minor_with_consent_is_not_flagged(client, login, world):
    world.a.minor.profile.guardian_consent_on = date.today()
    db.session.commit()
    login(world.a.head)
    assert world.a.minor.full_name not in text(client.get("/center"))


def test_head_home_counts_people_of_own_center_only(client, login, world):
    english(world.a.head)
    make_user(Role.STUDENT, world.b.center)
    login(world.a.head)
    page = text(client.get("/center"))
    assert world.a.center.name in page
    assert world.a.cohort.name in page and world.b.cohort.name not in page
    assert "The center has 2 active students." in page


def test_admin_home_compares_centers(client, login, world):
    make_user(Role.STUDENT, world.b.center)
    login(world.admin)
    page = text(client.get("/cluster"))
    rows = {center: page.split(center.name, 1)[1].split("</tr>", 1)[0]
            for center in (world.a.center, world.b.center)}
    cells = {center: [c.split(">")[-1] for c in row.split("</td>")][1:5] for center, row in rows.items()}
    assert cells[world.a.center] == ["2", "2", "1", "0"]  # students, mentors, running, certified
    assert cells[world.b.center] == ["3", "2", "1", "0"]


def test_cohort_page_shows_roster_and_outline(client, login, world):
    login(world.a.mentor)
    page = text(client.get(f"/cohorts/{world.a.cohort.id}"))
    assert world.a.student.full_name in page and world.a.minor.full_name in page
    assert "Lesson 2.3" in page


def test_student_page_shows_demographics_to_staff(client, login, world):
    login(world.a.head)
    page = text(client.get(f"/students/{world.a.minor.id}"))
    assert world.a.minor.full_name in page
    assert world.a.cohort.name in page


def test_student_page_refuses_staff_accounts(client, login, world):
    login(world.a.head)
    assert client.get(f"/students/{world.a.mentor.id}").status_code == 404


def grow(world, extra_cohorts: int, students_each: int) -> None:
    """Add cohorts taught by center a's mentor, each with enrolled students and progress."""
    for n in range(extra_cohorts):
        course = make_course(modules=2, lessons_per_module=2)
        cohort = make_cohort(world.a.center, course, mentors=[world.a.mentor])
        for _ in range(students_each):
            student = make_user(Role.STUDENT, world.a.center, profile={
                "date_of_birth": date.today() - timedelta(days=365 * 12)})
            enrollment = enroll(student, cohort)
            make_progress(enrollment, course.modules[0].lessons[0])
        enroll(world.a.student, cohort, status=EnrollmentStatus.ACTIVE)


PAGES = {
    "student": ("student", lambda w: "/my"),
    "mentor": ("mentor", lambda w: "/mentor"),
    "head": ("head", lambda w: "/center"),
    "admin": ("admin", lambda w: "/cluster"),
    "cohort": ("mentor", lambda w: f"/cohorts/{w.a.cohort.id}"),
    "student page": ("head", lambda w: f"/students/{w.a.student.id}"),
    "my cohort": ("student", lambda w: f"/learn/cohorts/{w.a.cohort.id}"),
    "attendance": ("mentor", lambda w: f"/attendance/cohort/{w.a.cohort.id}"),
}
MAX_STATEMENTS = 16


@pytest.mark.parametrize("page", list(PAGES))
def test_statement_count_does_not_grow_with_data(login, world, page_statements, page):
    who, url = PAGES[page]
    user = world.admin if who == "admin" else getattr(world.a, who)
    login(user)

    small = page_statements(url(world))
    grow(world, extra_cohorts=3, students_each=4)
    large = page_statements(url(world))
    assert small == large, f"{page}: {small} statements before, {large} after adding data"
    assert large <= MAX_STATEMENTS, f"{page}: {large} statements"


def test_a_long_roster_is_paged_and_actions_return_to_their_page(client, login, world):
    from lms.cohorts.queries import ROSTER_PER_PAGE

    for _ in range(ROSTER_PER_PAGE):
        enroll(make_user(Role.STUDENT, world.a.center), world.a.cohort)
    db.session.commit()
    login(world.a.mentor)
    second = client.get(f"/cohorts/{world.a.cohort.id}?page=2").get_data(as_text=True)
    rows = second.count('<tr id="enrollment-')
    assert 0 < rows < ROSTER_PER_PAGE
    found = re.search(r'action="(/cohorts/enrollments/(\d+)/withdraw\?page=2)"', second)
    response = client.post(found.group(1), data={f"withdraw-{found.group(2)}-reason": "Moved away"})
    assert response.status_code == 302 and response.location.endswith(f"/cohorts/{world.a.cohort.id}?page=2")
