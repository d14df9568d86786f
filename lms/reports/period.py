"""The reporting period: presets (month, quarter, calendar year, funder fiscal year) or a range.

A period is inclusive on both ends, in calendar days. Reports compare dates with
`start <= d <= end` and timestamps with `start_at <= t < end_at`.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional

from lms.core.model_types import Choice, set_labels

FISCAL_YEAR_START_MONTH = 10  # funders' fiscal year runs October to September
MAX_PERIOD_DAYS = 366 * 10


class Preset(Choice):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FISCAL_YEAR = "fiscal"
    RANGE = "range"


set_labels({
    Preset.MONTH: _l("This month"),
    Preset.QUARTER: _l("This quarter"),
    Preset.YEAR: _l("This calendar year"),
    Preset.FISCAL_YEAR: _l("Fiscal year (October–September)"),
    Preset.RANGE: _l("Dates below"),
})


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    preset: Preset = Preset.RANGE

    @property
    def start_at(self) -> datetime:
        """The first instant of the period, for timestamp columns (naive UTC)."""
        return datetime.combine(self.start, time.min)

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (exclusive bound for timestamps)."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_args(self) -> dict[str, str]:
        """Query-string arguments that reproduce this period (for drill-down and export links)."""
        if self.preset is Preset.RANGE:
            return {"preset": self.preset.value, "start": self.start.isoformat(),
                    "end": self.end.isoformat()}
        return {"preset": self.preset.value}


def month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def preset_period(preset: Preset, today: date) -> Period:
    """The period a preset names, the one containing `today`."""
    if preset is Preset.MONTH:
        return Period(today.replace(day=1), month_end(today.year, today.month), preset)
    if preset is Preset.QUARTER:
        first = 3 * ((today.month - 1) // 3) + 1
        return Period(date(today.year, first, 1), month_end(today.year, first + 2), preset)
    if preset is Preset.YEAR:
        return Period(date(today.year, 1, 1), date(today.year, 12, 31), preset)
    if preset is Preset.FISCAL_YEAR:
        year = today.year if today.month >= FISCAL_YEAR_START_MONTH else today.year - 1
        return Period(date(year, FISCAL_YEAR_START_MONTH, 1),
                      date(year + 1, FISCAL_YEAR_START_MONTH, 1) - timedelta(days=1), preset)
    raise ValueError(preset)


def month_starts(end: date, count: int = 12) -> list[date]:
    """The first days of the `count` calendar months ending with the month of `end`, oldest first."""
    year, month = end.year, end.month
    starts = []
    for _month in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


class PeriodForm(FlaskForm):
    """The period picker of every report; a GET form, so links to a report can be shared."""

    class Meta:
        csrf = False

    preset = SelectField(_l("Period"), choices=Preset.choices(), default=Preset.YEAR.value,
                         validate_choice=True)
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Show"))

    def validate(self, extra_validators=None) -> bool:
        # Checked here, not in validate_end: Optional() stops a field's own chain when it is empty.
        if not super().validate(extra_validators):
            return False
        error = self._range_error()
        if error:
            self.end.errors = [*self.end.errors, error]
            return False
        return True

    def _range_error(self):
        if self.preset.data != Preset.RANGE.value:
            return None
        start, end = self.start.data, self.end.data
        if start is None or end is None:
            return _("Give both dates of the range.")
        if end < start:
            return _("The end date is before the start date.")
        if (end - start).days > MAX_PERIOD_DAYS:
            return _("A report covers at most ten years.")
        return None

    def period(self, today: date) -> Period:
        """The chosen period; call only after validate() succeeded."""
        preset = Preset(self.preset.data)
        if preset is Preset.RANGE:
            return Period(self.start.data, self.end.data, preset)
        return preset_period(preset, today)
