"""`flask lms demo`: complete, consistent, idempotent and deterministic demo data."""
from datetime import date

import sqlalchemy as sa
from flask import url_for

from lms.auth.passwords import verify_password
from lms.catalog.models import Certification
from lms.centers.models import Center
from lms.certifications.models import Pursuit, PursuitStageChange, Stage, Voucher, VoucherStatus
from lms.certifications.rules import add_months
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.demo.builder import ADMIN_EMAIL, DEMO_PASSWORD, build_demo, demo_accounts
from lms.home.routes import LANDING
from lms.users.models import Role, StudentProfile, User
from lms.users.queries import find_user_by_email, minors_without_consent
from tests.conftest import empty_database

FILLED_TABLES = {
    "centers", "users", "student_profiles", "providers", "certifications", "tracks", "courses",
    "course_modules", "lessons", "certification_courses", "cohorts", "cohort_mentors",
    "enrollments", "lesson_progress", "progress_events", "class_sessions", "class_session_lessons",
    "attendance", "pursuits", "pursuit_stage_changes", "practice_scores", "vouchers", "evidence",
}


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def snapshot() -> tuple[list, list, list]:
    """What must come out the same on every build: people, pursuits and voucher codes."""
    people = db.session.execute(
        sa.select(User.email, User.full_name, StudentProfile.date_of_birth, StudentProfile.sex,
                  StudentProfile.displaced, StudentProfile.guardian_consent_on)
        .join(User.profile).order_by(User.email)).all()
    pursuits = db.session.execute(
        sa.select(User.email, Certification.name, Pursuit.stage, Pursuit.attempt,
                  Pursuit.credential_id, Pursuit.result_date)
        .join(User, User.id == Pursuit.student_id).join(Pursuit.certification)
        .order_by(User.email, Certification.name, Pursuit.stage)).all()
    codes = sorted(db.session.scalars(sa.select(Voucher.code)))
    return people, pursuits, codes


def test_demo_command_is_idempotent_and_deterministic(app):
    result = app.test_cli_runner().invoke(args=["lms", "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data created." in result.output and ADMIN_EMAIL in result.output
    counts, first = table_counts(), snapshot()
    assert {name for name, count in counts.items() if count} >= FILLED_TABLES
    assert counts["users"] == 1 + 3 * (1 + 2 + 80)

    assert build_demo() is False
    assert table_counts() == counts

    db.session.remove()
    empty_database()
    assert build_demo() is True
    assert snapshot() == first


def test_every_center_shows_every_stage_voucher_status_and_consent_case():
    build_demo()
    today = date.today()
    centers = db.session.scalars(sa.select(Center)).all()
    assert {"kramatorsk", "mariupol", "sievierodonetsk"} <= {center.slug for center in centers}
    for center in centers:
        pursuits = db.session.scalars(sa.select(Pursuit).where(Pursuit.center_id == center.id))
        assert {pursuit.stage for pursuit in pursuits} == set(Stage)
        statuses = set(db.session.scalars(
            sa.select(Voucher.status).where(Voucher.center_id == center.id)))
        assert statuses == set(VoucherStatus)
        assert minors_without_consent(center.id, today), center.slug
    for voucher in db.session.scalars(sa.select(Voucher)):
        cert = voucher.certification or voucher.pursuit and voucher.pursuit.certification
        months = (cert.voucher_validity_months if cert else None) or 12
        assert voucher.expires_on == add_months(voucher.issued_on, months)
        if voucher.status in (VoucherStatus.ASSIGNED, VoucherStatus.USED):
            assert voucher.pursuit.center_id == voucher.center_id
            assert voucher.pursuit.certification.provider_id == voucher.provider_id
            assert voucher.assigned_at and voucher.assigned_by_id
        if voucher.status == VoucherStatus.ASSIGNED:
            assert voucher.expires_on >= today


def test_pursuits_have_full_histories_and_verifiable_credentials():
    build_demo()
    pursuits = db.session.scalars(sa.select(Pursuit)).all()
    changes = db.session.scalars(
        sa.select(PursuitStageChange).order_by(PursuitStageChange.created_at)).all()
    history = {pursuit.id: [] for pursuit in pursuits}
    for change in changes:
        history[change.pursuit_id].append(change)
    for pursuit in pursuits:
        steps = history[pursuit.id]
        assert steps[0].from_stage is None and steps[0].to_stage == Stage.INTERESTED
        assert all(a.to_stage == b.from_stage for a, b in zip(steps, steps[1:]))
        assert steps[-1].to_stage == pursuit.stage and steps[-1].attempt == pursuit.attempt
        assert pursuit.center_id == pursuit.student.center_id
        assert steps[-1].actor.role in (Role.MENTOR, Role.STUDENT)
    retaken = [p for p in pursuits if p.attempt == 2]
    assert retaken and all(Stage.FAILED in [s.to_stage for s in history[p.id]] for p in retaken)
    assert_credentials([p for p in pursuits if p.stage == Stage.PASSED], date.today())


def assert_credentials(passed: list[Pursuit], today: date) -> None:
    """Credential ids and URLs from the pattern; unverified, invalid, expiring and expired ones."""
    for pursuit in passed:
        pattern = pursuit.certification.verification_url_pattern
        assert pursuit.credential_id and pursuit.result_date <= today
        assert pursuit.verification_url == pattern.format(id=pursuit.credential_id)
    assert any(p.verified_at is None for p in passed)  # self-reported, awaiting a mentor
    assert any(p.invalidated_at and p.invalid_reason for p in passed)
    expiring = [(add_months(p.renewed_on or p.result_date, p.certification.validity_months),
                 p.certification.renewal_window_months)
                for p in passed if p.certification.validity_months]
    assert any(expiry < today for expiry, _window in expiring)
    assert any(today <= expiry <= add_months(today, 3) for expiry, _window in expiring)
    # A Microsoft role-based credential inside its renewal window.
    assert any(window and add_months(expiry, -window) <= today < expiry
               for expiry, window in expiring)
    assert any(p.renewed_on for p in passed)


def test_demo_accounts_exist_and_sign_in(login):
    build_demo()
    rows = demo_accounts()
    assert rows[0] == ("admin", ADMIN_EMAIL, "—")
    assert [role for role, _email, _center in rows[1:7]] == [
        "head", "mentor", "mentor", "student", "student", "student"]
    assert rows[4][1] == "student1@kramatorsk.demo.example"
    assert len(rows) == 1 + 3 * 6
    for role, email, center in rows:
        user = find_user_by_email(email)
        assert user.role == Role(role)
        assert (user.center.name if user.center else "—") == center
        assert verify_password(user.password_hash, DEMO_PASSWORD)
    login("head@mariupol.demo.example", DEMO_PASSWORD)


def test_every_demo_account_lands_on_its_role_page(app):
    """Sign in as each listed demo account; another center's cohort answers 404 to its staff."""
    build_demo()
    cohort_of_center = {c.center_id: c.id for c in db.session.scalars(sa.select(Cohort))}
    for role, email, _center in demo_accounts():
        user = find_user_by_email(email)
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        landing = client.get("/", follow_redirects=True)
        assert landing.status_code == 200, email
        with app.test_request_context():
            assert landing.request.path == url_for(LANDING[user.role]), email
        if user.role in (Role.MENTOR, Role.HEAD):
            foreign = next(cid for center, cid in cohort_of_center.items() if center != user.center_id)
            assert client.get(f"/cohorts/{foreign}").status_code == 404, email
