"""A mentor fills a gradebook row with the keyboard in Chromium; the student sees the new bar."""

from lms.core.extensions import db
from tests.browser.helpers import sign_in


def test_keyboard_row_then_student_progress(live_server, browser, world):
    world.a.mentor.locale = world.a.student.locale = "en"
    db.session.commit()
    lessons = [lesson for module in world.course.modules for lesson in module.lessons]
    row_key = world.a.enrollment.id

    mentor = browser.new_context().new_page()
    sign_in(mentor, live_server, world.a.mentor.email)
    mentor.goto(f"{live_server}/gradebook/{world.a.cohort.id}")
    # Each cell is a link: Enter opens its editor in a side panel, on its status buttons.
    mentor.focus(f"#c-{row_key}-{lessons[0].id}")
    for lesson in lessons:
        assert mentor.evaluate("document.activeElement.id") == f"c-{row_key}-{lesson.id}"
        mentor.keyboard.press("Enter")       # the editor opens on the status
        assert mentor.evaluate("document.activeElement.name") == "gb-status"
        mentor.keyboard.press("ArrowRight")  # Not started → In progress
        mentor.keyboard.press("ArrowRight")  # → Completed
        mentor.keyboard.press("Tab")         # to the score
        mentor.keyboard.type("9")
        mentor.keyboard.press("Enter")       # add to the changes; back on the cell
        mentor.keyboard.press("ArrowRight")  # to the next lesson's cell
    # arrow keys: from the first cell of the row, right moves to the next lesson
    mentor.focus(f"#c-{row_key}-{lessons[0].id}")
    mentor.keyboard.press("ArrowRight")
    assert mentor.evaluate("document.activeElement.id") == f"c-{row_key}-{lessons[1].id}"
    mentor.get_by_role("button", name="Save changes").click()
    mentor.wait_for_load_state()
    assert "6 cells saved." in mentor.content()
    mentor.context.close()

    student = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    sign_in(student, live_server, world.a.student.email)
    student.wait_for_url(f"{live_server}/my")
    bar = student.locator(f"#progress-{world.a.enrollment.id}")
    assert bar.get_attribute("value") == "6" and bar.get_attribute("max") == "6"
    assert "6 of 6 lessons completed" in student.inner_text("main")
    student.context.close()
