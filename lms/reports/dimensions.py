"""The disaggregations of the reports: their values, labels and SQL columns.

Every dimension lists every value it can take (including "not stated"), so the rows of a
disaggregation always add up to its total.
"""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.views import parse_int
from lms.reports import facts
from lms.users.models import LearnerType, Role, Settlement, Sex, StudentProfile, User, YesNo

NOT_STATED = "not_stated"
TOTAL = "total"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object  # lazy translation
    choices: type | None  # the enumeration, None for age bands and home centers


DIMENSIONS = (
    Dimension("sex", _l("Sex"), Sex),
    Dimension("age_band", _l("Age band"), None),
    Dimension("disability", _l("Disability"), YesNo),
    Dimension("displaced", _l("Internally displaced (IDP)"), YesNo),
    Dimension("settlement", _l("Settlement type"), Settlement),
    Dimension("learner_type", _l("Learner type"), LearnerType),
    Dimension("home_center", _l("Home center"), None),
)
BY_KEY = {d.key: d for d in DIMENSIONS}


def _text(column):
    """A dimension column as text, "not_stated" when empty (no profile, no settlement)."""
    return sa.func.coalesce(sa.cast(column, sa.String(40)), NOT_STATED)


def dimension_columns(day: date) -> list:
    """Every dimension's value as text (age band at `day`), over User and StudentProfile."""
    profile = StudentProfile
    return [_text(profile.sex).label("sex"),
            facts.age_band(profile.date_of_birth, day).label("age_band"),
            _text(profile.disability).label("disability"),
            _text(profile.displaced).label("displaced"),
            _text(profile.settlement).label("settlement"),
            _text(profile.learner_type).label("learner_type"),
            _text(User.center_id).label("home_center")]


def with_dimensions(query: sa.Select, student_id) -> sa.Select:
    """`query` joined to the student `student_id` names and to the student's profile."""
    return (query.join(User, User.id == student_id)
            .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
            .where(User.role == Role.STUDENT))


def person_values(day: date) -> sa.Select:
    """Per student: every dimension's value as text (age band at `day`)."""
    return (sa.select(User.id.label("student_id"), *dimension_columns(day))
            .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
            .where(User.role == Role.STUDENT))


def age_band_label(key: str) -> str:
    if key == facts.OTHER_AGES:
        return _("Other ages")
    if key == facts.AGE_NOT_STATED:
        return _("Not stated")
    return key.replace("-", "–")


def enum_values(dimension: Dimension) -> list[tuple[str, str]]:
    """(value, label) of an enumerated dimension, with "Not stated" last when it lacks one."""
    values = [(m.value, str(m.label)) for m in dimension.choices]
    if NOT_STATED not in dict(values):
        values.append((NOT_STATED, _("Not stated")))
    return values


def center_names(ids: set[int]) -> dict[int, str]:
    """Center names by id, in one statement."""
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Center.id, Center.name).where(Center.id.in_(ids))).tuples().all())


def values_of(dimension: Dimension, found: set[str], centers: dict[int, str]) -> list[tuple[str, str]]:
    """Every row a dimension shows: all its values, plus any center the data names."""
    if dimension.key == "age_band":
        return [(key, age_band_label(key)) for key in facts.age_band_keys()]
    if dimension.key == "home_center":
        ids = sorted({parse_int(v) for v in found if parse_int(v)} | set(centers),
                     key=lambda i: (centers.get(i, ""), i))
        return [(str(i), centers.get(i, str(i))) for i in ids]
    return enum_values(dimension)


def valid_value(dimension_key: str, value: str) -> bool:
    """Whether a drill-down link names a real value of a real dimension."""
    if dimension_key == TOTAL:
        return value == ""
    dimension = BY_KEY.get(dimension_key)
    if dimension is None:
        return False
    if dimension.key == "age_band":
        return value in facts.age_band_keys()
    if dimension.key == "home_center":
        return parse_int(value) is not None
    return value in dict(enum_values(dimension))


def value_label(dimension_key: str, value: str) -> str:
    """The label of one value (for the drill-down page's title)."""
    if dimension_key == TOTAL:
        return _("Total")
    dimension = BY_KEY[dimension_key]
    if dimension.key == "home_center":
        return center_names({int(value)}).get(int(value), value)
    if dimension.key == "age_band":
        return age_band_label(value)
    return dict(enum_values(dimension))[value]
