"""Certification pursuits: the visible ones with filters, and moving one along its road with
the engine the web screens use (same stage rules, same required fields, same audit)."""
from dataclasses import fields as dataclass_fields
from datetime import date

from flask import jsonify
from flask_login import current_user

from lms.access import STAFF, get_visible_or_404
from lms.api import api
from lms.api import schemas as s
from lms.api.errors import ApiError
from lms.api.pagination import PAGE_PARAMS, page_of_query, page_schema
from lms.api.people import person
from lms.api.registry import Param, json_body, query_args
from lms.api.validation import parse_date
from lms.certifications import queries, services
from lms.certifications.errors import PursuitError
from lms.certifications.models import ExamDelivery, Pursuit, Stage

FILTERS = (
    Param("stage", {"type": "string", "enum": s.values(Stage)}, "Only pursuits at this stage."),
    Param("certification", s.ID_INPUT, "Only this certification (id)."),
    Param("cohort", s.ID_INPUT, "Only students enrolled in this cohort (id)."),
    Param("student", s.ID_INPUT, "Only this student (id)."),
)
LINE = {"type": "string", "maxLength": 200}
STAGE_BODY = {
    "type": "object", "additionalProperties": False, "required": ["stage"],
    "properties": {
        "stage": {"type": "string", "enum": s.values(Stage), "description": "The target stage."},
        "note": {"type": "string", "maxLength": 2000},
        "prep_platform": LINE, "prep_cohort_id": s.ID_INPUT,
        "prep_started_on": s.DATE,
        "practice_percent": {"type": "integer", "minimum": 0, "maximum": 100},
        "practice_taken_on": s.DATE, "practice_source": LINE,
        "voucher_id": s.ID_INPUT, "self_paid": {"type": "boolean"},
        "exam_date": s.DATE, "exam_delivery": {"type": "string", "enum": s.values(ExamDelivery)},
        "booking_reference": {"type": "string", "maxLength": 120},
        "result_date": s.DATE, "score": {"type": "integer", "minimum": 0, "maximum": 10000},
        "credential_id": LINE,
        "verification_url": {"type": "string", "maxLength": 500, "pattern": "^https?://\\S+$"},
        "reason": {"type": "string", "maxLength": 500},
    },
}
DATES = {"prep_started_on", "practice_taken_on", "exam_date", "result_date"}


def pursuit_item(pursuit: Pursuit) -> dict:
    certification = pursuit.certification
    return {
        "id": pursuit.id, "student": person(pursuit.student), "center_id": pursuit.center_id,
        "stage": pursuit.stage.value, "attempt": pursuit.attempt,
        "certification": {"id": certification.id, "name": certification.name,
                          "exam_code": certification.exam_code,
                          "provider": certification.provider.name},
        "exam_date": _iso(pursuit.exam_date),
        "exam_delivery": pursuit.exam_delivery.value if pursuit.exam_delivery else None,
        "result_date": _iso(pursuit.result_date), "score": pursuit.score,
        "credential_id": pursuit.credential_id, "verification_url": pursuit.verification_url,
        "verified": pursuit.verified_at is not None, "updated_at": pursuit.updated_at.isoformat() + "Z",
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@api.route("/pursuits", summary="Certification pursuits", query=FILTERS + PAGE_PARAMS,
           paginated=True, response=page_schema(s.PURSUIT))
def list_pursuits():
    """The pursuits the token's owner may see (a student: their own; staff: their center's;
    admins: all), most recently changed first."""
    args = query_args(FILTERS + PAGE_PARAMS)
    filters = queries.BoardFilter(
        stage=Stage(args["stage"]) if args["stage"] else None,
        certification_id=args["certification"], cohort_id=args["cohort"],
        student_id=args["student"])
    return page_of_query(queries.board_query(filters), args, pursuit_item)


@api.route("/pursuits/<int:pursuit_id>/stage", "POST", summary="Move a pursuit to a stage",
           roles=STAFF, body=STAGE_BODY, errors=(409, 415, 422), response=s.PURSUIT)
def move_stage(pursuit_id: int):
    """Move the pursuit to `stage` with the fields that stage requires (as on the web move
    form). A move the road does not allow, or that the pursuit's state refuses, is a 409; a
    missing or invalid field of the stage is a 422 naming it."""
    pursuit = get_visible_or_404(Pursuit, pursuit_id, *queries.PURSUIT_CARD)
    body = json_body(STAGE_BODY)
    data = services.StageInput(**{
        name: parse_date(value) if name in DATES else value
        for name, value in body.items() if name in _INPUT_FIELDS})
    try:
        services.move_pursuit(pursuit, Stage(body["stage"]), current_user, data, date.today())
    except PursuitError as error:  # a 4xx: the request's end rolls back what the move wrote
        if error.field_name:
            raise ApiError(422, error.message, fields={error.field_name: error.message}) from None
        raise ApiError(409, error.message, code="stage_refused") from None
    return jsonify(pursuit_item(get_visible_or_404(Pursuit, pursuit_id, *queries.PURSUIT_CARD)))


_INPUT_FIELDS = {f.name for f in dataclass_fields(services.StageInput)} - {"extra"}
