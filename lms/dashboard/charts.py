"""Server-drawn SVG charts: the geometry is computed here, the template only writes it out.

No JavaScript and no style attributes (the CSP forbids inline styles, and so does any chart
library that writes <style> into its SVG): colours come from CSS classes in
static/css/dashboard.css. The SVG scales with its container (viewBox), so it stays readable on a
360 px screen. Each chart draws one quantity on its own scale, with a y-axis of a few round
values, gridlines and the value on every column; every chart sits next to a table with the same
numbers.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from math import ceil, floor, log10

WIDTH = 360
AXIS = 30  # left of the plot, for the tick values
TOP = 16  # above the tallest column, for its value
BOTTOM = 32  # under the columns: the month, and the year on a second line
RIGHT = 4
TICKS = 4  # about this many steps between 0 and the top


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str  # read by screen readers and shown as a tooltip


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = "chart-label"


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str = "chart-grid"


@dataclass
class Column:
    """One column of a column chart: its label under it (a month), an optional second line
    (the year), its value and the tooltip naming both."""
    label: str
    value: int
    title: str
    note: str = ""


@dataclass
class Chart:
    width: int
    height: int
    title: str = ""
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    ticks: list[int] = field(default_factory=list)
    series: list[tuple[str, str]] = field(default_factory=list)  # (css class, legend text)


def nice_ticks(top: float, steps: int = TICKS) -> list[int]:
    """0 and whole round steps (1, 2 or 5 × 10ⁿ) up to the first one at or above `top`."""
    if top <= 0:
        return [0, 1]
    rough = top / steps
    magnitude = 10 ** floor(log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(1, round(step))  # counts of people: no tick between two whole numbers
    return [i * step for i in range(ceil(top / step) + 1)]


def _r(value: float) -> float:
    return round(value, 1)


def column_chart(columns: list[Column], css: str, title: str = "",
                 number: Callable[[int], str] = str, height: int = 190) -> Chart:
    """One quantity over time: a y-axis with round ticks and gridlines, a column per label with
    its value above it, the labels (and their notes) under the columns."""
    chart = Chart(WIDTH, height, title)
    bottom = height - BOTTOM
    chart.ticks = nice_ticks(max((c.value for c in columns), default=0))
    scale = (bottom - TOP) / chart.ticks[-1]
    for tick in chart.ticks:
        y = _r(bottom - tick * scale)
        chart.lines.append(Line(AXIS, y, WIDTH - RIGHT, y, "chart-axis" if tick == 0 else
                                "chart-grid"))
        chart.labels.append(Label(AXIS - 4, _r(y + 3.5), number(tick), "end", "chart-tick"))
    slot = (WIDTH - RIGHT - AXIS) / max(len(columns), 1)
    width = slot * 0.64
    for i, column in enumerate(columns):
        middle = AXIS + slot * i + slot / 2
        tall = column.value * scale
        chart.bars.append(Bar(_r(middle - width / 2), _r(bottom - tall), _r(width), _r(tall), css,
                              column.title))
        chart.labels.append(Label(_r(middle), _r(bottom - tall - 3), number(column.value),
                                  css="chart-value"))
        chart.labels.append(Label(_r(middle), bottom + 12, column.label))
        if column.note:
            chart.labels.append(Label(_r(middle), bottom + 24, column.note, css="chart-note"))
    return chart


def bar_chart(rows: list[tuple[str, int]], css: str = "chart-bar-a", title: str = "",
              number: Callable[[int], str] = str, row_height: int = 30) -> Chart:
    """Horizontal bars from a common baseline, their label above and value after (the funnel,
    providers): the value is written on each bar, so no axis is needed."""
    chart = Chart(WIDTH, max(len(rows), 1) * row_height, title)
    value_space = 44
    scale = (WIDTH - value_space) / max(value for _, value in rows) if any(
        value for _, value in rows) else 0.0
    for i, (label, value) in enumerate(rows):
        top = i * row_height
        length = value * scale
        chart.labels.append(Label(0, top + 10, label, "start"))
        chart.bars.append(Bar(0, top + 15, _r(length), 11, css, f"{label}: {number(value)}"))
        chart.labels.append(Label(_r(length + 4), top + 24.5, number(value), "start",
                                  "chart-value"))
    chart.lines.append(Line(0.5, 14, 0.5, chart.height, "chart-axis"))
    return chart
