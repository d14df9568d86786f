"""Server-drawn SVG charts: the geometry is computed here, the template only writes it out.

No JavaScript and no style attributes (the CSP forbids inline styles): colours come from CSS
classes in static/css/app.css. The SVG scales with its container (viewBox), so it stays
readable on a 360 px screen; every chart is shown next to a table with the same numbers.
"""
from dataclasses import dataclass, field

WIDTH = 360
LABEL_SPACE = 20  # under the columns, for the month labels
TOP = 14  # above the tallest column, for its value


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


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    series: list[tuple[str, str]] = field(default_factory=list)  # (css class, legend text)


def _scale(values: list[int], room: float) -> float:
    top = max(values, default=0)
    return room / top if top else 0.0


def column_chart(groups: list[tuple[str, list[int]]], series: list[tuple[str, str]],
                 height: int = 180) -> Chart:
    """Grouped columns: one group per label (a month), one column per series."""
    chart = Chart(WIDTH, height, series=series)
    room = height - LABEL_SPACE - TOP
    scale = _scale([v for _, values in groups for v in values], room)
    slot = WIDTH / max(len(groups), 1)
    width = (slot - 4) / max(len(series), 1)
    for i, (label, values) in enumerate(groups):
        for j, value in enumerate(values):
            x = i * slot + 2 + j * width
            tall = value * scale
            chart.bars.append(Bar(round(x, 1), round(TOP + room - tall, 1), round(width - 1, 1),
                                  round(tall, 1), series[j][0], f"{label}: {series[j][1]} {value}"))
        chart.labels.append(Label(round(i * slot + slot / 2, 1), height - 6, label))
    return chart


def bar_chart(rows: list[tuple[str, int]], css: str = "chart-bar-a", row_height: int = 26) -> Chart:
    """Horizontal bars with their label above and value after (the funnel, providers)."""
    chart = Chart(WIDTH, max(len(rows), 1) * row_height)
    value_space = 40
    scale = _scale([value for _, value in rows], WIDTH - value_space)
    for i, (label, value) in enumerate(rows):
        top = i * row_height
        length = value * scale
        chart.labels.append(Label(0, top + 10, label, "start"))
        chart.bars.append(Bar(0, top + 13, round(length, 1), 10, css, f"{label}: {value}"))
        chart.labels.append(Label(round(length + 4, 1), top + 22, str(value), "start"))
    return chart
