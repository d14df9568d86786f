"""Admin use cases of the cluster-wide catalog: tracks, courses, providers, certifications.

Each save validates what the database would refuse (duplicates, ranges) first, so the admin
gets a message next to the field instead of an error page; a duplicate slipping in between
the check and the flush is still reported the same way. Every write records an audit entry
with the values before and after.
"""
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from lms.catalog.models import Certification, Course, Provider, Track
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.refusal import Refused

TRACK_FIELDS = ("code", "name")
COURSE_FIELDS = ("code", "title", "track_id", "level", "audience", "description",
                 "estimated_hours", "is_published")
PROVIDER_FIELDS = ("slug", "name", "website")
CERTIFICATION_FIELDS = (
    "provider_id", "name", "exam_code", "level", "validity_months", "renewal_window_months",
    "voucher_validity_months", "retake_wait_days", "min_age", "guardian_acceptance_under",
    "verification_url_pattern", "readiness_threshold", "is_active",
)


# --- shared helpers -------------------------------------------------------------------

def snapshot(obj: Any, fields: tuple[str, ...]) -> dict:
    """The audited values of `obj` as plain JSON (enumerations by value)."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.value if isinstance(value, Enum) else value
    return values


def ensure_unique(model: type, column, value: str | None, obj: Any, field: str,
                  message) -> None:
    """Refuse `value` if another row already has it (compared case-insensitively)."""
    if not value:
        return
    query = sa.select(model.id).where(sa.func.lower(column) == value.lower())
    if obj.id is not None:
        query = query.where(model.id != obj.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Refused(message, field)


def flush_or_refuse(field: str, message) -> None:
    """Flush; a unique violation (a concurrent duplicate) becomes a refusal of `field`."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise Refused(message, field) from error


def save(obj: Any, data: dict, fields: tuple[str, ...], action: str, actor,
         unique: tuple[str, Any], is_center: bool = False) -> Any:
    """Apply `data` to a new or existing object, flush, and audit the change (a center's
    entry is filed under the center itself, so its head can read it)."""
    creating = obj.id is None
    before = None if creating else snapshot(obj, fields)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    db.session.add(obj)
    flush_or_refuse(*unique)
    after = snapshot(obj, fields)
    if before != after:
        record(f"{action}.{'create' if creating else 'update'}", obj, before=before, after=after,
               actor=actor, center_id=obj.id if is_center else None)
    return obj


# --- tracks ---------------------------------------------------------------------------


def save_track(track: Track, data: dict, actor) -> Track:
    """Create or edit a track; the code is unique."""
    taken = _l("Another track already has this code.")
    ensure_unique(Track, Track.code, data["code"], track, "code", taken)
    return save(track, data, TRACK_FIELDS, "track", actor, ("code", taken))


# --- courses --------------------------------------------------------------------------


def save_course(course: Course, data: dict, actor) -> Course:
    """Create or edit a course; the code is unique and the track must exist."""
    taken = _l("Another course already has this code.")
    if db.session.get(Track, data["track_id"]) is None:
        raise Refused(_l("Choose one of the tracks."), "track_id")
    ensure_unique(Course, Course.code, data["code"], course, "code", taken)
    return save(course, data, COURSE_FIELDS, "course", actor, ("code", taken))


# --- providers ------------------------------------------------------------------------


def save_provider(provider: Provider, data: dict, actor) -> Provider:
    """Create or edit a provider; the slug is unique."""
    taken = _l("Another provider already has this slug.")
    ensure_unique(Provider, Provider.slug, data["slug"], provider, "slug", taken)
    return save(provider, data, PROVIDER_FIELDS, "provider", actor, ("slug", taken))


# --- certifications -------------------------------------------------------------------


def check_verification_pattern(pattern: str | None) -> None:
    """An http(s) address with exactly one `{id}` placeholder and no other braces."""
    if not pattern:
        return
    bad = _l("Enter an http(s) address that contains {id} exactly once, e.g. "
             "https://www.credly.com/badges/{id}.")
    if pattern.count("{id}") != 1 or "{" in pattern.replace("{id}", ""):
        raise Refused(bad, "verification_url_pattern")
    if "}" in pattern.replace("{id}", "") or any(c.isspace() for c in pattern):
        raise Refused(bad, "verification_url_pattern")
    parts = urlsplit(pattern.replace("{id}", "x"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(bad, "verification_url_pattern")


def check_rules(data: dict) -> None:
    """Vendor rules that depend on each other (single-field ranges are checked by the form)."""
    validity, window = data.get("validity_months"), data.get("renewal_window_months")
    if window is not None and validity is None:
        raise Refused(_l("A renewal window needs a validity: a credential that never expires "
                         "is never renewed."), "renewal_window_months")
    if window is not None and window > validity:
        raise Refused(_l("The renewal window cannot be longer than the validity."),
                      "renewal_window_months")
    minimum, guardian = data.get("min_age"), data.get("guardian_acceptance_under")
    if minimum is not None and guardian is not None and guardian <= minimum:
        raise Refused(_l("The guardian age must be above the minimum age; below the minimum "
                         "nobody may sit the exam."), "guardian_acceptance_under")
    check_verification_pattern(data.get("verification_url_pattern"))


def save_certification(certification: Certification, data: dict, course_ids: list[int],
                       actor) -> Certification:
    """Create or edit a certification with its vendor rules and preparing courses."""
    taken = _l("This provider already has a certification with this name.")
    if db.session.get(Provider, data["provider_id"]) is None:
        raise Refused(_l("Choose one of the providers."), "provider_id")
    check_rules(data)
    _ensure_unique_name(certification, data, taken)
    courses = list(db.session.scalars(sa.select(Course).where(Course.id.in_(course_ids))))
    if len(courses) != len(set(course_ids)):
        raise Refused(_l("Choose courses of the catalog."), "course_ids")
    before_courses = sorted(c.id for c in certification.preparing_courses) \
        if certification.id else []
    entry_before = None if certification.id is None else {
        **snapshot(certification, CERTIFICATION_FIELDS), "course_ids": before_courses}
    for name in CERTIFICATION_FIELDS:
        setattr(certification, name, data[name])
    certification.preparing_courses = courses
    db.session.add(certification)
    flush_or_refuse("name", taken)
    after = {**snapshot(certification, CERTIFICATION_FIELDS),
             "course_ids": sorted(c.id for c in courses)}
    if entry_before != after:
        action = "certification.create" if entry_before is None else "certification.update"
        record(action, certification, before=entry_before, after=after, actor=actor)
    return certification


def _ensure_unique_name(certification: Certification, data: dict, message) -> None:
    query = sa.select(Certification.id).where(
        Certification.provider_id == data["provider_id"],
        sa.func.lower(Certification.name) == data["name"].lower())
    if certification.id is not None:
        query = query.where(Certification.id != certification.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise Refused(message, "name")
