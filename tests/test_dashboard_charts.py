"""The dashboard's SVG geometry (lms/dashboard/charts.py): round ticks, one scale per chart,
a value on every column, month names in the reader's language."""
from datetime import date

import pytest
from flask_babel import force_locale

from lms.dashboard import charts
from lms.dashboard.charts import Column, bar_chart, column_chart, nice_ticks
from lms.dashboard.pages import month_columns, trend_charts, trend_period
from lms.reports.trend import Month, trend_months


@pytest.mark.parametrize("top, ticks", [
    (0, [0, 1]), (1, [0, 1]), (3, [0, 1, 2, 3]), (4, [0, 1, 2, 3, 4]), (7, [0, 2, 4, 6, 8]),
    (10, [0, 5, 10]), (23, [0, 10, 20, 30]), (100, [0, 50, 100]), (101, [0, 50, 100, 150]),
    (1234, [0, 500, 1000, 1500]),
])
def test_ticks_are_a_few_round_whole_numbers_reaching_the_top(top, ticks):
    assert nice_ticks(top) == ticks


def _columns(values):
    return [Column(f"m{i}", value, f"m{i}: {value}") for i, value in enumerate(values)]


def _texts(chart, css):
    return [label.text for label in chart.labels if label.css == css]


def test_a_column_chart_has_an_axis_gridlines_and_a_value_on_every_column():
    chart = column_chart(_columns([0, 3, 7, 2]), "chart-bar-a", "Сертифікації")
    assert chart.ticks == [0, 2, 4, 6, 8]
    assert _texts(chart, "chart-tick") == ["0", "2", "4", "6", "8"]
    assert _texts(chart, "chart-value") == ["0", "3", "7", "2"]
    assert _texts(chart, "chart-label") == ["m0", "m1", "m2", "m3"]
    assert [line.css for line in chart.lines] == ["chart-axis"] + ["chart-grid"] * 4
    baseline, top = chart.lines[0].y1, chart.lines[-1].y1
    assert baseline == chart.height - charts.BOTTOM and top == charts.TOP
    # The tallest tick is the top of the plot: 7 of 8 reaches 7/8 of the way up.
    tallest = chart.bars[2]
    assert tallest.y + tallest.height == baseline
    assert tallest.height == pytest.approx((baseline - top) * 7 / 8, abs=0.1)
    assert chart.bars[0].height == 0 and chart.bars[1].title == "m1: 3"
    value_of_tallest = [label for label in chart.labels if label.css == "chart-value"][2]
    assert value_of_tallest.y < tallest.y  # written just above its column
    assert all(bar.x >= charts.AXIS and bar.x + bar.width <= charts.WIDTH for bar in chart.bars)


def test_each_quantity_gets_its_own_scale():
    """The same height means the same share of each chart's own top tick, never a shared one."""
    small = column_chart(_columns([1, 2]), "chart-bar-a")
    large = column_chart(_columns([100, 200]), "chart-bar-b")
    assert small.ticks == [0, 1, 2] and large.ticks == [0, 50, 100, 150, 200]
    assert [bar.height for bar in small.bars] == [bar.height for bar in large.bars]


def test_values_are_written_in_the_readers_number_format():
    chart = column_chart(_columns([1500, 12000]), "chart-bar-a", number=lambda n: f"{n:,}")
    assert _texts(chart, "chart-value") == ["1,500", "12,000"]
    assert "15,000" in _texts(chart, "chart-tick")


def test_bars_carry_their_value_after_them():
    chart = bar_chart([("Зацікавленість", 10), ("Підготовка", 5), ("Складено", 0)])
    assert _texts(chart, "chart-value") == ["10", "5", "0"]
    assert chart.bars[1].width == pytest.approx(chart.bars[0].width / 2, abs=0.1)
    assert bar_chart([("x", 0)]).bars[0].width == 0


MONTHS = [Month(m.start, m.end, i % 3, 10 * i) for i, m in enumerate(trend_months(date(2026, 3, 31)))]


@pytest.mark.parametrize("locale, labels, period", [
    ("uk", ["квіт", "трав", "черв", "лип", "серп", "вер", "жовт", "лист", "груд", "січ",
            "лют", "бер"], "квітень 2025 – березень 2026"),
    ("en", ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"],
     "April 2025 – March 2026"),
])
def test_months_are_named_in_the_readers_language_with_the_year_where_it_changes(
        app, locale, labels, period):
    with app.test_request_context(), force_locale(locale):
        columns = month_columns(MONTHS, "completions")
        assert [c.label for c in columns] == labels
        assert [c.note for c in columns] == ["2025"] + [""] * 8 + ["2026", "", ""]
        assert trend_period(MONTHS) == period
        certifications, completions = trend_charts(MONTHS)
    assert certifications.ticks == [0, 1, 2] and completions.ticks == [0, 50, 100, 150]
    assert _texts(completions, "chart-value")[-1] == "110"
    assert _texts(completions, "chart-note") == ["2025", "2026"]
