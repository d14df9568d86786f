"""JSON Schemas of what the API returns, shared by the views' documentation (OpenAPI 3.1)."""
from lms.certifications.models import ExamDelivery, Stage
from lms.cohorts.models import CohortStatus, EnrollmentStatus
from lms.core.model_types import MAX_ID
from lms.progress.models import ProgressStatus
from lms.users.models import Role

ID = {"type": "integer", "minimum": 1}
ID_INPUT = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TEXT = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def nullable(schema: dict) -> dict:
    """The schema, or null."""
    kind = schema["type"]
    return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}


def values(enum) -> list[str]:
    return [member.value for member in enum]


def obj(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """An object whose properties are all present (except `optional` ones)."""
    return {"type": "object", "properties": properties,
            "required": [name for name in properties if name not in optional]}


ERROR = obj({"error": obj({
    "code": {"type": "string", "description": "Stable, machine-readable reason."},
    "message": {"type": "string", "description": "For people, in the token owner's language."},
    "fields": {"type": "object", "additionalProperties": {"type": "string"},
               "description": "Per field (or query parameter, or cell) what is wrong."},
    "conflicts": {"type": "array", "items": {"type": "object"},
                  "description": "Gradebook cells changed by someone else (409)."},
}, optional=("fields", "conflicts"))})

NAMED = obj({"id": ID, "name": TEXT})
PERSON = obj({"id": ID, "full_name": TEXT})
CENTER = obj({"id": ID, "name": TEXT, "city": TEXT})
ME = obj({"id": ID, "email": TEXT, "full_name": TEXT, "role": {"type": "string", "enum": values(Role)},
          "locale": {"type": "string", "enum": ["uk", "en"]}, "center": nullable(CENTER)})
COURSE = obj({"id": ID, "code": TEXT, "title": TEXT})
COHORT = obj({"id": ID, "name": TEXT, "status": {"type": "string", "enum": values(CohortStatus)},
              "start_date": DATE, "end_date": nullable(DATE), "course": COURSE})
ENROLLMENT_STATUS = {"type": "string", "enum": values(EnrollmentStatus)}
PROGRESS_STATUS = {"type": "string", "enum": values(ProgressStatus)}
MY_COHORT = obj({
    "enrollment_id": ID, "status": ENROLLMENT_STATUS, "enrolled_on": DATE,
    "completed_on": nullable(DATE), "cohort": COHORT,
    "progress": obj({"completed": {"type": "integer", "minimum": 0},
                     "total": {"type": "integer", "minimum": 0},
                     "percent": {"type": "integer", "minimum": 0, "maximum": 100}}),
    "attendance_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
    "next_lesson": nullable(obj({"id": ID, "title": TEXT})),
})
LESSON = obj({"id": ID, "title": TEXT, "module": TEXT, "max_score": {"type": ["integer", "null"]},
              "required": {"type": "boolean"}})
CELL = obj({"lesson_id": ID, "status": PROGRESS_STATUS, "score": {"type": ["integer", "null"]},
            "feedback": TEXT, "version": {"type": "integer", "minimum": 0,
                                          "description": "Send it back when you change the cell."}})
GRADEBOOK_ROW = obj({"enrollment_id": ID, "student": PERSON, "status": ENROLLMENT_STATUS,
                     "cells": {"type": "array", "items": CELL}})
SAVED = obj({"written": {"type": "array", "items": obj({
    "enrollment_id": ID, "lesson_id": ID, "status": PROGRESS_STATUS,
    "score": {"type": ["integer", "null"]}, "version": {"type": "integer", "minimum": 1}})}})
PURSUIT = obj({
    "id": ID, "student": PERSON, "center_id": ID, "stage": {"type": "string", "enum": values(Stage)},
    "attempt": {"type": "integer", "minimum": 1},
    "certification": obj({"id": ID, "name": TEXT, "exam_code": nullable(TEXT), "provider": TEXT}),
    "exam_date": nullable(DATE),
    "exam_delivery": {"type": ["string", "null"], "enum": [*values(ExamDelivery), None]},
    "result_date": nullable(DATE), "score": {"type": ["integer", "null"]},
    "credential_id": nullable(TEXT), "verification_url": nullable(TEXT),
    "verified": {"type": "boolean"}, "updated_at": DATETIME,
})
