"""Read-side queries of the certification domain, scoped and eager-loaded for their pages."""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, raiseload

from lms.access import own_center_id, visible
from lms.catalog.models import Certification, Provider
from lms.certifications.models import (
    PracticeScore,
    Pursuit,
    PursuitStageChange,
    Stage,
    Voucher,
    VoucherStatus,
)
from lms.cohorts.models import Cohort, Enrollment, cohort_mentors
from lms.core.extensions import db
from lms.core.pagination import SHORTLIST, ListPage, Shortlist, in_chunks, shortlist
from lms.evidence import queries as evidence
from lms.users.models import Role, User

# What any list of pursuits shows: student, certification and its provider.
PURSUIT_CARD = (
    joinedload(Pursuit.student),
    joinedload(Pursuit.prep_cohort),
    joinedload(Pursuit.certification).joinedload(Certification.provider),
)


@dataclass
class BoardFilter:
    stage: Stage | None = None
    certification_id: int | None = None
    cohort_id: int | None = None
    mentor_id: int | None = None
    student_id: int | None = None


def _filtered(query: sa.Select, filters: BoardFilter) -> sa.Select:
    if filters.certification_id:
        query = query.where(Pursuit.certification_id == filters.certification_id)
    if filters.student_id:
        query = query.where(Pursuit.student_id == filters.student_id)
    if filters.cohort_id:
        in_cohort = sa.select(Enrollment.student_id).where(Enrollment.cohort_id == filters.cohort_id)
        query = query.where(Pursuit.student_id.in_(in_cohort))
    if filters.mentor_id:
        taught = (sa.select(Enrollment.student_id)
                  .join(cohort_mentors, cohort_mentors.c.cohort_id == Enrollment.cohort_id)
                  .where(cohort_mentors.c.mentor_id == filters.mentor_id))
        query = query.where(Pursuit.student_id.in_(taught))
    return query


def board_query(filters: BoardFilter) -> sa.Select:
    """The signed-in user's visible pursuits under the filters, newest change first."""
    query = _filtered(visible(Pursuit), filters)
    if filters.stage:
        query = query.where(Pursuit.stage == filters.stage)
    return query.options(*PURSUIT_CARD, raiseload("*")).order_by(Pursuit.updated_at.desc(), Pursuit.id.desc())


def board(filters: BoardFilter, page: int, per_page: int):
    """One page of the board (the web page and the API list the same query)."""
    return db.paginate(board_query(filters), page=page, per_page=per_page, error_out=False)


def board_rows(filters: BoardFilter):
    """CSV rows of every pursuit under the board's filters, newest change first, in chunks."""
    for chunk in in_chunks(board_query(filters)):
        for p in chunk:
            yield (p.student.full_name, p.student.email, p.certification.provider.name,
                   p.certification.name, p.stage.label, p.attempt,
                   p.prep_cohort.name if p.prep_cohort else "", p.exam_date, p.result_date,
                   p.credential_id or "", p.verified_at.date() if p.verified_at else None,
                   p.updated_at.date())


def stage_counts(filters: BoardFilter) -> dict[Stage, int]:
    """Pursuits per stage under the same scope and filters, in one query."""
    scoped = _filtered(visible(Pursuit), filters).subquery()
    query = sa.select(scoped.c.stage, sa.func.count()).group_by(scoped.c.stage)
    return {Stage(stage): count for stage, count in db.session.execute(query).all()}


def filter_choices() -> dict:
    """Certifications, and the visible cohorts and mentors, to filter a board by."""
    certifications = db.session.scalars(
        sa.select(Certification).options(joinedload(Certification.provider))
        .where(Certification.is_active).order_by(Certification.name)).all()
    cohorts = db.session.scalars(visible(Cohort).order_by(Cohort.start_date.desc())).all()
    mentors = db.session.scalars(
        visible(User).where(User.role == Role.MENTOR, User.is_active).order_by(User.full_name)).all()
    return {"certifications": certifications, "cohorts": cohorts, "mentors": mentors}


def history(pursuit: Pursuit) -> list[PursuitStageChange]:
    query = (sa.select(PursuitStageChange).where(PursuitStageChange.pursuit_id == pursuit.id)
             .options(joinedload(PursuitStageChange.actor))
             .order_by(PursuitStageChange.created_at.desc(), PursuitStageChange.id.desc()))
    return list(db.session.scalars(query))


def practice_scores(pursuit: Pursuit) -> list[PracticeScore]:
    query = (sa.select(PracticeScore).where(PracticeScore.pursuit_id == pursuit.id)
             .order_by(PracticeScore.taken_on.desc(), PracticeScore.id.desc()))
    return list(db.session.scalars(query))


def vouchers_of(pursuit: Pursuit) -> list[Voucher]:
    """Every voucher this pursuit has held, across attempts."""
    query = sa.select(Voucher).where(Voucher.pursuit_id == pursuit.id).order_by(Voucher.id)
    return list(db.session.scalars(query))


def awaiting_verification_query() -> sa.Select:
    """Self-reported results waiting for a mentor, oldest first."""
    return (visible(Pursuit)
            .where(Pursuit.stage == Stage.PASSED, Pursuit.verified_at.is_(None))
            .options(*PURSUIT_CARD).order_by(Pursuit.updated_at, Pursuit.id))


def awaiting_verification(limit: int = SHORTLIST) -> Shortlist:
    return shortlist(awaiting_verification_query(), limit)


def awaiting_verification_page(page: int, per_page: int):
    return db.paginate(awaiting_verification_query(), page=page, per_page=per_page,
                       error_out=False)


def upcoming_exams(today: date, days: int = 14, limit: int = SHORTLIST) -> Shortlist:
    query = (visible(Pursuit)
             .where(Pursuit.stage == Stage.SCHEDULED,
                    Pursuit.exam_date.between(today, today + timedelta(days=days)))
             .options(*PURSUIT_CARD).order_by(Pursuit.exam_date, Pursuit.id))
    return shortlist(query, limit)


def vouchers_expiring_unbooked(today: date, days: int = 30, limit: int = SHORTLIST) -> Shortlist:
    """Assigned vouchers that expire soon while their pursuit has no exam booked."""
    query = (visible(Voucher)
             .join(Pursuit, Pursuit.id == Voucher.pursuit_id)
             .where(Voucher.status == VoucherStatus.ASSIGNED, Pursuit.stage == Stage.VOUCHER,
                    Voucher.expires_on.between(today, today + timedelta(days=days)))
             # joined, not selectin: the page sends the same statements whether the list is empty
             .options(contains_eager(Voucher.pursuit).joinedload(Pursuit.student))
             .order_by(Voucher.expires_on, Voucher.id))
    return shortlist(query, limit)


def catalog() -> list[Certification]:
    """Active certifications a student can aim for, by provider and name."""
    query = (sa.select(Certification).join(Certification.provider)
             .where(Certification.is_active)
             .options(joinedload(Certification.provider))
             .order_by(Provider.name, Certification.name))
    return list(db.session.scalars(query))


def _evidence_awaiting_query(user: User) -> sa.Select:
    """Self-reported evidence of the user's center (every center for admins) awaiting a mentor."""
    return evidence.awaiting_verification(own_center_id(user))


def evidence_awaiting(user: User, limit: int = SHORTLIST) -> Shortlist:
    return shortlist(_evidence_awaiting_query(user), limit, rows=True)


def evidence_awaiting_page(user: User, page: int, per_page: int) -> ListPage:
    """One page of the evidence awaiting verification (rows as evidence/_list.html shows)."""
    query = _evidence_awaiting_query(user)
    counted = sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    total = db.session.scalar(counted)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return ListPage(rows, page, per_page, total or 0)
