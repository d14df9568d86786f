"""The building blocks of every report: set-based selects over the facts of a period.

Each function returns a SQLAlchemy `Select` (callers turn it into a subquery or CTE), filtered
by a list of center ids (None: the whole cluster) and a `Period`. The definitions follow
REPORT_DEFINITIONS.md word for word; the dashboards and the reports share them so their figures
agree. Everything here runs unchanged on SQLite and PostgreSQL.
"""
import calendar
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from lms.catalog.models import Certification
from lms.certifications.models import Pursuit, PursuitStageChange, Stage
from lms.cohorts.models import Cohort, Enrollment, EnrollmentStatus
from lms.reports.period import Period
from lms.users.models import Role, StudentProfile, User

CenterIds = Sequence[int] | None
DEFAULT_AGE_BANDS = [(10, 14), (15, 19), (20, 24), (25, 29), (30, None)]
OTHER_AGES = "other"
AGE_NOT_STATED = "not_stated"
PASSED, FAILED = "passed", "failed"


# --- portable date SQL ----------------------------------------------------------------------

class add_months_sql(FunctionElement):  # noqa: N801 (a SQL function, named like one)
    """`day` plus `months` months, clamped to the month's end, exactly like rules.add_months."""
    type = sa.Date()
    inherit_cache = True
    name = "add_months"


@compiles(add_months_sql)
def _add_months_postgresql(element, compiler, **kw):
    # PostgreSQL's date + interval 'N months' already clamps (Jan 31 + 1 month = Feb 28).
    day, months = list(element.clauses)
    return (f"CAST({compiler.process(day, **kw)} + make_interval(months => "
            f"CAST({compiler.process(months, **kw)} AS INTEGER)) AS DATE)")


@compiles(add_months_sql, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    # SQLite's date(x, '+1 month') overflows (Jan 31 + 1 month = Mar 3), so go to the first of
    # the target month, add the day back, and clamp to that month's last day.
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    shift = f"CAST({months} AS TEXT) || ' months'"
    first = f"date({day}, 'start of month', {shift}"
    same_day = f"{first}, CAST(CAST(strftime('%d', {day}) AS INTEGER) - 1 AS TEXT) || ' days')"
    last_day = f"{first}, '+1 month', '-1 day')"
    return f"min({same_day}, {last_day})"


def born_by(day: date, years: int) -> date | None:
    """The last birth date of someone at least `years` old on `day` (StudentProfile.age_on):
    the same day `years` earlier, Feb 29 falling back to Feb 28 in a common year. None when
    that is before the year 1: nobody is that old on `day`."""
    year = day.year - years
    if year < 1:
        return None
    if (day.month, day.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def age_bands() -> list[tuple[int, int | None]]:
    """The configured bands, (low, high) inclusive; high None means "and older"."""
    return [tuple(band) for band in current_app.config.get("REPORT_AGE_BANDS", DEFAULT_AGE_BANDS)]


def band_key(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


def age_band_keys() -> list[str]:
    """Every value the age-band expression can take, in display order."""
    return [band_key(*band) for band in age_bands()] + [OTHER_AGES, AGE_NOT_STATED]


def age_band(born, day: date):
    """A CASE naming the configured band of the age on `day`; "other" / "not_stated" otherwise.

    Each band is a range of birth dates computed here, so the database compares dates instead
    of working out every person's age (about 50 ms of the cluster donor report, measured in
    psql)."""
    whens = [(born.is_(None), AGE_NOT_STATED)]
    for low, high in age_bands():
        youngest = born_by(day, low)  # the latest birth date old enough for the band
        oldest = born_by(day, high + 1) if high is not None else None  # too old from here on
        test = sa.false() if youngest is None else born <= youngest
        if oldest is not None:
            test = sa.and_(test, born > oldest)
        whens.append((test, band_key(low, high)))
    return sa.case(*whens, else_=OTHER_AGES)


class date_from_iso(FunctionElement):  # noqa: N801
    """An ISO date string (e.g. from JSON) as a DATE on both databases."""
    type = sa.Date()
    inherit_cache = True
    name = "date_from_iso"


@compiles(date_from_iso)
def _date_from_iso_postgresql(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


@compiles(date_from_iso, "sqlite")
def _date_from_iso_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


# --- facts of a period ----------------------------------------------------------------------

def in_centers(column, center_ids: CenterIds):
    """`column` among the given centers; no filter for the whole cluster (None)."""
    return sa.true() if center_ids is None else column.in_(list(center_ids))


def one_center(center_ids: CenterIds) -> int | None:
    """The center's id when the scope is exactly one center (its total is its own figure, so
    the aggregates skip computing it twice), else None."""
    return center_ids[0] if center_ids is not None and len(set(center_ids)) == 1 else None


def active_in(period: Period):
    """An enrollment (joined to its cohort) active in P: enrolled by its end, not withdrawn
    before its start, in a cohort running in P."""
    return sa.and_(
        Enrollment.enrolled_on <= period.end,
        sa.or_(Enrollment.withdrawn_on.is_(None), Enrollment.withdrawn_on >= period.start),
        Cohort.start_date <= period.end,
        sa.or_(Cohort.end_date.is_(None), Cohort.end_date >= period.start))


def completed_in(period: Period):
    """An enrollment completed in P (status completed, completed_on in P)."""
    return sa.and_(Enrollment.status == EnrollmentStatus.COMPLETED,
                   Enrollment.completed_on.between(period.start, period.end))


def active_enrollments(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Enrollments active in P (of students, in cohorts running in P); center = cohort's center."""
    return (
        sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                  Enrollment.cohort_id, Cohort.center_id, Cohort.course_id)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(User, User.id == Enrollment.student_id)
        .where(User.role == Role.STUDENT, active_in(period),
               in_centers(Cohort.center_id, center_ids))
    )


def participants(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """One row per participant in P: student_id and home_center_id (users.center_id)."""
    active = active_enrollments(period, center_ids).subquery()
    return (sa.select(User.id.label("student_id"), User.center_id.label("home_center_id"))
            .where(User.id.in_(sa.select(active.c.student_id))))


def completions(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Enrollments completed in P (status completed, completed_on in P); center = cohort's."""
    return (
        sa.select(Enrollment.id.label("enrollment_id"), Enrollment.student_id,
                  Enrollment.cohort_id, Cohort.center_id, Cohort.course_id,
                  Enrollment.completed_on)
        .join(Cohort, Cohort.id == Enrollment.cohort_id)
        .join(User, User.id == Enrollment.student_id)
        .where(User.role == Role.STUDENT, completed_in(period),
               in_centers(Cohort.center_id, center_ids))
    )


def counted_credential():
    """A pursuit whose credential counts: passed, verified, not invalidated."""
    return sa.and_(Pursuit.stage == Stage.PASSED, Pursuit.verified_at.is_not(None),
                   Pursuit.invalidated_at.is_(None))


def passed_results(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Counted passed results dated in P, in the exam-result shape."""
    return (
        sa.select(Pursuit.student_id, Pursuit.id.label("pursuit_id"), Pursuit.center_id,
                  Pursuit.certification_id, Certification.provider_id.label("provider_id"),
                  Certification.level.label("level"), Pursuit.result_date.label("result_date"),
                  sa.literal(PASSED, sa.String(10)).label("outcome"))
        .join(Certification, Certification.id == Pursuit.certification_id)
        .where(counted_credential(), Pursuit.result_date.between(period.start, period.end),
               in_centers(Pursuit.center_id, center_ids))
    )


def failed_results(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Failed attempts dated in P, from the stage history (they stay after a retake)."""
    iso = PursuitStageChange.details["result_date"].as_string()
    return (
        sa.select(Pursuit.student_id, Pursuit.id.label("pursuit_id"), Pursuit.center_id,
                  Pursuit.certification_id, Certification.provider_id.label("provider_id"),
                  Certification.level.label("level"), date_from_iso(iso).label("result_date"),
                  sa.literal(FAILED, sa.String(10)).label("outcome"))
        .select_from(PursuitStageChange)
        .join(Pursuit, Pursuit.id == PursuitStageChange.pursuit_id)
        .join(Certification, Certification.id == Pursuit.certification_id)
        # ISO strings order like dates, so the period test needs no conversion.
        .where(PursuitStageChange.to_stage == Stage.FAILED,
               iso >= period.start.isoformat(), iso <= period.end.isoformat(),
               in_centers(PursuitStageChange.center_id, center_ids))
    )


def exam_results(period: Period, center_ids: CenterIds = None) -> sa.CompoundSelect:
    """One row per exam result in P, passed and failed: student_id, pursuit_id, center_id,
    certification_id, provider_id, level, result_date, outcome."""
    return sa.union_all(passed_results(period, center_ids), failed_results(period, center_ids))


def credential_base_date():
    """The later of the result date and the renewal date (expiry counts from it)."""
    return sa.case((sa.and_(Pursuit.renewed_on.is_not(None),
                            Pursuit.renewed_on > Pursuit.result_date), Pursuit.renewed_on),
                   else_=Pursuit.result_date)


def credential_expiry():
    """The last valid day of a credential (NULL when the certification never expires)."""
    expiry = sa.case((Certification.validity_months.is_(None), sa.null()),
                     else_=add_months_sql(credential_base_date(), Certification.validity_months))
    return sa.type_coerce(expiry, sa.Date)


def credentials(center_ids: CenterIds = None) -> sa.Select:
    """Every counted credential with its computed expiry date (`expires_on`)."""
    return (
        sa.select(Pursuit.student_id, Pursuit.id.label("pursuit_id"), Pursuit.center_id,
                  Pursuit.certification_id, Certification.provider_id.label("provider_id"),
                  Certification.level.label("level"), Pursuit.result_date,
                  credential_expiry().label("expires_on"))
        .join(Certification, Certification.id == Pursuit.certification_id)
        .where(counted_credential(), in_centers(Pursuit.center_id, center_ids))
    )


def expired_credentials(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Counted credentials whose expiry date falls in P."""
    found = credentials(center_ids).subquery()
    return sa.select(found).where(found.c.expires_on.between(period.start, period.end))


def stage_at_end(period: Period):
    """The stage a pursuit stood at when P ended, from its history (its stage if it has none)."""
    history = PursuitStageChange
    last = (sa.select(history.to_stage)
            .where(history.pursuit_id == Pursuit.id, history.created_at < period.end_at)
            .order_by(history.created_at.desc(), history.id.desc()).limit(1).scalar_subquery())
    recorded = sa.select(history.id).where(history.pursuit_id == Pursuit.id).exists()
    return sa.case((recorded, last), else_=Pursuit.stage)


def pursuing(period: Period, center_ids: CenterIds = None) -> sa.Select:
    """Pursuits open (any stage but passed or withdrawn) at the end of P."""
    return (
        sa.select(Pursuit.student_id, Pursuit.id.label("pursuit_id"), Pursuit.center_id,
                  Pursuit.certification_id, Certification.provider_id.label("provider_id"),
                  Certification.level.label("level"))
        .join(Certification, Certification.id == Pursuit.certification_id)
        .where(Pursuit.created_at < period.end_at,
               stage_at_end(period).not_in([Stage.PASSED.value, Stage.WITHDRAWN.value]),
               in_centers(Pursuit.center_id, center_ids))
    )


def demographics(day: date) -> sa.Select:
    """Per student: home center and every disaggregation value (age band at `day`)."""
    return (
        sa.select(User.id.label("student_id"), User.center_id.label("home_center_id"),
                  StudentProfile.sex, StudentProfile.disability, StudentProfile.displaced,
                  StudentProfile.settlement, StudentProfile.learner_type,
                  age_band(StudentProfile.date_of_birth, day).label("age_band"))
        .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
        .where(User.role == Role.STUDENT)
    )
