"""The set-based writes of a commit: a few multi-row INSERTs, however long the file.

Every INSERT skips rows that a concurrent transaction created meanwhile (ON CONFLICT DO
NOTHING on the unique e-mail index, on (student, cohort) and on (provider, code)); the rows it
returns are the ones this commit created, and only those get audit entries.

Audit: one entry per created object (user, enrollment, voucher) with its after-values, so the
audit view's filter by object finds an imported student's history like a hand-made one's;
plus one "import.commit" entry on the batch (file name, checksum, counts) that ties them to
the file and the person who imported it. All of them are written set-based too.
"""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l

from lms.centers.models import Center
from lms.certifications.models import Voucher, VoucherStatus
from lms.cohorts.models import Enrollment, EnrollmentStatus
from lms.cohorts.services import enrollment_snapshot
from lms.core.audit import AuditEntry
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.imports.report import Report, RowStatus
from lms.imports.sql import insert_rows
from lms.users.models import Role, StudentProfile, User

PROFILE_FIELDS = ("date_of_birth", "sex", "disability", "displaced", "settlement", "learner_type",
                  "institution", "grade", "guardian_name", "guardian_contact",
                  "guardian_consent_on")


class RaceLost(Refused):
    """A row this commit meant to create was created elsewhere (another center) meanwhile."""


def audit_many(action: str, object_type: str, entries: list[tuple[int, dict]], actor,
               center: Center) -> None:
    """One audit entry per created object (object id, after-values), in one INSERT."""
    if not entries:
        return
    address = request.remote_addr if has_request_context() else None
    now = utcnow()
    insert_rows(AuditEntry.__table__, [
        {"actor_id": getattr(actor, "id", None), "center_id": center.id, "action": action,
         "object_type": object_type, "object_id": object_id, "before": None, "after": after,
         "client_address": address, "created_at": now}
        for object_id, after in entries])


def _json(value):
    """Audit values are JSON: dates as ISO text, amounts as text, enumerations as their value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return getattr(value, "value", value)


def create_students(center: Center, report: Report, actor, today: date) -> dict:
    """Create the new students and enroll the rows' students in their cohorts."""
    new_rows = sorted(report.with_status(RowStatus.NEW), key=lambda row: row.data["email"])
    users = [{"email": row.data["email"], "full_name": row.data["full_name"],
              "role": Role.STUDENT, "center_id": center.id, "password_hash": None,
              "locale": row.data.get("language", "uk"), "is_active": True, "session_version": 1,
              "created_at": utcnow()} for row in new_rows]
    users_table = User.__table__
    created = dict((email, user_id) for user_id, email in insert_rows(
        users_table, users, users_table.c.id, users_table.c.email, skip_conflicts=True))
    if len(created) != len(new_rows):
        raise RaceLost(_l("Some of these e-mail addresses were registered by someone else while "
                          "the file was being imported. Nothing was imported; open the preview "
                          "again."))
    profiles = [_profile(created[row.data["email"]], row.data) for row in new_rows]
    insert_rows(StudentProfile.__table__, profiles)
    audit_many("user.create", "User", [
        (profile["user_id"], _student_after(row.data, profile, center))
        for row, profile in zip(new_rows, profiles)], actor, center)
    for row in new_rows:
        row.data["student_id"] = created[row.data["email"]]
    enrolled = _enroll(center, report, actor, today)
    return {"students": len(created), "enrollments": enrolled}


def _profile(user_id: int, data: dict) -> dict:
    profile = {name: data.get(name) for name in PROFILE_FIELDS}
    defaults = {"sex": "not_stated", "disability": "not_stated", "displaced": "not_stated",
                "learner_type": "other"}
    for name, default in defaults.items():
        profile[name] = profile[name] or default
    return {"user_id": user_id, **profile, "archived_at": None}


def _student_after(data: dict, profile: dict, center: Center) -> dict:
    """The audited state of a created student: account and profile, JSON-ready."""
    after = {"email": data["email"], "full_name": data["full_name"], "role": "student",
             "center_id": center.id, "locale": data.get("language", "uk")}
    after.update({name: _json(profile[name]) for name in PROFILE_FIELDS})
    return after


def _enroll(center: Center, report: Report, actor, today: date) -> int:
    """Active enrollments for every row with a cohort; one already there is left as it is."""
    pairs = sorted({(row.data["student_id"], row.data["cohort"].id)
                    for row in report.with_status(RowStatus.NEW, RowStatus.ENROLL)
                    if row.data.get("cohort") is not None})
    table = Enrollment.__table__
    rows = [{"student_id": student_id, "cohort_id": cohort_id, "enrolled_on": today,
             "status": EnrollmentStatus.ACTIVE, "created_at": utcnow()}
            for student_id, cohort_id in pairs]
    created = insert_rows(table, rows, table.c.id, table.c.student_id, table.c.cohort_id,
                          skip_conflicts=True)
    # Every new enrollment has the same state but its ids: the usual snapshot, computed once.
    state = enrollment_snapshot(SimpleNamespace(
        student_id=None, cohort_id=None, status=EnrollmentStatus.ACTIVE, enrolled_on=today,
        completed_on=None, completion_set_by_id=None, completion_reason=None, withdrawn_on=None,
        withdraw_reason=None))
    audit_many("enrollment.create", "Enrollment", [
        (enrollment_id, {**state, "student_id": student_id, "cohort_id": cohort_id})
        for enrollment_id, student_id, cohort_id in created], actor, center)
    return len(created)


def create_vouchers(center: Center, report: Report, actor) -> dict:
    """Add the new vouchers to the center's stock, as available."""
    new_rows = report.with_status(RowStatus.NEW)
    vouchers = [{"center_id": center.id, "provider_id": row.data["provider"].id,
                 "certification_id": getattr(row.data.get("certification"), "id", None),
                 "code": row.data["code"], "value": row.data.get("value"),
                 "currency": row.data.get("currency", "USD"), "funder": row.data.get("funder", ""),
                 "issued_on": row.data["issued_on"], "expires_on": row.data.get("expires_on"),
                 "status": VoucherStatus.AVAILABLE, "created_at": utcnow()}
                for row in sorted(new_rows, key=lambda r: (r.data["provider"].id, r.data["code"]))]
    table = Voucher.__table__
    created = insert_rows(table, vouchers, table.c.id, table.c.provider_id, table.c.code,
                          skip_conflicts=True)
    if len(created) != len(vouchers):
        raise RaceLost(_l("Some of these voucher codes were registered by someone else while the "
                          "file was being imported. Nothing was imported; open the preview again."))
    by_identity = {(v["provider_id"], v["code"]): v for v in vouchers}
    audit_many("voucher.create", "Voucher", [
        (voucher_id, {key: _json(value) for key, value in by_identity[(provider_id, code)].items()
                      if key != "created_at"})
        for voucher_id, provider_id, code in created], actor, center)
    return {"vouchers": len(created)}
