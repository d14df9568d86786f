"""A center's reports for a period: certification counts, the certification funnel and the donor
indicator table, computed by the same report functions as the heads' pages (lms/reports)."""
from flask import jsonify
from flask_babel import lazy_gettext as _l

from lms.access import MANAGERS, get_visible_or_404, visible_center_ids
from lms.api import api
from lms.api import schemas as s
from lms.api.errors import ApiError
from lms.api.registry import Param, query_args
from lms.api.validation import parse_date
from lms.centers.models import Center
from lms.reports import certifications as certs
from lms.reports import donor, funnel
from lms.reports.period import MAX_PERIOD_DAYS, Period

PERIOD = (Param("start", s.DATE, "First day of the period (YYYY-MM-DD).", required=True),
          Param("end", s.DATE, "Last day of the period (YYYY-MM-DD), included.", required=True))
COUNT = {"type": "integer", "minimum": 0}
PERIOD_SCHEMA = s.obj({"start": s.DATE, "end": s.DATE})
CERT_ROW = s.obj({"certification_id": s.nullable(s.ID), "label": s.TEXT,
                  **{kind: COUNT for kind in certs.KINDS},
                  "pass_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1}})
CERTIFICATIONS = s.obj({"center": s.CENTER, "period": PERIOD_SCHEMA,
                        "items": {"type": "array", "items": CERT_ROW}, "total": CERT_ROW})
FUNNEL = s.obj({
    "center": s.CENTER, "period": PERIOD_SCHEMA,
    "stages": {"type": "array", "items": s.obj({
        "stage": s.TEXT, "label": s.TEXT, "reached": COUNT,
        "conversion": {"type": ["number", "null"], "minimum": 0,
                       "description": "Share of the previous stage's count; null for the first."}})},
    "median_days_preparing_to_passed": {"type": ["number", "null"], "minimum": 0},
})
DONOR_ROW = s.obj({"value": s.TEXT, "label": s.TEXT,
                   "counts": {"type": "array", "items": COUNT,
                              "description": "People per column, in the order of `columns`."}})
DONOR = s.obj({
    "center": s.CENTER, "period": PERIOD_SCHEMA,
    "columns": {"type": "array", "items": s.obj({"indicator": s.TEXT, "key": s.TEXT,
                                                 "label": s.TEXT})},
    "total": DONOR_ROW,
    "sections": {"type": "array", "items": s.obj({
        "dimension": s.TEXT, "label": s.TEXT, "rows": {"type": "array", "items": DONOR_ROW}})},
})


def _center_and_period(center_id: int) -> tuple[Center, Period]:
    """The center, scoped as on the report pages (another center's is a 404), and the period."""
    (center_id,) = visible_center_ids([center_id])
    center = get_visible_or_404(Center, center_id)  # an admin may name a center that is not there
    args = query_args(PERIOD)
    start, end = parse_date(args["start"]), parse_date(args["end"])
    if end < start:
        raise ApiError(400, code="invalid_query",
                       fields={"end": _l("The end date is before the start date.")})
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ApiError(400, code="invalid_query", fields={"end": _l("A report covers at most ten years.")})
    return center, Period(start, end)


def _about(center: Center, period: Period) -> dict:
    return {"center": {"id": center.id, "name": center.name, "city": center.city},
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()}}


def _cert_row(row: certs.CertRow) -> dict:
    return {"certification_id": row.certification_id, "label": str(row.label),
            **{kind: row.count(kind) for kind in certs.KINDS}, "pass_rate": row.pass_rate}


@api.route("/centers/<int:center_id>/certifications", summary="Certification counts",
           roles=MANAGERS, query=PERIOD, response=CERTIFICATIONS)
def certification_counts(center_id: int):
    """Per certification: students pursuing at the period's end, passed and failed results in
    the period, pass rate, credentials expired in the period; for the center's head and admins
    (definitions: docs/report-definitions.md)."""
    center, period = _center_and_period(center_id)
    report = certs.certifications_report(period, [center.id], certs.Filters(), "Total")
    return jsonify({**_about(center, period), "items": [_cert_row(r) for r in report.rows],
                    "total": _cert_row(report.total)})


@api.route("/centers/<int:center_id>/funnel", summary="Certification funnel", roles=MANAGERS,
           query=PERIOD, response=FUNNEL)
def certification_funnel(center_id: int):
    """Pursuits of the center that reached each stage in the period (from the stage history), the
    conversion between consecutive stages and the median days from preparing to passed, as on
    the head's dashboard."""
    center, period = _center_and_period(center_id)
    counts = funnel.stage_counts(period, [center.id]).get(center.id, {})
    median = funnel.median_days(period, [center.id]).get(center.id)
    return jsonify({**_about(center, period),
                    "stages": [{"stage": step.stage.value, "label": str(step.stage.label),
                                "reached": step.reached, "conversion": step.conversion}
                               for step in funnel.steps(counts)],
                    "median_days_preparing_to_passed": median})


@api.route("/centers/<int:center_id>/donor", summary="Donor indicator table", roles=MANAGERS,
           query=PERIOD, response=DONOR)
def donor_table(center_id: int):
    """Unique people per indicator (participants, completed a course, sat an exam, certified,
    by provider and level), in total and per disaggregation (sex, age band, disability, IDP,
    settlement, learner type, center), as in the donor report."""
    center, period = _center_and_period(center_id)
    report = donor.donor_report(period, [center.id])
    row = lambda r: {"value": r.value, "label": str(r.label),  # noqa: E731
                     "counts": [r.count(column) for column in report.columns]}
    return jsonify({
        **_about(center, period),
        "columns": [{"indicator": c.indicator, "key": c.key, "label": str(c.label)}
                    for c in report.columns],
        "total": row(report.total),
        "sections": [{"dimension": section.dimension.key, "label": str(section.dimension.label),
                      "rows": [row(r) for r in section.rows]} for section in report.sections],
    })
