"""The certification screens over HTTP: start, move, report, verify, board, and their costs."""
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lms.certifications.models import Pursuit, PursuitStageChange, Stage, VoucherStatus
from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import (
    english,
    fresh,
    make_certification,
    make_pursuit,
    make_user,
    make_voucher,
)

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

TODAY = date.today()


def test_student_starts_a_path_and_sees_the_guardian_rule(client, login, world):
    aws = make_certification(name="AWS Certified Cloud Practitioner", guardian_acceptance_under=18)
    english(world.a.minor)
    login(world.a.minor)
    page = client.get("/paths/new").get_data(as_text=True)
    assert "AWS Certified Cloud Practitioner" in page and "guardian acceptance under 18" in page
    response = client.post("/paths/new", data={"certification_id": str(aws.id)})
    pursuit = db.session.scalars(sa.select(Pursuit).where(
        Pursuit.student_id == world.a.minor.id, Pursuit.certification_id == aws.id)).one()
    assert response.location == f"/paths/{pursuit.id}"
    assert pursuit.stage == Stage.INTERESTED and pursuit.center_id == world.a.center.id
    shown = client.get(response.location).get_data(as_text=True)
    assert "requires a parent or guardian to accept the exam terms" in shown
    again = client.post("/paths/new", data={"certification_id": str(aws.id)})
    assert again.status_code == 422
    assert "There is already an open path to this certification." in again.get_data(as_text=True)


@pytest.mark.parametrize("value", ["", "999999", "abc", "1 OR 1=1"])
def test_start_refuses_unknown_certifications(client, login, world, value):
    login(world.a.student)
    response = client.post("/paths/new", data={"certification_id": value})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Pursuit)) == 2  # world's


def test_mentor_moves_a_pursuit_with_the_stage_form(client, login, world):
    english(world.a.mentor)
    login(world.a.mentor)
    url = f"/pursuits/{world.a.pursuit.id}/move/preparing"
    form = client.get(url).get_data(as_text=True)
    assert world.a.cohort.name in form  # internal cohorts offered as preparation
    missing = client.post(url, data={"prep_platform": "", "prep_started_on": TODAY.isoformat()})
    assert missing.status_code == 422
    assert "Name a preparation platform or choose a cohort." in missing.get_data(as_text=True)
    assert fresh(world.a.pursuit).stage == Stage.INTERESTED
    done = client.post(url, data={"prep_platform": "AWS Skill Builder",
                                  "prep_started_on": TODAY.isoformat(), "note": "Weekly"})
    assert done.location == f"/pursuits/{world.a.pursuit.id}"
    pursuit = fresh(world.a.pursuit)
    assert pursuit.stage == Stage.PREPARING and pursuit.prep_platform == "AWS Skill Builder"
    assert "AWS Skill Builder" in client.get(done.location).get_data(as_text=True)


def test_illegal_jumps_are_refused_in_the_users_language(client, login, world):
    login(world.a.mentor)  # Ukrainian by default
    response = client.post(f"/pursuits/{world.a.pursuit.id}/move/passed", data={
        "result_date": TODAY.isoformat(), "credential_id": "X-1"})
    assert response.status_code == 422
    assert "Шлях не може перейти" in response.get_data(as_text=True)
    assert fresh(world.a.pursuit).stage == Stage.INTERESTED
    changes = db.session.scalar(sa.select(sa.func.count()).select_from(PursuitStageChange))
    assert changes == 0
    assert client.get(f"/pursuits/{world.a.pursuit.id}/move/teleported").status_code == 404


def test_voucher_codes_are_masked_for_mentors_and_whole_for_heads(client, login, world):
    pursuit = world.a.pursuit
    pursuit.stage = Stage.READY
    db.session.commit()
    voucher = make_voucher(world.a.center, world.certification, code="CLF-SECRET-7Q2Z")
    url = f"/pursuits/{pursuit.id}/move/voucher"
    login(world.a.mentor)
    mentor_page = client.get(url).get_data(as_text=True)
    assert "7Q2Z" in mentor_page and "CLF-SECRET-7Q2Z" not in mentor_page
    client.post("/auth/logout")
    login(world.a.head)
    assert "CLF-SECRET-7Q2Z" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"voucher_id": str(voucher.id)})
    assert response.status_code == 302
    assert fresh(voucher).status == VoucherStatus.ASSIGNED and fresh(voucher).pursuit_id == pursuit.id
    other_center = make_voucher(world.b.center, world.certification)
    second = make_pursuit(world.a.minor, world.certification, stage=Stage.READY)
    refused = client.post(f"/pursuits/{second.id}/move/voucher",
                          data={"voucher_id": str(other_center.id)})
    assert refused.status_code == 422
    assert fresh(other_center).status == VoucherStatus.AVAILABLE


def test_student_report_waits_for_verification_then_counts(client, login, world):
    certification = world.certification
    certification.verification_url_pattern = "https://verify.example/{id}"
    db.session.commit()
    english(world.a.student, world.a.mentor)
    login(world.a.student)
    response = client.post(f"/paths/{world.a.pursuit.id}/report", data={
        "result_date": TODAY.isoformat(), "credential_id": "ABC 123", "score": "812"})
    assert response.status_code == 302
    page = client.get(f"/paths/{world.a.pursuit.id}").get_data(as_text=True)
    assert "Awaiting verification" in page and "https://verify.example/ABC%20123" in page
    client.post("/auth/logout")

    login(world.a.mentor)
    queue = client.get("/pursuits/verification").get_data(as_text=True)
    assert world.a.student.full_name in queue and world.b.student.full_name not in queue
    assert world.a.student.full_name in client.get("/mentor").get_data(as_text=True)
    client.post(f"/pursuits/{world.a.pursuit.id}/verify", data={})
    pursuit = fresh(world.a.pursuit)
    assert pursuit.verified_by_id == world.a.mentor.id and pursuit.verified_at is not None
    assert world.a.student.full_name not in client.get("/pursuits/verification").get_data(as_text=True)


def test_future_result_dates_are_refused_with_the_field_message(client, login, world):
    english(world.a.student)
    login(world.a.student)
    response = client.post(f"/paths/{world.a.pursuit.id}/report", data={
        "result_date": (TODAY + timedelta(days=3)).isoformat(), "credential_id": "X"})
    assert response.status_code == 422
    assert "This date cannot be in the future." in response.get_data(as_text=True)
    assert fresh(world.a.pursuit).stage == Stage.INTERESTED


def test_board_counts_filters_and_bad_query_strings(client, login, world):
    other_certification = make_certification(name="Azure Fundamentals")
    make_pursuit(world.a.minor, other_certification, stage=Stage.PRACTICE)
    english(world.a.head)
    login(world.a.head)
    page = client.get("/pursuits/").get_data(as_text=True)
    assert re.search(r'data-stage="interested">1<', page) and re.search(r'data-stage="practice">1<', page)
    filtered = client.get(f"/pursuits/?certification={other_certification.id}").get_data(as_text=True)
    assert world.a.minor.full_name in filtered and world.a.student.full_name not in filtered
    practice = client.get("/pursuits/?stage=practice").get_data(as_text=True)
    assert world.a.minor.full_name in practice and world.a.student.full_name not in practice
    for bad in ("stage=nonsense", "certification=abc", "page=-1", "cohort=1e9"):
        assert client.get(f"/pursuits/?{bad}").status_code == 400, bad


def grow_pursuits(world, count: int) -> None:
    for n in range(count):
        student = make_user(Role.STUDENT, world.a.center)
        certification = make_certification(name=f"Extra {n}", verification_url_pattern="https://v/{id}")
        make_pursuit(student, certification, stage=Stage.SCHEDULED,
                     exam_date=TODAY + timedelta(days=3), exam_delivery="online",
                     booking_reference=f"B{n}")
        make_pursuit(student, world.certification, stage=Stage.PASSED, result_date=TODAY,
                     credential_id=f"C{n}")


PAGES = {
    "board": ("head", lambda w: "/pursuits/"),
    "board by stage": ("mentor", lambda w: "/pursuits/?stage=scheduled"),
    "verification": ("mentor", lambda w: "/pursuits/verification"),
    "pursuit": ("mentor", lambda w: f"/pursuits/{w.a.pursuit.id}"),
    "move form": ("mentor", lambda w: f"/pursuits/{w.a.pursuit.id}/move/preparing"),
    "path": ("student", lambda w: f"/paths/{w.a.pursuit.id}"),
    "start": ("student", lambda w: "/paths/new"),
    "student home": ("student", lambda w: "/my"),
    "mentor home": ("mentor", lambda w: "/mentor"),
}
MAX_STATEMENTS = 16


@pytest.mark.parametrize("page", list(PAGES))
def test_statement_count_does_not_grow_with_pursuits(login, world, page_statements, page):
    who, url = PAGES[page]
    login(getattr(world.a, who))

    small = page_statements(url(world))
    grow_pursuits(world, 8)
    large = page_statements(url(world))
    assert small == large, f"{page}: {small} statements before, {large} after adding pursuits"
    assert large <= MAX_STATEMENTS, f"{page}: {large} statements"


def test_choice_labels_follow_each_users_language(client, login, world):
    """Form choices are built once at import; their labels must still be translated per user."""
    pursuit = world.a.pursuit
    pursuit.stage = Stage.VOUCHER
    pursuit.self_paid = True
    db.session.commit()
    url = f"/pursuits/{pursuit.id}/move/scheduled"
    login(world.a.mentor)  # Ukrainian
    page = client.get(url).get_data(as_text=True)
    assert "Онлайн із прокторингом" in page and "Online proctored" not in page
    client.post("/language", data={"language": "en"})
    assert "Online proctored" in client.get(url).get_data(as_text=True)
