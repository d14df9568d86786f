"""The gradebook: a cohort's students × lessons, edited and saved in one submission."""
from flask import Blueprint

from lms.access import STAFF, gate

bp = Blueprint("gradebook", __name__, url_prefix="/gradebook")
gate(bp, STAFF)
