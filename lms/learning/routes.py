"""The student's own course pages and data export."""
from flask import Blueprint

from lms.access import gate
from lms.users.models import Role

bp = Blueprint("learning", __name__, url_prefix="/learn")
gate(bp, frozenset({Role.STUDENT}))
