"""Reads of the catalog domain."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from lms.catalog.models import Certification, Course, CourseModule, Lesson, Provider, Track
from lms.core.extensions import db

# A certification's page and list rows show its provider and preparing courses.
CERTIFICATION_CARD = (joinedload(Certification.provider),
                      selectinload(Certification.preparing_courses))


def _page(query: sa.Select, page: int, per_page: int):
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def tracks_page(page: int, per_page: int):
    return _page(sa.select(Track).order_by(Track.name, Track.id), page, per_page)


def track_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in db.session.scalars(sa.select(Track).order_by(Track.name))]


def courses_page(page: int, per_page: int, track_id: int | None = None,
                 published: bool | None = None):
    """Courses by code, filtered by track and published flag, with their track loaded."""
    query = sa.select(Course).options(joinedload(Course.track)).order_by(Course.code, Course.id)
    if track_id is not None:
        query = query.where(Course.track_id == track_id)
    if published is not None:
        query = query.where(Course.is_published.is_(published))
    return _page(query, page, per_page)


def lesson_counts(course_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(current lessons, retired lessons) per course, in one query."""
    if not course_ids:
        return {}
    query = (sa.select(CourseModule.course_id, Lesson.is_retired, sa.func.count(Lesson.id))
             .join(Lesson, Lesson.module_id == CourseModule.id)
             .where(CourseModule.course_id.in_(course_ids))
             .group_by(CourseModule.course_id, Lesson.is_retired))
    counts: dict[int, list[int]] = {}
    for course_id, retired, count in db.session.execute(query):
        counts.setdefault(course_id, [0, 0])[1 if retired else 0] = count
    return {course_id: (current, retired) for course_id, (current, retired) in counts.items()}


def course_choices() -> list[tuple[int, str]]:
    query = sa.select(Course.id, Course.code, Course.title).order_by(Course.code)
    return [(cid, f"{code} · {title}") for cid, code, title in db.session.execute(query)]


def providers_page(page: int, per_page: int):
    return _page(sa.select(Provider).order_by(Provider.name, Provider.id), page, per_page)


def provider_choices() -> list[tuple[int, str]]:
    return [(p.id, p.name) for p in db.session.scalars(sa.select(Provider).order_by(Provider.name))]


def certifications_page(page: int, per_page: int, provider_id: int | None = None):
    query = (sa.select(Certification).join(Certification.provider)
             .options(*CERTIFICATION_CARD).order_by(Provider.name, Certification.name))
    if provider_id is not None:
        query = query.where(Certification.provider_id == provider_id)
    return _page(query, page, per_page)
