"""The words of the audit log as its readers know them from the forms (docs/glossary.md):
what kind of object an entry names, what was done, which field changed and what its values mean.

Stored entries keep their codes (`voucher.revoke`, `ClassSession`, `center_id`, `rural`): the log
is append-only, and only its display is translated here."""
from flask_babel import lazy_gettext as _l

from lms.attendance.models import AttendanceStatus
from lms.catalog.models import Audience, CertificationLevel, CourseLevel, LessonKind
from lms.certifications.models import EvidenceKind, ExamDelivery, Stage, VoucherStatus
from lms.cohorts.models import CohortStatus, EnrollmentStatus
from lms.core.model_types import Choice
from lms.imports.models import ImportKind
from lms.progress.models import ProgressStatus
from lms.users.models import LearnerType, Role, Settlement, Sex, YesNo

# Each kind of object an entry can name (the class name it is stored under), as the forms say.
OBJECT_NAMES = {
    "AccessToken": _l("API token"), "Attendance": _l("Attendance mark"),
    "Center": _l("Center"), "Certification": _l("Certification"),
    "ClassSession": _l("Class meeting"), "Cohort": _l("Cohort"), "Course": _l("Course"),
    "CourseModule": _l("Module"), "Enrollment": _l("Enrollment"), "Evidence": _l("Evidence"),
    "ImportBatch": _l("CSV import"), "Lesson": _l("Lesson"),
    "LessonProgress": _l("Lesson progress"), "Provider": _l("Provider"),
    "Pursuit": _l("Certification path"), "StudentNote": _l("Note on a student"),
    "Track": _l("Track"), "User": _l("Person"), "Voucher": _l("Voucher"),
}

# Every action a service records, once each, grouped by the object kind it is filed under.
ACTIONS = {
    "attendance.mark": _l("Attendance marked"),
    "center.create": _l("Center created"), "center.update": _l("Center changed"),
    "center.deactivate": _l("Center deactivated"), "center.reactivate": _l("Center reactivated"),
    "certification.create": _l("Certification added to the catalog"),
    "certification.update": _l("Certification changed"),
    "class_session.create": _l("Class meeting created"),
    "cohort.create": _l("Cohort created"), "cohort.update": _l("Cohort changed"),
    "course.create": _l("Course created"), "course.update": _l("Course changed"),
    "enrollment.create": _l("Student enrolled"), "enrollment.withdraw": _l("Student withdrawn"),
    "enrollment.complete": _l("Marked completed by hand"),
    "enrollment.reopen": _l("Completion undone"),
    "enrollment.reactivate": _l("Enrollment reactivated"),
    "enrollment.derived": _l("Completion updated from the gradebook"),
    "evidence.add_link": _l("Evidence link added"),
    "evidence.add_file": _l("Evidence file uploaded"),
    "evidence.verify": _l("Evidence verified"),
    "import.upload": _l("CSV file uploaded"), "import.commit": _l("CSV file imported"),
    "invitation.accept": _l("Invitation accepted"), "password.change": _l("Password changed"),
    "password.reset": _l("Password reset"),
    "lesson.create": _l("Lesson added"), "lesson.update": _l("Lesson changed"),
    "lesson.move": _l("Lesson moved"), "lesson.retire": _l("Lesson retired"),
    "lesson.reinstate": _l("Lesson back in the course"),
    "module.create": _l("Module added"), "module.update": _l("Module changed"),
    "module.move": _l("Module moved"),
    "note.create": _l("Note added"),
    "progress.set": _l("Gradebook cell saved"),
    "provider.create": _l("Provider added"), "provider.update": _l("Provider changed"),
    "pursuit.start": _l("Path started"), "pursuit.move": _l("Path moved to a stage"),
    "pursuit.practice": _l("Practice test recorded"),
    "pursuit.verify": _l("Credential verified"), "pursuit.reject": _l("Credential sent back"),
    "pursuit.renew": _l("Credential renewed"),
    "pursuit.invalidate": _l("Credential marked invalid"),
    "student.archive": _l("Student archived"), "student.restore": _l("Student restored"),
    "student.profile_update": _l("Student profile changed"),
    "token.create": _l("API token created"), "token.revoke": _l("API token revoked"),
    "track.create": _l("Track created"), "track.update": _l("Track changed"),
    "user.create": _l("Account created"), "user.update": _l("Account changed"),
    "user.invite": _l("Invitation sent"), "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "voucher.create": _l("Added to the stock"), "voucher.assign": _l("Assigned to a path"),
    "voucher.release": _l("Released to the stock"), "voucher.use": _l("Used for an exam"),
    "voucher.unuse": _l("Use undone"), "voucher.revoke": _l("Revoked"),
}

# The first part of an action names what it acts on: the filter's groups.
ACTION_GROUPS = {
    "attendance": _l("Attendance"), "center": _l("Center"), "certification": _l("Certification"),
    "class_session": _l("Class meeting"), "cohort": _l("Cohort"), "course": _l("Course"),
    "enrollment": _l("Enrollment"), "evidence": _l("Evidence"), "import": _l("CSV import"),
    "invitation": _l("Invitation"), "password": _l("Password"), "lesson": _l("Lesson"),
    "module": _l("Module"), "note": _l("Note on a student"), "progress": _l("Gradebook"),
    "provider": _l("Provider"), "pursuit": _l("Certification path"),
    "student": _l("Student"), "token": _l("API token"), "track": _l("Track"),
    "user": _l("Account"), "voucher": _l("Voucher"),
}

# A field of a before/after snapshot, labelled as on its form.
FIELD_LABELS = {
    "again": _l("Sent again"), "archived_at": _l("Archived on"), "attempt": _l("Attempt"),
    "audience": _l("Audience"), "body": _l("Note"),
    "booking_reference": _l("Booking reference"), "capacity": _l("Capacity"),
    "center_id": _l("Center"), "certification_id": _l("Certification"), "city": _l("City"),
    "cluster": _l("Cluster"), "code": _l("Code"), "cohort_id": _l("Cohort"),
    "completed_on": _l("Completed on"), "completion_reason": _l("Reason for marking completed"),
    "completion_set_by_id": _l("Marked completed by"), "content_type": _l("File type"),
    "course_id": _l("Course"), "credential_id": _l("Credential id"), "currency": _l("Currency"),
    "date_of_birth": _l("Date of birth"), "description": _l("Description"),
    "disability": _l("Disability"), "displaced": _l("Internally displaced"),
    "email": _l("E-mail"), "end_date": _l("End date"), "enrolled_on": _l("Enrolled on"),
    "exam_code": _l("Exam code"), "exam_date": _l("Exam date"),
    "exam_delivery": _l("Delivery"), "expires_on": _l("Expires on"),
    "feedback": _l("Feedback"), "filename": _l("File"), "full_name": _l("Full name"),
    "funder": _l("Funder"), "grade": _l("Grade or year"),
    "guardian_consent_on": _l("Guardian's consent given on"),
    "guardian_contact": _l("Guardian's phone or e-mail"),
    "guardian_name": _l("Guardian's name"), "held_on": _l("Date"),
    "institution": _l("School or university"), "invalid_reason": _l("Reason"),
    "is_active": _l("Active"), "is_published": _l("Published"),
    "is_required": _l("Required for completing the course"), "is_retired": _l("Retired"),
    "issued_on": _l("Issued on"), "kind": _l("Kind"), "learner_type": _l("Learner"),
    "lesson_ids": _l("Lessons"), "level": _l("Level"), "locale": _l("Language"),
    "max_score": _l("Maximum score"), "mentor_ids": _l("Mentors"), "module_id": _l("Module"),
    "name": _l("Name"), "original_name": _l("File"), "percent": _l("Score, %"),
    "position": _l("Position"), "prefix": _l("Token prefix"),
    "prep_cohort_id": _l("Preparation cohort"), "prep_platform": _l("Preparation platform"),
    "prep_started_on": _l("Start date"), "progress_id": _l("Lesson progress"),
    "provider_id": _l("Provider"), "pursuit_id": _l("Certification path"),
    "region": _l("Region (oblast)"), "remark": _l("Remark"), "renewed_on": _l("Renewal date"),
    "result_date": _l("Result date"), "revoke_reason": _l("Reason for revoking"),
    "revoked_at": _l("Revoked on"), "role": _l("Role"), "rows": _l("Rows"),
    "schedule": _l("Schedule"), "score": _l("Score"), "self_paid": _l("Self-paid"),
    "settlement": _l("Settlement"), "sex": _l("Sex"), "size_bytes": _l("Size, bytes"),
    "slug": _l("Slug"), "stage": _l("Stage"), "start_date": _l("Start date"),
    "status": _l("Status"), "student_id": _l("Student"), "taken_on": _l("Date of the practice test"),
    "title": _l("Title"), "topic": _l("Topic"), "track_id": _l("Track"), "url": _l("Link"),
    "value": _l("Value"), "verification_url": _l("Verification link"),
    "verified_by": _l("Verified by"), "verified_by_id": _l("Verified by"),
    "voucher_id": _l("Voucher"), "website": _l("Website"),
    "withdraw_reason": _l("Reason for withdrawing"), "withdrawn_on": _l("Withdrawn on"),
}

# Bookkeeping nobody reads: left out of the page (still in the CSV download).
HIDDEN_FIELDS = frozenset({"session_version", "stored_name", "sha256", "checksum"})

# Fields whose stored value is an enumeration member: the same key, by object kind where the
# key means different things ("status" of a voucher and of an enrollment).
ENUMS: dict[str, type[Choice] | dict[str, type[Choice]]] = {
    "status": {"Voucher": VoucherStatus, "Enrollment": EnrollmentStatus, "Cohort": CohortStatus,
               "Attendance": AttendanceStatus, "LessonProgress": ProgressStatus},
    "level": {"Course": CourseLevel, "Certification": CertificationLevel},
    "kind": {"Lesson": LessonKind, "Evidence": EvidenceKind, "ImportBatch": ImportKind},
    "stage": Stage, "exam_delivery": ExamDelivery, "role": Role, "sex": Sex,
    "disability": YesNo, "displaced": YesNo, "settlement": Settlement,
    "learner_type": LearnerType, "audience": Audience,
}

LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}


def enum_of(object_type: str, key: str) -> type[Choice] | None:
    found = ENUMS.get(key)
    return found.get(object_type) if isinstance(found, dict) else found


def object_name(object_type: str) -> str:
    return str(OBJECT_NAMES.get(object_type, object_type))


def action_name(action: str) -> str:
    return str(ACTIONS.get(action, action))


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))
