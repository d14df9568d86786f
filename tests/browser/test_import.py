"""A head imports students from a CSV in Chromium: upload, read the preview, commit, find them enrolled."""

from lms.core.extensions import db
from tests.browser.helpers import sign_in


def test_head_imports_students_into_a_cohort(live_server, page, world):
    head, cohort = world.a.head, world.a.cohort
    head.locale = "en"
    db.session.commit()
    content = ("\ufeffЕлектронна пошта;ПІБ;Дата народження;Група\r\n"
               f"iryna.bondar@example.org;Ірина Бондар;12.03.2010;{cohort.name}\r\n"
               f"taras.lysenko@example.org;Тарас Лисенко;2009-11-02;{cohort.id}\r\n"
               "broken-address;Хтось;;\r\n").encode("utf-8")

    sign_in(page, live_server, head.email)
    page.locator(".site-menu__toggle", has_text="Menu").click()  # a 360 px phone: one button
    page.locator(".nav-group > summary", has_text="Center").click()  # the group holding the import
    page.get_by_role("link", name="CSV import").click()
    page.get_by_role("link", name="Upload a file").first.click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "students.csv", "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Upload and preview").click()

    rows = page.locator("#import-rows tbody tr")
    assert rows.count() == 3
    assert "Will be created" in page.inner_text("#line-2")
    assert "“broken-address” is not a valid e-mail address." in page.inner_text("#line-4")
    assert page.get_by_role("button", name="Import these rows").count() == 0

    # The corrected file (the broken row removed) previews clean and imports.
    fixed = content.rsplit(b"broken-address", 1)[0]
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV file").set_input_files(
        {"name": "students.csv", "mimeType": "text/csv", "buffer": fixed})
    page.get_by_role("button", name="Upload and preview").click()
    assert "Will be created: 2" in page.inner_text("#import-counts")
    page.get_by_role("button", name="Import these rows").click()
    assert "New students: 2; new enrollments: 2." in page.inner_text("main")
    assert "Already exists; nothing to do" in page.inner_text("#line-2")

    page.goto(f"{live_server}/cohorts/{cohort.id}")
    roster = page.inner_text("main")
    assert "Ірина Бондар" in roster and "Тарас Лисенко" in roster
