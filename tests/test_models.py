"""The database itself keeps data valid: uniqueness and check constraints on both backends."""
from datetime import date

import pytest
import sqlalchemy as sa

from lms.certifications.models import Pursuit, Stage, Voucher, VoucherStatus
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.progress.models import LessonProgress
from lms.users.models import Role, StudentProfile, User
from tests.factories import make_center, make_progress, make_user


def refused(obj_or_change) -> None:
    """Flushing must raise an IntegrityError; the session is rolled back afterwards."""
    with pytest.raises(sa.exc.IntegrityError):
        if obj_or_change is not None:
            db.session.add(obj_or_change)
        db.session.flush()
    db.session.rollback()


def test_email_is_unique_case_insensitively():
    center = make_center()
    make_user(Role.MENTOR, center, email="Mentor@Example.org")
    refused(User(email="mentor@EXAMPLE.org", full_name="Twin", role=Role.MENTOR, center_id=center.id))


def test_only_admins_live_outside_a_center():
    refused(User(email="x@example.org", full_name="X", role=Role.HEAD))
    assert make_user(Role.ADMIN).center_id is None


def test_one_enrollment_per_student_and_cohort(world):
    refused(Enrollment(student_id=world.a.student.id, cohort_id=world.a.cohort.id,
                       enrolled_on=date.today()))


def test_one_progress_row_per_enrollment_and_lesson(world):
    lesson = world.course.modules[0].lessons[0]
    make_progress(world.a.enrollment, lesson)
    refused(LessonProgress(enrollment_id=world.a.enrollment.id, lesson_id=lesson.id))


def test_scores_cannot_be_negative(world):
    refused(LessonProgress(enrollment_id=world.a.enrollment.id,
                           lesson_id=world.course.modules[0].lessons[0].id, score=-1))


def test_enumerations_are_checked_by_the_database(world):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text("UPDATE enrollments SET status = 'lost' WHERE id = :id"),
                           {"id": world.a.enrollment.id})
    db.session.rollback()


def test_withdrawn_enrollment_needs_a_date(world):
    world.a.enrollment.status = "withdrawn"
    refused(None)


def test_an_assigned_voucher_points_to_its_pursuit(world):
    world.a.voucher.status = VoucherStatus.ASSIGNED
    refused(None)


def test_voucher_codes_are_unique_per_provider(world):
    refused(Voucher(center_id=world.b.center.id, provider_id=world.a.voucher.provider_id,
                    code=world.a.voucher.code, issued_on=date.today()))


def test_a_passed_pursuit_has_a_result_date_and_credential(world):
    refused(Pursuit(student_id=world.a.student.id, certification_id=world.certification.id,
                    center_id=world.a.center.id, stage=Stage.PASSED))


def test_needs_consent_edges():
    today = date(2026, 11, 28)
    profile = StudentProfile(date_of_birth=date(2010, 11, 29))  # 16 tomorrow
    assert profile.age_on(today) == 15 and profile.needs_consent(today)
    profile.date_of_birth = date(2010, 11, 28)  # 16 today
    assert profile.age_on(today) == 16 and not profile.needs_consent(today)
    profile.date_of_birth = date(2012, 1, 1)
    profile.guardian_consent_on = date(2025, 9, 1)
    assert not profile.needs_consent(today)
    assert StudentProfile(date_of_birth=None).needs_consent(today) is False


def test_minors_query_agrees_with_the_profile_rule():
    from lms.users.queries import minors_without_consent

    center = make_center()
    today = date.today()
    born_16_years_ago = today.replace(year=today.year - 16) if (today.month, today.day) != (2, 29) \
        else today.replace(year=today.year - 16, day=28)
    turning_today = make_user(Role.STUDENT, center, profile={"date_of_birth": born_16_years_ago})
    one_day_short = make_user(Role.STUDENT, center, profile={
        "date_of_birth": date.fromordinal(born_16_years_ago.toordinal() + 1)})
    found = {u.id for u in minors_without_consent(center.id, today)}
    assert one_day_short.id in found and turning_today.id not in found
