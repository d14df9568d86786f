"""Cohort pages for staff: course outline, mentors and roster."""
from flask import Blueprint, render_template

from lms.access import STAFF, gate, get_visible_or_404
from lms.cohorts import services
from lms.cohorts.models import Cohort

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
gate(bp, STAFF)


@bp.route("/<int:cohort_id>")
def show(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id, *services.COHORT_CARD)
    return render_template(
        "cohorts/show.html",
        cohort=cohort,
        roster=services.roster(cohort),
        modules=services.outline(cohort.course_id),
    )
