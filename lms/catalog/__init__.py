"""The cluster's catalog, administered by admins: tracks, courses and their outline, providers,
certifications. Its blueprint is defined here so routes.py and the outline's pages
(lms/outline/routes.py) both add views to it."""
from flask import Blueprint

from lms.access import ADMINS, gate

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")
gate(bp, ADMINS)
