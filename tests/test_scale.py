"""The scaled demo data (`flask lms demo --size medium|large`), built set-based: consistent rows,
working sequences, pages that open for its people, and a second run that changes nothing."""
import sqlalchemy as sa

from lms.attendance.models import Attendance
from lms.certifications.models import Pursuit, PursuitStageChange, Stage, Voucher, VoucherStatus
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.demo.scale import Scale, build_scale
from lms.progress.models import LessonProgress, ProgressEvent
from lms.users.models import StudentProfile, User

TINY = Scale(centers=2, mentors_per_center=2, students_per_center=40, cohorts_per_center=5,
             vouchers_per_center=30, courses=3)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_tiny_scale_builds_consistent_rows():
    counts = build_scale(TINY)
    assert counts["users"] == 2 * (1 + 2 + 40) and count(StudentProfile) == 80
    assert counts["lessons"] == 3 * 30
    assert counts["lesson_progress"] == count(LessonProgress) == count(ProgressEvent) > 0
    assert count(Attendance) == counts["attendance"] > 0
    assert count(Pursuit) == 160 and count(PursuitStageChange) == counts["pursuit_stage_changes"]
    assert count(Voucher) == 60
    # Every pursuit's history starts at "interested" and ends at its current stage.
    last = (sa.select(PursuitStageChange.pursuit_id, sa.func.max(PursuitStageChange.id).label("id"))
            .group_by(PursuitStageChange.pursuit_id).subquery())
    mismatched = db.session.scalar(
        sa.select(sa.func.count()).select_from(Pursuit)
        .join(last, last.c.pursuit_id == Pursuit.id)
        .join(PursuitStageChange, PursuitStageChange.id == last.c.id)
        .where(PursuitStageChange.to_stage != Pursuit.stage))
    assert mismatched == 0
    # Vouchers in use belong to pursuits of the same center that got that far.
    wrong = db.session.scalar(
        sa.select(sa.func.count()).select_from(Voucher).join(Pursuit, Voucher.pursuit_id == Pursuit.id)
        .where(sa.or_(Pursuit.center_id != Voucher.center_id,
                      Pursuit.stage.in_([Stage.INTERESTED, Stage.PREPARING, Stage.PRACTICE]))))
    assert wrong == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Voucher)
                             .where(Voucher.status == VoucherStatus.AVAILABLE)) > 0


def test_a_second_run_changes_nothing_and_new_rows_get_fresh_ids():
    build_scale(TINY)
    before = count(Enrollment)
    assert build_scale(TINY) is None
    assert count(Enrollment) == before
    # The sequences were moved past the explicit ids: an ordinary insert works.
    center_id = db.session.scalar(sa.select(User.center_id).where(User.center_id.is_not(None)))
    user = User(email="new@scale.example", full_name="New", role="student", center_id=center_id)
    db.session.add(user)
    db.session.commit()
    assert user.id > db.session.scalar(sa.select(sa.func.min(User.id)))


def test_its_people_can_sign_in_and_open_their_pages(client, login):
    build_scale(TINY)
    for email, home in [("head@scale-01.demo.example", "/center"),
                        ("mentor001@scale-01.demo.example", "/mentor"),
                        ("student00001@scale-02.demo.example", "/my")]:
        login(email, "demo-password")
        assert client.get(home).status_code == 200, email
        client.post("/auth/logout")
