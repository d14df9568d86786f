"""The cluster's catalog, administered by admins: tracks, courses and their outline, providers,
certifications. Its blueprint is defined here so routes.py and the outline's pages
(lms/outline/routes.py) both add views to it; routes.py declares its gate (importing access here
would make every `import lms.catalog.models` load the access rules and all their models)."""
from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/admin/catalog")
