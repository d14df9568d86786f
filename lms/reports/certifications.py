"""The certifications report: certification × (pursuing, passed, failed, pass rate, expired).

One statement counts every cell (UNION ALL of the facts, grouped by certification and kind);
one more loads the certifications' names. Filters narrow the people (sex, age band at the
period's end, cohort) and the catalog (provider).
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from lms.catalog.models import Certification, Provider
from lms.cohorts.models import Enrollment
from lms.core.extensions import db
from lms.reports import facts
from lms.reports.dimensions import person_values
from lms.reports.period import Period

PURSUING, PASSED, FAILED, EXPIRED = "pursuing", facts.PASSED, facts.FAILED, "expired"
KINDS = {PURSUING: _l("Pursuing"), PASSED: _l("Passed"), FAILED: _l("Failed"),
         EXPIRED: _l("Expired")}


@dataclass(frozen=True)
class Filters:
    """What narrows the report; None means "all"."""
    provider_id: int | None = None
    cohort_id: int | None = None
    sex: str | None = None
    age_band: str | None = None


def _kind_rows(period: Period, center_ids: facts.CenterIds) -> sa.CompoundSelect:
    def rows(select: sa.Select, kind):
        found = select.subquery()
        label = found.c.outcome if kind is None else sa.literal(kind, sa.String(10))
        return sa.select(found.c.certification_id, found.c.student_id, label.label("kind"))
    return sa.union_all(rows(facts.pursuing(period, center_ids), PURSUING),
                        rows(facts.exam_results(period, center_ids), None),
                        rows(facts.expired_credentials(period, center_ids), EXPIRED))


def _filtered(period: Period, center_ids: facts.CenterIds, filters: Filters) -> sa.Subquery:
    """The facts of the report, one row per pursuit / result / expiry, after the filters."""
    found = _kind_rows(period, center_ids).subquery("kinds")
    query = sa.select(found)
    if filters.sex or filters.age_band:
        people = person_values(period.end).subquery()
        query = query.join(people, people.c.student_id == found.c.student_id)
        if filters.sex:
            query = query.where(people.c.sex == filters.sex)
        if filters.age_band:
            query = query.where(people.c.age_band == filters.age_band)
    if filters.provider_id:
        of_provider = sa.select(Certification.id).where(
            Certification.provider_id == filters.provider_id)
        query = query.where(found.c.certification_id.in_(of_provider))
    if filters.cohort_id:
        in_cohort = sa.select(Enrollment.student_id).where(
            Enrollment.cohort_id == filters.cohort_id)
        query = query.where(found.c.student_id.in_(in_cohort))
    return query.subquery("filtered")


@dataclass
class CertRow:
    certification_id: int | None
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def pass_rate(self) -> float | None:
        """passed ÷ (passed + failed) results, None when there were none."""
        sat = self.count(PASSED) + self.count(FAILED)
        return None if sat == 0 else self.count(PASSED) / sat


@dataclass
class CertReport:
    period: Period
    rows: list[CertRow]
    total: CertRow


def certifications_report(period: Period, center_ids: facts.CenterIds,
                          filters: Filters, total_label: str) -> CertReport:
    """Every figure of the report, certifications with at least one figure, by provider."""
    found = _filtered(period, center_ids, filters)
    counts = sa.select(found.c.certification_id, found.c.kind, sa.func.count()).group_by(
        found.c.certification_id, found.c.kind)
    by_cert: dict[int, dict[str, int]] = {}
    for certification_id, kind, count in db.session.execute(counts):
        by_cert.setdefault(certification_id, {})[kind] = count
    certifications = db.session.scalars(
        sa.select(Certification).join(Provider).where(Certification.id.in_(by_cert))
        .options(joinedload(Certification.provider))
        .order_by(Provider.name, Certification.name, Certification.id)).all() if by_cert else []
    rows = [CertRow(c.id, f"{c.provider.name} — {c.name}", by_cert[c.id]) for c in certifications]
    total = CertRow(None, total_label, {kind: sum(r.count(kind) for r in rows) for kind in KINDS})
    return CertReport(period, rows, total)


def people_ids(period: Period, center_ids: facts.CenterIds, filters: Filters, kind: str,
               certification_id: int | None) -> sa.Select:
    """The people behind one cell (certification None: the total row)."""
    found = _filtered(period, center_ids, filters)
    query = sa.select(found.c.student_id).where(found.c.kind == kind).distinct()
    if certification_id is not None:
        query = query.where(found.c.certification_id == certification_id)
    return query
