"""The student's own course pages and data export."""
import json

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from lms.access import STUDENTS, gate, get_visible_or_404
from lms.cohorts.models import Cohort
from lms.cohorts.queries import COHORT_CARD
from lms.learning import queries

bp = Blueprint("learning", __name__, url_prefix="/learn")
gate(bp, STUDENTS)


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    found = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    page = queries.cohort_page(current_user, found)
    if page["enrollment"] is None:
        abort(404)
    return render_template("learning/cohort.html", **page)


@bp.route("/my-data.json")
def my_data():
    body = json.dumps(queries.my_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="my-data.json"',
        "Cache-Control": "private, no-store"})
