"""The reporting period presets and the CSV/XLSX download helpers every report uses."""
import csv
import io
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from lms.core.exports import Sheet, csv_response, xlsx_response
from lms.reports.period import Period, PeriodForm, Preset, month_starts, preset_period


@pytest.mark.parametrize("today, preset, start, end", [
    (date(2026, 11, 28), Preset.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
    (date(2024, 2, 10), Preset.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
    (date(2026, 12, 31), Preset.QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
    (date(2026, 4, 1), Preset.QUARTER, date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 1, 1), Preset.YEAR, date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 9, 30), Preset.FISCAL_YEAR, date(2025, 10, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), Preset.FISCAL_YEAR, date(2026, 10, 1), date(2027, 9, 30)),
])
def test_presets_name_the_period_containing_today(today, preset, start, end):
    assert preset_period(preset, today) == Period(start, end, preset)


def test_timestamp_bounds_cover_the_last_day():
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    assert period.start_at.isoformat() == "2026-01-01T00:00:00"
    assert period.end_at.isoformat() == "2026-02-01T00:00:00"


def test_month_starts_cross_the_year():
    assert month_starts(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


@pytest.mark.parametrize("args, error", [
    ({"preset": "range", "start": "2026-02-01"}, "Give both dates"),
    ({"preset": "range", "start": "2026-02-01", "end": "2026-01-01"}, "before the start"),
    ({"preset": "range", "start": "2000-01-01", "end": "2026-01-01"}, "ten years"),
])
def test_a_bad_range_is_refused_on_the_end_field(app, args, error):
    with app.test_request_context(query_string=args), force_locale("en"):
        form = PeriodForm(formdata=__import__("flask").request.args)
        assert not form.validate()
        assert any(error in message for message in form.end.errors)


def test_an_unknown_preset_is_refused(app):
    with app.test_request_context(query_string={"preset": "decade"}):
        form = PeriodForm(formdata=__import__("flask").request.args)
        assert not form.validate()
        assert form.preset.errors


def test_csv_starts_with_a_bom_and_neutralises_formulas(app):
    rows = ([f"Студент {n}", n, date(2026, 1, n)] for n in range(1, 3))
    with app.test_request_context():
        response = csv_response("x.csv", ["Ім'я", "№", "Дата"], [*rows, ["=HYPERLINK(1)", None, True]])
        body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert parsed == [["Ім'я", "№", "Дата"], ["Студент 1", "1", "2026-01-01"],
                      ["Студент 2", "2", "2026-01-02"], ["'=HYPERLINK(1)", "", "1"]]
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_xlsx_round_trips_every_sheet(app):
    with app.test_request_context():
        response = xlsx_response("r.xlsx", [Sheet("Зведення", ["Показник", "Осіб"], [["Учасники", 3]]),
                                            Sheet("B" * 40, ["x"], [])])
        response.direct_passthrough = False
        workbook = load_workbook(io.BytesIO(response.get_data()))
    assert workbook.sheetnames == ["Зведення", "B" * 30 + "…"]
    assert [list(r) for r in workbook["Зведення"].iter_rows(values_only=True)] == [
        ["Показник", "Осіб"], ["Учасники", 3]]
