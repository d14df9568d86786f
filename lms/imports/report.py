"""What a validation finds: a status and the problems of every row, and of the file as a whole."""
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.core.model_types import Choice, Tone, set_labels, set_tones
from lms.core.pagination import ListPage
from lms.imports.columns import label_of
from lms.imports.models import ImportKind
from lms.imports.parsing import EXTRA


class RowStatus(Choice):
    NEW = "new"        # will be created
    ENROLL = "enroll"  # the student exists at this center and will be enrolled in the cohort
    EXISTS = "exists"  # nothing to do: importing the same file again changes nothing
    INVALID = "invalid"


set_labels({
    RowStatus.NEW: _l("Will be created"), RowStatus.ENROLL: _l("Exists; will be enrolled"),
    RowStatus.EXISTS: _l("Already exists; nothing to do"), RowStatus.INVALID: _l("Has problems"),
})
set_tones({
    RowStatus.NEW: Tone.ACTIVE, RowStatus.ENROLL: Tone.ACTIVE, RowStatus.EXISTS: Tone.IDLE,
    RowStatus.INVALID: Tone.BAD,
})


@dataclass
class RowReport:
    line: int
    values: dict[str, str]  # the cells as uploaded
    data: dict = field(default_factory=dict)  # parsed values, used by the commit
    problems: list = field(default_factory=list)  # lazy messages
    status: RowStatus = RowStatus.NEW

    def refuse(self, message) -> None:
        self.problems.append(message)
        self.status = RowStatus.INVALID

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Report:
    kind: ImportKind
    rows: list[RowReport]
    file_problems: list = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.file_problems and all(row.ok for row in self.rows)

    def counts(self) -> dict[RowStatus, int]:
        tally = Counter(row.status for row in self.rows)
        return {status: tally.get(status, 0) for status in RowStatus}

    def with_status(self, *statuses: RowStatus) -> list[RowReport]:
        return [row for row in self.rows if row.status in statuses]


Reader = Callable[[str], tuple]


def read_rows(kind: ImportKind, stored: list[dict], readers: dict[str, Reader],
              required: list[str]) -> list[RowReport]:
    """Parse every cell of every stored row; a missing required cell or a bad value is a problem."""
    reports = []
    for row in stored:
        report = RowReport(line=row["line"], values=row["values"])
        if EXTRA in report.values:
            report.refuse(_l("The row has %(num)s values in columns without a header.",
                             num=report.values[EXTRA]))
        for key, read in readers.items():
            raw = report.values.get(key, "")
            if not raw:
                if key in required:
                    report.refuse(_l("%(column)s is required.", column=label_of(kind, key)))
                continue
            value, problem = read(raw)
            if problem is not None:
                report.refuse(problem)
            else:
                report.data[key] = value
        reports.append(report)
    return reports


def flag_duplicates(rows: list[RowReport], key: Callable[[RowReport], object]) -> None:
    """Every later row with the same key as an earlier one is a problem naming that line."""
    first: dict = {}
    for row in rows:
        identity = key(row)
        if identity is None:
            continue
        if identity in first:
            row.refuse(_l("Duplicate of line %(line)d in this file.", line=first[identity]))
        else:
            first[identity] = row.line


RowsPage = ListPage  # one page of a report's rows
