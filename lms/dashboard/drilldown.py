"""The rows behind every dashboard number: one select per figure, listed page by page and
downloaded as CSV with the same columns. Each row is one counted unit (a person, an enrollment,
a result, a voucher, a recorded piece of work), so a figure equals its list's length — except
attendance, listed per person with the marks that add up to the figure."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.catalog.models import Certification, CertificationLevel, Lesson, Provider
from lms.centers.models import Center
from lms.certifications.models import Stage, Voucher, VoucherStatus
from lms.cohorts.models import Cohort, EnrollmentStatus
from lms.core.extensions import db
from lms.core.formats import local_date, local_datetime
from lms.core.model_types import Choice
from lms.progress.models import ProgressStatus
from lms.reports import activity, facts, funnel
from lms.reports.facts import CenterIds
from lms.reports.period import Period
from lms.users.models import User


@dataclass(frozen=True)
class Column:
    header: object
    key: str
    kind: str = "text"  # text, person, date, number, percent, or a Choice class name below


@dataclass
class Ask:
    """What a drill-down is asked for: scope, period and the figure's own filters."""
    period: Period
    center_ids: CenterIds
    today: date
    provider: int | None = None
    level: CertificationLevel | None = None
    stage: Stage | None = None
    mentor: int | None = None


@dataclass(frozen=True)
class Drill:
    title: object
    columns: tuple[Column, ...]
    query: Callable[[Ask], sa.Select]
    needs: tuple[str, ...] = ()  # arguments without which the list makes no sense


STUDENT = Column(_l("Student"), "student", "person")
HOME = Column(_l("Home center"), "home_center")
COHORT = Column(_l("Cohort"), "cohort")
CERTIFICATION = Column(_l("Certification"), "certification")
PROVIDER = Column(_l("Provider"), "provider")


def _people(found, *columns) -> sa.Select:
    """The facts' rows with the student's name and home center, ordered by name."""
    return (sa.select(found.c.student_id, User.full_name.label("student"),
                      User.center_id.label("home_center_id"), Center.name.label("home_center"),
                      *columns)
            .select_from(found).join(User, User.id == found.c.student_id)
            .outerjoin(Center, Center.id == User.center_id))


def _with_cohort(found, *columns) -> sa.Select:
    return (_people(found, Cohort.name.label("cohort"), *columns)
            .join(Cohort, Cohort.id == found.c.cohort_id))


def _with_certification(found, *columns) -> sa.Select:
    return (_people(found, Certification.name.label("certification"),
                    Provider.name.label("provider"), *columns)
            .join(Certification, Certification.id == found.c.certification_id)
            .join(Provider, Provider.id == Certification.provider_id))


def _by_name(query: sa.Select, found, key: str) -> sa.Select:
    return query.order_by(User.full_name, found.c.student_id, found.c[key])


def _active(ask: Ask) -> sa.Select:
    found = facts.participants(ask.period, ask.center_ids).subquery()
    return _people(found, User.email.label("email")).order_by(User.full_name, User.id)


def _enrollments(source: Callable) -> Callable[[Ask], sa.Select]:
    def query(ask: Ask) -> sa.Select:
        found = source(ask).subquery()
        columns = [found.c.on.label("on"), found.c.status.label("status")]
        return _by_name(_with_cohort(found, *columns), found, "enrollment_id")
    return query


def _completions(ask: Ask) -> sa.Select:
    found = facts.completions(ask.period, ask.center_ids).subquery()
    return _by_name(_with_cohort(found, found.c.completed_on.label("on")), found, "enrollment_id")


def _attendance(ask: Ask) -> sa.Select:
    found = activity.attendance_marks(ask.period, ask.center_ids).subquery()
    attended, counted = sa.func.sum(found.c.attended), sa.func.sum(found.c.counted)
    return (_people(found, attended.label("attended"), counted.label("counted"),
                    (sa.cast(attended, sa.Float) / sa.func.nullif(counted, 0)).label("rate"))
            .group_by(found.c.student_id, User.full_name, User.center_id, Center.name)
            .order_by(User.full_name, found.c.student_id))


def _passed(ask: Ask) -> sa.Select:
    found = facts.passed_results(ask.period, ask.center_ids).subquery()
    query = _with_certification(found, found.c.level.label("level"),
                                found.c.result_date.label("on"))
    if ask.provider:
        query = query.where(found.c.provider_id == ask.provider)
    if ask.level:
        query = query.where(found.c.level == ask.level)
    return _by_name(query, found, "pursuit_id")


def _failed(ask: Ask) -> sa.Select:
    found = facts.failed_results(ask.period, ask.center_ids).subquery()
    query = _with_certification(found, found.c.result_date.label("on"))
    return query.order_by(User.full_name, found.c.student_id, found.c.result_date)


def _at_risk(flag: str | None) -> Callable[[Ask], sa.Select]:
    def query(ask: Ask) -> sa.Select:
        found = activity.at_risk(ask.today, ask.center_ids).subquery()
        selected = _with_cohort(found, found.c.inactive, found.c.low, found.c.rate)
        if flag:
            selected = selected.where(found.c[flag] == 1)
        return _by_name(selected, found, "enrollment_id")
    return query


def _stage(ask: Ask) -> sa.Select:
    found = funnel.stages_reached(ask.period, ask.center_ids).subquery()
    query = _with_certification(found, found.c.reached_at.label("on"))
    return _by_name(query.where(found.c.stage == ask.stage), found, "pursuit_id")


def _median(ask: Ask) -> sa.Select:
    found = funnel.preparation_to_pass(ask.period, ask.center_ids).subquery()
    query = _with_certification(found, found.c.prepared_at, found.c.passed_at, found.c.days)
    return _by_name(query, found, "pursuit_id")


def _vouchers(state: str | None) -> Callable[[Ask], sa.Select]:
    def query(ask: Ask) -> sa.Select:
        found = activity.voucher_stock(ask.today, ask.center_ids).subquery()
        query = (sa.select(Voucher.code.label("code"), Provider.name.label("provider"),
                           Certification.name.label("certification"), Voucher.funder,
                           Voucher.expires_on.label("on"), found.c.state.label("state"))
                 .select_from(found).join(Voucher, Voucher.id == found.c.voucher_id)
                 .join(Provider, Provider.id == Voucher.provider_id)
                 .outerjoin(Certification, Certification.id == Voucher.certification_id))
        query = query.where(found.c.state == state) if state else query.where(found.c.expiring == 1)
        return query.order_by(Voucher.expires_on.asc().nulls_last(), Voucher.id)
    return query


def _mentor_progress(ask: Ask) -> sa.Select:
    found = activity.progress_work(ask.period, ask.center_ids).subquery()
    return (_with_cohort(found, Lesson.title.label("lesson"), found.c.to_status.label("progress"),
                         found.c.at.label("at"))
            .join(Lesson, Lesson.id == found.c.lesson_id)
            .where(found.c.actor_id == ask.mentor).order_by(found.c.at, found.c.event_id))


def _mentor_sessions(ask: Ask) -> sa.Select:
    found = activity.sessions_marked(ask.period, ask.center_ids).subquery()
    return (sa.select(found.c.held_on.label("on"), Cohort.name.label("cohort"),
                      found.c.at.label("at"))
            .join(Cohort, Cohort.id == found.c.cohort_id)
            .where(found.c.actor_id == ask.mentor).order_by(found.c.held_on, found.c.session_id))


def _mentor_stages(ask: Ask) -> sa.Select:
    found = activity.stage_work(ask.period, ask.center_ids).subquery()
    return (_with_certification(found, found.c.from_stage.label("from_stage"),
                                found.c.to_stage.label("to_stage"), found.c.at.label("at"))
            .where(found.c.actor_id == ask.mentor).order_by(found.c.at, found.c.change_id))


ON = Column(_l("Date"), "on", "date")
RISK = (STUDENT, HOME, COHORT, Column(_l("No activity for 14 days"), "inactive", "flag"),
        Column(_l("Attendance under 70 %"), "low", "flag"),
        Column(_l("Attendance, last 8 sessions"), "rate", "percent"))
VOUCHER = (Column(_l("Code"), "code"), PROVIDER, CERTIFICATION, Column(_l("Funder"), "funder"),
           Column(_l("Expires on"), "on", "date"), Column(_l("State"), "state", "VoucherStatus"))
ENROLLMENT = (STUDENT, HOME, COHORT, ON, Column(_l("Status"), "status", "EnrollmentStatus"))

DRILLS: dict[str, Drill] = {
    "active": Drill(_l("Active students"), (STUDENT, Column(_l("Email"), "email"), HOME), _active),
    "new_enrollments": Drill(_l("New enrollments"), ENROLLMENT, _enrollments(
        lambda ask: activity.new_enrollments(ask.period, ask.center_ids))),
    "completions": Drill(_l("Course completions"), (STUDENT, HOME, COHORT, ON), _completions),
    "ended": Drill(_l("Enrollments ended (completed or withdrawn)"), ENROLLMENT, _enrollments(
        lambda ask: activity.ended_enrollments(ask.period, ask.center_ids))),
    "attendance": Drill(_l("Attendance marks"), (
        STUDENT, HOME, Column(_l("Present or late"), "attended", "number"),
        Column(_l("Marks counted"), "counted", "number"),
        Column(_l("Attendance rate"), "rate", "percent")), _attendance),
    "passed": Drill(_l("Certifications earned"), (
        STUDENT, HOME, CERTIFICATION, PROVIDER, Column(_l("Level"), "level", "CertificationLevel"),
        Column(_l("Result date"), "on", "date")), _passed),
    "failed": Drill(_l("Failed exam results"), (
        STUDENT, HOME, CERTIFICATION, PROVIDER, Column(_l("Result date"), "on", "date")), _failed),
    "at_risk": Drill(_l("Students at risk"), RISK, _at_risk(None)),
    "inactive": Drill(_l("No activity for 14 days"), RISK, _at_risk("inactive")),
    "low_attendance": Drill(
        _l("Attendance under %(percent)d %% over the last %(sessions)d sessions",
           percent=70, sessions=8), RISK, _at_risk("low")),
    "stage": Drill(_l("Pursuits that reached a stage"), (
        STUDENT, HOME, CERTIFICATION, PROVIDER,
        Column(_l("First reached in the period"), "on", "datetime")), _stage, ("stage",)),
    "median": Drill(_l("Days from preparing to passed"), (
        STUDENT, HOME, CERTIFICATION, PROVIDER,
        Column(_l("Preparing since"), "prepared_at", "datetime"),
        Column(_l("Passed"), "passed_at", "datetime"), Column(_l("Days"), "days", "number")),
        _median),
    **{state: Drill(title, VOUCHER, _vouchers(state)) for state, title in (
        ("available", _l("Vouchers available")), ("assigned", _l("Vouchers assigned")),
        ("used", _l("Vouchers used")), ("expired", _l("Vouchers expired")),
        ("revoked", _l("Vouchers revoked")))},
    "expiring": Drill(_l("Vouchers expiring within 30 days"), VOUCHER, _vouchers(None)),
    "mentor_progress": Drill(_l("Progress cells set"), (
        STUDENT, HOME, COHORT, Column(_l("Lesson"), "lesson"),
        Column(_l("Status set"), "progress", "ProgressStatus"),
        Column(_l("When"), "at", "datetime")), _mentor_progress, ("mentor",)),
    "mentor_sessions": Drill(_l("Attendance sessions marked"), (
        Column(_l("Session date"), "on", "date"), COHORT,
        Column(_l("Last saved"), "at", "datetime")), _mentor_sessions, ("mentor",)),
    "mentor_stages": Drill(_l("Stage changes recorded"), (
        STUDENT, HOME, CERTIFICATION, PROVIDER, Column(_l("From"), "from_stage", "Stage"),
        Column(_l("To"), "to_stage", "Stage"), Column(_l("When"), "at", "datetime")),
        _mentor_stages, ("mentor",)),
}


@dataclass
class Page:
    """One page of drill-down rows, with what the pagination macro reads."""
    rows: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def iter_pages(self):
        return range(1, self.pages + 1)


def page_of(drill: Drill, ask: Ask, page: int, per_page: int) -> Page:
    """One page of a drill-down's rows (two statements: the count and the page)."""
    query = drill.query(ask)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(rows, page, per_page, total or 0)


def all_rows(drill: Drill, ask: Ask) -> list:
    """Every row (one statement). Read at once rather than through a server-side cursor: a
    download nobody finishes reading must not keep a transaction open (a list is one center's
    people, a few thousand rows at most); the CSV itself still streams out in chunks."""
    return db.session.execute(drill.query(ask)).all()


CHOICES: dict[str, type[Choice]] = {}


def register_choice(cls: type[Choice]) -> None:
    CHOICES[cls.__name__] = cls


def cell(row, column: Column, screen: bool = False):
    """A row's value for a column as written to CSV (dates in ISO form) or, with `screen`, as
    shown on the page (dates as the reader's language writes them); the same text otherwise."""
    value = getattr(row, column.key)
    if value is None or value == "":
        return "" if column.kind in ("text", "person") else "—"
    if column.kind == "flag":
        return "✓" if value else ""
    if column.kind == "percent":
        return f"{round(100 * float(value))} %"
    if column.kind == "date":
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return local_date(day) if screen else day.isoformat()
    if column.kind == "datetime":  # SQLite hands aggregated moments back as text
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value)[:19])
        return local_datetime(moment) if screen else moment.isoformat(sep=" ", timespec="minutes")
    if column.kind in CHOICES:
        return str(CHOICES[column.kind](str(value)).label)
    return value


for _choice in (Stage, EnrollmentStatus, CertificationLevel, VoucherStatus, ProgressStatus):
    register_choice(_choice)
