"""The gradebook that fits, in Chromium: 25 students × 13 lessons readable at 1366 × 768 with
the header and names staying in view; cells edited in place and saved in one request; one
lesson at a time on a 375 px phone; the cell page without JavaScript; axe-core on each page."""
import sqlalchemy as sa

from lms.catalog.models import CourseModule, Lesson, LessonKind
from lms.core.extensions import db
from lms.progress.models import LessonProgress, ProgressEvent, ProgressStatus
from lms.users.models import Role
from tests.browser.helpers import axe_violations, open_page
from tests.factories import count, enroll, make_cohort, make_course, make_user

LAPTOP, PHONE = 1366, 375
TITLES = ["Змінні, типи даних, введення й виведення", "Умови та цикли", "Практикум: калькулятор",
          "Тест: основи синтаксису", "Списки й кортежі", "Словники та множини",
          "Практикум: телефонна книга", "Тест: колекції", "Функції, параметри, повернення значень",
          "Модулі та пакети", "Робота з файлами", "Обробка винятків", "Підсумковий проєкт"]
STATUSES = [ProgressStatus.COMPLETED, ProgressStatus.IN_PROGRESS, ProgressStatus.EXCUSED,
            ProgressStatus.NOT_STARTED]


def big_class(world):
    """A cohort of center a taught by its mentor: 25 students × 13 lessons (long Ukrainian
    titles), every status present, scores where a lesson has them."""
    course = make_course(modules=1, lessons_per_module=0)
    module = db.session.scalars(sa.select(CourseModule).where(CourseModule.course_id == course.id)).one()
    lessons = [Lesson(module_id=module.id, position=n + 1, title=title, kind=LessonKind.LESSON,
                      max_score=10 if n % 3 != 1 else None) for n, title in enumerate(TITLES)]
    db.session.add_all(lessons)
    cohort = make_cohort(world.a.center, course, mentors=[world.a.mentor])
    names = ["Анастасія Пономаренко-Кравчук", "Владислав Гончаренко"]
    enrollments = [enroll(make_user(Role.STUDENT, world.a.center,
                                    full_name=names[n] if n < 2 else f"Студентка Номер {n + 1}"), cohort)
                   for n in range(25)]
    db.session.add_all([
        LessonProgress(enrollment_id=e.id, lesson_id=lesson.id, status=STATUSES[(i + j) % 4],
                       score=(i + j) % 11 if lesson.max_score and (i + j) % 4 != 3 else None,
                       feedback="Добре" if (i + j) % 5 == 0 else "")
        for i, e in enumerate(enrollments) for j, lesson in enumerate(lessons)
        if (i + j) % 4 != 3 or j == 0])
    db.session.commit()
    return cohort, enrollments, lessons


def cells() -> dict:
    db.session.rollback()  # see what the server committed
    return {(r.enrollment_id, r.lesson_id): (r.status, r.score, r.feedback, r.version)
            for r in db.session.scalars(sa.select(LessonProgress))}


def test_the_grid_fits_a_laptop_with_words_uncut_and_headers_in_view(browser, live_server, world):
    cohort, _enrollments, _lessons = big_class(world)
    context, page = open_page(browser, live_server, world.a.mentor.email, LAPTOP)
    page.set_viewport_size({"width": LAPTOP, "height": 768})
    page.goto(f"{live_server}/gradebook/{cohort.id}")
    region = page.get_by_role("region", name="Журнал оцінок: студенти й уроки")
    assert region.get_attribute("tabindex") == "0"
    assert page.locator(".gb-cell").count() == 25 * 13
    cut = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.gb-cell .status, .gb-name, .gb-head__title, .gb-cell__score'))
        .filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent.trim())""")
    assert cut == []
    words = set(page.eval_on_selector_all(".gb-cell .status", "els => els.map(e => e.textContent.trim())"))
    assert words == {"✓Готово", "●Розпочато", "✓Поважна", "○Ще ні"}
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP

    region.scroll_into_view_if_needed()
    page.eval_on_selector(".gb-scroll", "el => el.scrollTo(el.scrollWidth, el.scrollHeight)")
    page.wait_for_timeout(100)
    box = region.bounding_box()
    assert page.eval_on_selector(".gb-scroll", "el => el.scrollLeft") > 0  # it did scroll
    last_head = page.locator("thead th").last.bounding_box()
    last_name = page.locator("tbody th").last.bounding_box()
    corner = page.locator("thead th").first.bounding_box()
    assert abs(last_head["y"] - box["y"]) <= 2 and abs(corner["y"] - box["y"]) <= 2
    assert abs(last_name["x"] - box["x"]) <= 2 and abs(corner["x"] - box["x"]) <= 2
    assert page.evaluate("""([x, y]) => document.elementFromPoint(x, y).closest('th').id""",
                         [box["x"] + 20, last_name["y"] + 5]).startswith("st-")
    assert axe_violations(page) == []
    page.locator(".gb-menu summary").first.click()  # the column menu, opened
    assert page.get_by_role("link", name="Відкрити цей урок").first.is_visible()
    assert axe_violations(page) == []
    context.close()


def test_three_cells_edited_in_place_are_saved_in_one_request(browser, live_server, world):
    cohort, enrollments, lessons = big_class(world)
    before = cells()
    context, page = open_page(browser, live_server, world.a.mentor.email, LAPTOP)
    page.goto(f"{live_server}/gradebook/{cohort.id}")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    scored = [lesson for lesson in lessons if lesson.max_score]
    edits = [(enrollments[0], scored[0], "Готово", "10", None),
             (enrollments[3], lessons[1], "Розпочато", None, None),  # a lesson without a score
             (enrollments[24], scored[-1], "Поважна", "", "Пропустила з поважної причини")]
    for enrollment, lesson, word, score, feedback in edits:
        page.click(f"#c-{enrollment.id}-{lesson.id}")
        page.locator("#gb-editor label", has_text=word).click()
        if score is not None:
            page.fill("#gb-score", score)
        if feedback is not None:
            page.wait_for_function("!document.getElementById('gb-feedback').disabled")
            page.fill("#gb-feedback", feedback)
        page.get_by_role("button", name="Додати до змін").click()
        assert page.locator(f'td[data-cell="{enrollment.id}-{lesson.id}"].gb-cell--changed').is_visible()
    assert page.get_by_role("button", name="Зберегти зміни (3)").is_enabled()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Зберегти зміни (3)").click()
    page.wait_for_load_state()
    assert "Збережено 3 клітинки." in page.inner_text(".alert-success")
    assert len(posts) == 1 and posts[0].endswith(f"/gradebook/{cohort.id}")
    after = cells()
    changed = {cell for cell in after if after[cell] != before.get(cell)}
    assert changed == {(e.id, lesson.id) for e, lesson, *_rest in edits}
    first, second, third = ((e.id, lesson.id) for e, lesson, *_rest in edits)
    assert after[first][:2] == (ProgressStatus.COMPLETED, 10)
    assert after[second][0] == ProgressStatus.IN_PROGRESS
    assert after[third][:3] == (ProgressStatus.EXCUSED, None, "Пропустила з поважної причини")
    assert all(after[cell][2] == before[cell][2] for cell in (first, second) if cell in before)
    context.close()


def test_one_lesson_on_a_phone(browser, live_server, world):
    cohort, enrollments, lessons = big_class(world)
    before = cells()
    context, page = open_page(browser, live_server, world.a.mentor.email, PHONE)
    page.goto(f"{live_server}/gradebook/{cohort.id}")
    assert not page.locator(".gb-scroll").is_visible()  # the grid gives way to one lesson
    page.select_option("#gb-pick", str(lessons[2].id))
    page.get_by_role("button", name="Показати").click()
    page.wait_for_url(f"**/gradebook/{cohort.id}?lesson={lessons[2].id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    targets = page.eval_on_selector_all(
        ".gb-seg__option, .gb-student__score, .gb-student__name, .gb-savebar .btn, .gb-picker .btn",
        "els => els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)")
    assert len(targets) >= 25 * 6 and min(targets) >= 44
    cut = page.eval_on_selector_all(".gb-seg__option .status",
                                    "els => els.filter(e => e.scrollWidth > e.clientWidth).length")
    assert cut == 0 and page.eval_on_selector_all(
        ".gb-seg__option", "els => els.filter(e => e.getBoundingClientRect().right > 375).length") == 0
    assert axe_violations(page) == []
    a, b = enrollments[5], enrollments[6]
    page.click(f'label[for="r-{a.id}-{lessons[2].id}-completed"]')
    page.click(f'label[for="r-{b.id}-{lessons[2].id}-in_progress"]')
    page.fill(f"#n-{b.id}-{lessons[2].id}", "4")
    with page.expect_navigation():
        page.get_by_role("button", name="Зберегти урок").click()
    assert page.url.endswith(f"/gradebook/{cohort.id}?lesson={lessons[2].id}"), page.url
    assert "Збережено" in page.inner_text(".alert-success"), page.inner_text("main")[:500]
    after = cells()
    assert {cell for cell in after if after[cell] != before.get(cell)} == {
        (a.id, lessons[2].id), (b.id, lessons[2].id)}
    assert after[(b.id, lessons[2].id)][:2] == (ProgressStatus.IN_PROGRESS, 4)
    context.close()


def test_the_cell_page_without_javascript(browser, live_server, world):
    cohort, enrollments, lessons = big_class(world)
    events = count(ProgressEvent)
    for width in (PHONE, LAPTOP):
        context, page = open_page(browser, live_server, world.a.mentor.email, width, javascript=False)
        page.goto(f"{live_server}/gradebook/{cohort.id}")
        if width == LAPTOP:
            page.click(f"#c-{enrollments[1].id}-{lessons[0].id}")  # a plain link without JavaScript
        else:
            page.click(f"#ln-{enrollments[1].id}")  # the student's name in the one-lesson list
        page.wait_for_url(f"**/cells/{enrollments[1].id}/{lessons[0].id}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.click('label[for="status-completed"]')
        page.fill("#score", "11")
        page.get_by_role("button", name="Зберегти клітинку").click()
        assert "Кількість балів має бути від 0 до 10." in page.inner_text("main")
        page.fill("#score", str(width % 10))
        page.get_by_role("button", name="Зберегти клітинку").click()
        page.wait_for_url(f"**/gradebook/{cohort.id}*")
        assert "Збережено 1 клітинку." in page.inner_text(".alert-success")
        context.close()
    db.session.rollback()
    row = db.session.scalars(sa.select(LessonProgress).where(
        LessonProgress.enrollment_id == enrollments[1].id, LessonProgress.lesson_id == lessons[0].id)).one()
    assert (row.status, row.score) == (ProgressStatus.COMPLETED, LAPTOP % 10)
    assert count(ProgressEvent) == events + 2


def test_axe_finds_nothing_on_the_cell_bulk_and_lesson_pages(browser, live_server, world):
    cohort, enrollments, lessons = big_class(world)
    cell = f"{live_server}/gradebook/{cohort.id}/cells/{enrollments[1].id}/{lessons[0].id}"
    for width in (PHONE, LAPTOP):
        context, page = open_page(browser, live_server, world.a.mentor.email, width)
        for url in (cell, f"{live_server}/gradebook/{cohort.id}/bulk?lesson={lessons[0].id}",
                    f"{live_server}/gradebook/{cohort.id}?lesson={lessons[0].id}"):
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, url
            assert axe_violations(page) == [], (url, width)
        page.goto(cell)
        page.fill("#score", "11")
        page.get_by_role("button", name="Зберегти клітинку").click()
        assert page.locator("#score[aria-invalid=true]").is_visible()
        assert axe_violations(page) == [], ("the cell page refusing a score", width)
        page.goto(f"{live_server}/gradebook/{cohort.id}")
        assert axe_violations(page) == [], ("the grid", width)
        context.close()
