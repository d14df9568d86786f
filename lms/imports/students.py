"""Validating a students file against the database: who is new, who exists, which cohort.

The cohort column takes a cohort of the importing center by its number (id, as shown in its
address) or by its exact name (case-insensitive); a name shared by two cohorts must be given
by number. A student who already exists at this center is not changed; when the row names a
cohort they are not in yet, they are enrolled in it.
"""
from datetime import date
from functools import partial

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.centers.models import Center
from lms.cohorts.models import Cohort, Enrollment
from lms.cohorts.queries import enrolled_counts
from lms.core.extensions import db
from lms.imports import values
from lms.imports.columns import required_keys
from lms.imports.models import ImportKind
from lms.imports.report import Report, RowReport, RowStatus, flag_duplicates, read_rows
from lms.imports.sql import among
from lms.users.models import LearnerType, Role, Settlement, Sex, StudentProfile, User, YesNo

LANGUAGES = {"uk": "uk", "en": "en", "українська": "uk", "ukrainian": "uk", "укр": "uk",
             "english": "en", "англійська": "en", "англ": "en"}


def _language(raw: str):
    language = LANGUAGES.get(raw.strip().lower())
    if language is None:
        return None, _l("“%(value)s” is not a language: write uk or en.", value=raw.strip()[:40])
    return language, None


def readers(today: date) -> dict:
    """The parser of every column of a students file."""
    return {
        "email": values.email, "full_name": partial(values.text, limit=200),
        "date_of_birth": partial(values.past_day, today=today),
        "sex": values.ChoiceReader(Sex), "disability": values.ChoiceReader(YesNo),
        "displaced": values.ChoiceReader(YesNo), "settlement": values.ChoiceReader(Settlement),
        "learner_type": values.ChoiceReader(LearnerType),
        "institution": partial(values.text, limit=200), "grade": partial(values.text, limit=40),
        "guardian_name": partial(values.text, limit=200),
        "guardian_contact": partial(values.text, limit=200),
        "guardian_consent_on": partial(values.past_day, today=today),
        "language": _language, "cohort": partial(values.text, limit=200),
    }


def validate(center: Center, stored: list[dict], today: date, lock: bool = False) -> Report:
    """Check every row; with `lock` (the commit), the cohorts named are locked first."""
    rows = read_rows(ImportKind.STUDENTS, stored, readers(today), required_keys(ImportKind.STUDENTS))
    report = Report(ImportKind.STUDENTS, rows)
    flag_duplicates(rows, lambda row: row.data.get("email"))
    if any("cohort" in row.data for row in rows):
        _resolve_cohorts(center, rows, lock)
    _match_existing(center, rows)
    _check_capacity(report)
    return report


def _resolve_cohorts(center: Center, rows: list[RowReport], lock: bool) -> None:
    """Name or number → a cohort of this center; anything else is an unknown cohort."""
    query = sa.select(Cohort).where(Cohort.center_id == center.id).order_by(Cohort.id)
    if lock:  # serialise with enrollments into these cohorts (they lock the cohort row too)
        query = query.with_for_update(key_share=True)
    cohorts = db.session.scalars(query).all()
    by_id = {str(cohort.id): cohort for cohort in cohorts}
    by_name: dict[str, list[Cohort]] = {}
    for cohort in cohorts:
        by_name.setdefault(cohort.name.strip().casefold(), []).append(cohort)
    for row in rows:
        wanted = row.data.get("cohort")
        if wanted is None:
            continue
        named = by_name.get(wanted.casefold(), [])
        found = by_id.get(wanted) or (named[0] if len(named) == 1 else None)
        if len(named) > 1 and wanted not in by_id:
            row.refuse(_l("Several cohorts are called “%(value)s”: give the cohort's number "
                          "instead.", value=wanted))
        elif found is None:
            row.refuse(_l("Unknown cohort “%(value)s” at this center.", value=wanted))
        else:
            row.data["cohort"] = found


def _match_existing(center: Center, rows: list[RowReport]) -> None:
    """Rows whose e-mail is taken: a student of this center is reused, anyone else refuses."""
    emails = {row.data["email"] for row in rows if "email" in row.data}
    if not emails:
        return
    query = (sa.select(User.id, sa.func.lower(User.email), User.role, User.center_id,
                       User.is_active, StudentProfile.archived_at)
             .outerjoin(StudentProfile, StudentProfile.user_id == User.id)
             .where(among(sa.func.lower(User.email), emails)))
    existing = {row[1]: row for row in db.session.execute(query)}
    enrolled = _enrollments([found.id for found in existing.values()], rows)
    for row in rows:
        found = existing.get(row.data.get("email"))
        if found is not None:
            _existing_row(center, row, found, enrolled)


def _enrollments(student_ids: list[int], rows: list[RowReport]) -> set[tuple[int, int]]:
    """(student id, cohort id) pairs that exist already, whatever their status."""
    cohort_ids = {row.data["cohort"].id for row in rows if isinstance(row.data.get("cohort"), Cohort)}
    if not (student_ids and cohort_ids):
        return set()
    query = sa.select(Enrollment.student_id, Enrollment.cohort_id).where(
        among(Enrollment.student_id, student_ids), Enrollment.cohort_id.in_(cohort_ids))
    return {tuple(pair) for pair in db.session.execute(query)}


def _existing_row(center: Center, row: RowReport, found, enrolled: set) -> None:
    student_id, email, role, center_id, is_active, archived_at = found
    if role != Role.STUDENT or center_id != center.id:
        row.refuse(_l("%(email)s is the e-mail of another account, not of a student of this "
                      "center.", email=email))
        return
    row.data["student_id"] = student_id
    if not row.ok:
        return
    cohort = row.data.get("cohort")
    if cohort is None or (student_id, cohort.id) in enrolled:
        row.status = RowStatus.EXISTS
    elif not is_active or archived_at is not None:
        row.refuse(_l("%(email)s is an archived or deactivated student; restore them before "
                      "enrolling.", email=email))
    else:
        row.status = RowStatus.ENROLL


def _check_capacity(report: Report) -> None:
    """The new enrollments of each cohort must fit in the places it has left."""
    wanted: dict[int, list] = {}
    for row in report.with_status(RowStatus.NEW, RowStatus.ENROLL):
        cohort = row.data.get("cohort")
        if cohort is not None and cohort.capacity is not None:
            wanted.setdefault(cohort.id, [cohort, 0])[1] += 1
    taken = enrolled_counts(list(wanted))
    for cohort_id, (cohort, count) in wanted.items():
        free = max(cohort.capacity - taken.get(cohort_id, 0), 0)
        if count > free:
            report.file_problems.append(_l(
                "Cohort “%(name)s” has room for %(free)d more students and this file enrolls "
                "%(count)d.", name=cohort.name, free=free, count=count))
