"""An admin reorders and retires lessons in real Chromium, without any JavaScript of ours."""
import sqlalchemy as sa

from lms.catalog.models import Lesson
from lms.core.extensions import db
from lms.users.models import Role
from tests.browser.helpers import sign_in
from tests.factories import make_course, make_user


def test_admin_moves_a_lesson_down_and_retires_it(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  java_script_enabled=False)
    page = context.new_page()
    course = make_course(modules=1, lessons_per_module=3, title="Arduino basics")
    first = course.modules[0].lessons[0]
    admin = make_user(Role.ADMIN)
    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/admin/catalog/courses/{course.id}")
    page.locator(f"#lesson-{first.id}").get_by_role("button").first.click()  # move down
    page.wait_for_selector(".alert-success")
    titles = page.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert [t.split()[0:2] for t in titles] == [["Lesson", "1.2"], ["Lesson", "1.1"],
                                                ["Lesson", "1.3"]]
    page.locator(f"#lesson-{first.id}").get_by_role("button").last.click()  # retire
    page.wait_for_selector(f"#lesson-{first.id} .status")
    db.session.expire_all()
    lesson = db.session.get(Lesson, first.id)
    assert (lesson.position, lesson.is_retired) == (2, True)
    positions = db.session.scalars(sa.select(Lesson.position).order_by(Lesson.position)).all()
    assert positions == [1, 2, 3]
    context.close()
