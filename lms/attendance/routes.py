"""Class sessions and attendance of a cohort."""
from flask import Blueprint

from lms.access import STAFF, gate

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
gate(bp, STAFF)
