"""Certification paths: the student's pages (`paths`) and the staff's board (`pursuits`)."""
from flask import Blueprint

from lms.access import STAFF, gate
from lms.users.models import Role

paths_bp = Blueprint("paths", __name__, url_prefix="/paths")
gate(paths_bp, frozenset({Role.STUDENT}))

pursuits_bp = Blueprint("pursuits", __name__, url_prefix="/pursuits")
gate(pursuits_bp, STAFF)
