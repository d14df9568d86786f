"""Evidence: links and uploaded files attached to pursuits and lesson progress."""
from flask import Blueprint

from lms.access import EVERYONE, gate

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
gate(bp, EVERYONE)
