"""A mentor records a passed exam in Chromium; the student then sees the credential and its link."""
from datetime import date, timedelta

from lms.certifications.models import Stage
from lms.core.extensions import db
from tests.browser.helpers import sign_in


def test_mentor_records_a_pass_and_the_student_sees_the_credential(live_server, browser, world):
    certification = world.certification
    certification.verification_url_pattern = "https://www.credly.com/badges/{id}"
    pursuit = world.a.pursuit
    pursuit.stage, pursuit.exam_date = Stage.SCHEDULED, date.today() - timedelta(days=1)
    pursuit.exam_delivery, pursuit.booking_reference = "online", "PV-42"
    world.a.mentor.locale = world.a.student.locale = "en"
    db.session.commit()

    mentor = browser.new_context().new_page()
    sign_in(mentor, live_server, world.a.mentor.email)
    mentor.goto(f"{live_server}/pursuits/{pursuit.id}")
    mentor.get_by_role("link", name="Move to “Passed”").click()
    mentor.get_by_label("Result date").fill(date.today().isoformat())
    mentor.get_by_label("Score (optional)").fill("845")
    mentor.get_by_label("Credential id").fill("9f1c-aws-777")
    mentor.get_by_role("button", name="Save").click()
    mentor.wait_for_url(f"{live_server}/pursuits/{pursuit.id}")
    assert "Moved to “Passed”." in mentor.content()
    mentor.context.close()

    student = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    sign_in(student, live_server, world.a.student.email)
    student.wait_for_url(f"{live_server}/my")
    student.get_by_role("link", name=certification.name).click()
    assert "9f1c-aws-777" in student.inner_text("main")
    link = student.get_by_role("link", name="Check at Amazon Web Services")
    assert link.get_attribute("href") == "https://www.credly.com/badges/9f1c-aws-777"
    assert "Valid" in student.inner_text("main")
    student.context.close()
