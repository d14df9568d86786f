"""The people behind a report's cell: a paginated list and a streamed CSV, same columns."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.pagination import ListPage
from lms.reports.dimensions import BY_KEY, age_band_label, enum_values, person_values
from lms.users.models import User

HEADERS = (_l("Name"), _l("Home center"), _l("Sex"), _l("Age band"), _l("Disability"),
           _l("Internally displaced (IDP)"), _l("Settlement type"), _l("Learner type"))
ENUMERATED = ("sex", "disability", "displaced", "settlement", "learner_type")


@dataclass
class Person:
    id: int
    center_id: int | None
    name: str
    center: str
    values: dict[str, str]

    def cells(self) -> list[str]:
        return [self.name, self.center, self.values["sex"], self.values["age_band"],
                *(self.values[key] for key in ENUMERATED[1:])]


def _reader():
    """Turns a result row into a Person, dimension values as labels in the reader's language."""
    labels = {key: dict(enum_values(BY_KEY[key])) for key in ENUMERATED}

    def person(row) -> Person:
        values = {key: labels[key].get(row[key], row[key]) for key in ENUMERATED}
        values["age_band"] = age_band_label(row["age_band"])
        return Person(row["id"], row["center_id"], row["full_name"], row["center"] or "", values)
    return person


def _rows(student_ids: sa.Select, day: date) -> sa.Select:
    values = person_values(day).subquery()
    return (sa.select(User.id, User.center_id, User.full_name, Center.name.label("center"),
                      values)
            .join(values, values.c.student_id == User.id)
            .outerjoin(Center, Center.id == User.center_id)
            .where(User.id.in_(student_ids))
            .order_by(User.full_name, User.id))


PeoplePage = ListPage  # one page of people (lms/pagination)


def people_page(student_ids: sa.Select, day: date, page: int, per_page: int) -> PeoplePage:
    """One page of the people whose ids `student_ids` selects (two statements)."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(student_ids.subquery()))
    query = _rows(student_ids, day).limit(per_page).offset((page - 1) * per_page)
    items = [*map(_reader(), db.session.execute(query).mappings())]
    return PeoplePage(items, page, per_page, total or 0)


def people_rows(student_ids: sa.Select, day: date) -> Iterator[list[str]]:
    """Every person as a CSV row, read from the database in chunks (one statement)."""
    person = _reader()
    result = db.session.execute(_rows(student_ids, day).execution_options(yield_per=500))
    for row in result.mappings():
        yield person(row).cells()
