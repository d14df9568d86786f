"""Reads of the centers domain."""
import sqlalchemy as sa

from lms.centers.models import Center
from lms.core.extensions import db


def centers_page(page: int, per_page: int):
    """Every center, active ones first, by name."""
    query = sa.select(Center).order_by(Center.is_active.desc(), Center.name, Center.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
