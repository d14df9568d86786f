"""Reads of the evidence domain."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, joinedload

from lms.certifications.models import Evidence, Pursuit
from lms.core.extensions import db
from lms.progress.models import LessonProgress
from lms.users.models import User

Target = Pursuit | LessonProgress  # what evidence belongs to

item = aliased(Evidence, name="evidence")
_uploader = aliased(User, name="uploader")
_verifier = aliased(User, name="verifier")


def _items() -> sa.Select:
    """Rows as evidence/_list.html shows them: `.evidence`, `.uploader_name`, `.verifier_name`."""
    return (
        sa.select(item, _uploader.full_name.label("uploader_name"),
                  _verifier.full_name.label("verifier_name"))
        .outerjoin(_uploader, _uploader.id == item.uploaded_by_id)
        .outerjoin(_verifier, _verifier.id == item.verified_by_id)
        .order_by(item.created_at, item.id)
    )


def items_for(target: Target) -> list[sa.Row]:
    """All evidence of one pursuit or lesson progress, oldest first, as list rows."""
    column = item.pursuit_id if isinstance(target, Pursuit) else item.progress_id
    return list(db.session.execute(_items().where(column == target.id)))


def awaiting_verification(center_id: int | None) -> sa.Select:
    """Unverified evidence of a center's pursuits (None: every center), oldest first, with
    student and certification loaded (rows as in items_for; .limit() it before running)."""
    return (
        _items()
        .join(item.pursuit)
        .where(item.verified_at.is_(None),
               Pursuit.center_id == center_id if center_id is not None else sa.true())
        .options(contains_eager(item.pursuit).options(joinedload(Pursuit.student),
                                                      joinedload(Pursuit.certification)))
    )
