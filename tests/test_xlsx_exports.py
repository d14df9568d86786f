"""XLSX downloads as a person would lay them out: sheet names by a rule, fitted columns, a bold
frozen header, dates and numbers typed as such, and a bounded read-ahead for long sheets."""
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from lms.core import exports
from lms.core.exports import Share, Sheet, column_widths, sheet_names, xlsx_response


def _workbook(app, sheets):
    with app.test_request_context():
        response = xlsx_response("t.xlsx", sheets)
        response.direct_passthrough = False
        return load_workbook(io.BytesIO(response.get_data()))


@pytest.mark.parametrize("title, name", [
    ("Стать", "Стать"),
    ("Внутрішньо переміщена особа (ВПО)", "Внутрішньо переміщена особа"),  # the aside goes
    ("Сертифікації та завершення курсів за останні 12 місяців", "Сертифікації та завершення…"),
    ("Школа/ЗВО [тип]: так?", "Школа ЗВО тип так"),  # Excel forbids []:*?/\
    ("a\\b*c", "a b c"),
    ("'Звіт'", "Звіт"),  # nor a leading or trailing apostrophe
    ("", "Sheet"),
    ("Надзвичайнодовгеслововякомубільшетридцятиоднієїлітери", "Надзвичайнодовгеслововякомубіл…"),
])
def test_a_sheet_name_is_whole_or_shortened_by_the_rule(title, name):
    assert sheet_names([title]) == [name]
    assert len(name) <= 31


def test_sheet_names_are_unique_regardless_of_case_and_stay_within_31_characters():
    long = "Сертифікації та завершення курсів за останні 12 місяців"
    names = sheet_names([long, long, long, "Звіт", "звіт", "History"])
    assert names == ["Сертифікації та завершення…", "Сертифікації та завершення… (2)",
                     "Сертифікації та завершення… (3)", "Звіт", "звіт (2)", "History (2)"]
    assert all(len(name) <= 31 for name in names)


def test_column_widths_fit_the_longest_value_within_bounds():
    rows = [["Ім'я", "№", "Примітка"], ["Олена Коваленко-Шевчук", 7, "x" * 200],
            [None, 123456, "рядок 1\nрядок 2"]]
    assert column_widths(rows) == [len("Олена Коваленко-Шевчук") + 2, 10, 60]
    assert column_widths([["Дата"], [date(2026, 1, 1)]]) == [12]


def test_a_workbook_has_a_bold_frozen_header_typed_cells_and_fitted_columns(app):
    rows = [["Олена Коваленко", date(2026, 3, 14), datetime(2026, 3, 14, 9, 30), 3, 2.5,
             Share(2 / 3), "=HYPERLINK(1)"],
            ["Іван", date(2026, 3, 15), datetime(2026, 3, 15, 10, 0), 12, 0.5, Share(None), ""]]
    headers = ["Студент", "Дата", "Час", "Кількість", "Частка", "Успішність", "Примітка"]
    book = _workbook(app, [Sheet("Внутрішньо переміщена особа (ВПО)", headers, rows)])
    assert book.sheetnames == ["Внутрішньо переміщена особа"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert [c.value for c in sheet[1]] == headers
    name, day, moment, count, part, share, note = sheet[2]
    assert isinstance(day.value, datetime) and day.value.date() == date(2026, 3, 14)
    assert day.number_format == "yyyy-mm-dd" and moment.number_format == "yyyy-mm-dd hh:mm"
    assert moment.value == datetime(2026, 3, 14, 9, 30)
    assert isinstance(count.value, int) and count.value == 3 and part.value == 2.5
    assert share.value == pytest.approx(2 / 3) and share.number_format == "0%"
    # The formula guard: text with Excel's quote prefix, not a formula, and no visible apostrophe.
    assert note.value == "=HYPERLINK(1)" and note.data_type == "s" and note.quotePrefix
    assert sheet["F3"].value is None  # no rate: an empty cell, not the text "—"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFG"}
    assert widths["A"] == len("Олена Коваленко") + 2 and widths["B"] == 12
    assert widths["C"] == 18 and widths["D"] == len("Кількість") + 2 and widths["G"] == len("=HYPERLINK(1)") + 2


def test_a_long_sheet_is_sized_from_its_first_rows_and_streams_the_rest(app, monkeypatch):
    """Only WIDTH_SAMPLE_ROWS rows are read ahead: a wider value later does not widen the
    column, and the generator is consumed lazily after the sample."""
    monkeypatch.setattr(exports, "WIDTH_SAMPLE_ROWS", 5)
    read = []

    def rows():
        for number in range(1, 21):
            read.append(number)
            yield [f"Студент {number}" if number < 10 else "Дуже довге ім'я студента " * 2,
                   number]

    book = _workbook(app, [Sheet("Студенти", ["Ім'я", "№"], rows())])
    sheet = book.worksheets[0]
    assert sheet.max_row == 21 and read == list(range(1, 21))
    assert sheet.column_dimensions["A"].width == len("Студент 1") + 2
