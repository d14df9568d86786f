"""Cohort pages for staff: the center's cohort list (heads and admins create and edit), a cohort
with its course outline, mentors and roster, and changes of the roster."""
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import (
    MANAGERS,
    STAFF,
    allow,
    gate,
    get_visible_or_404,
    manages_cohort,
    own_center_id,
    require_teaching,
    visible,
)
from lms.centers.models import Center
from lms.cohorts import queries, services
from lms.cohorts.forms import (
    SEARCH_MAX,
    CohortForm,
    EnrollForm,
    SearchForm,
    action_form,
    roster_actions,
    slot_rows,
    student_choices,
)
from lms.cohorts.models import Cohort, CohortStatus, Enrollment
from lms.cohorts.queries import CohortFilter
from lms.cohorts.services import CohortInput
from lms.cohorts.timetable import clock, day_label, weekday_names
from lms.core.exports import csv_response
from lms.core.extensions import db
from lms.core.views import arg_choice, arg_int, catch_refusal, page_arg, parse_int, render_form

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
gate(bp, STAFF)


# Every page writes a timetable alike (macros imported without context see these too).
bp.add_app_template_global(clock, "clock")
bp.add_app_template_global(day_label, "day_label")


@bp.app_template_global("weekday_name")
def weekday_name(day: int, width: str = "wide") -> str:
    """A weekday's name in the reader's language."""
    return weekday_names(width)[day]


def _load(cohort_id: int) -> Cohort:
    return get_visible_or_404(Cohort, cohort_id, *queries.COHORT_PAGE)


# A mentor of the center who does not teach a cohort may read it, not change it: this page says so.
NOT_TEACHING = "cohorts/not_teaching.html"


def _cohort_page(cohort: Cohort, failed: tuple | None = None) -> dict:
    """Everything the cohort page shows; `failed` is a refused roster form to show again."""
    page = queries.roster(cohort, page_arg())
    roster = list(page.items)
    manage = manages_cohort(current_user, cohort)
    return {"cohort": cohort, "roster": roster, "roster_page": page,
            "taken": queries.enrolled_counts([cohort.id]).get(cohort.id, 0),
            "modules": queries.outline(cohort.course_id),
            "may_manage": manage, "search": SearchForm(formdata=None),
            "actions": roster_actions(roster, failed) if manage else {}}


# --- the center's cohorts: list, download, create, edit ----------------------------------

def _filters() -> CohortFilter:
    return CohortFilter(status=arg_choice("status", CohortStatus), course_id=arg_int("course"),
                        center_id=arg_int("center"))


@bp.route("/")
def index():
    filters = _filters()
    page, counts = queries.cohort_page(filters, page_arg(), current_app.config["PER_PAGE"])
    return render_template("cohorts/index.html", page=page, counts=counts, filters=filters,
                           options=queries.filter_options())


@bp.route("/export.csv")
def export():
    headers = [_("Cohort"), _("Center"), _("Course code"), _("Course"), _("Status"),
               _("Start date"), _("End date"), _("Timetable"), _("Schedule notes"), _("Enrolled"),
               _("Capacity"), _("Mentors")]
    return csv_response("cohorts.csv", headers, queries.export_rows(_filters()))


def _fill_choices(form: CohortForm, center_id: int, cohort: Cohort | None = None) -> None:
    courses = queries.course_choices(cohort.course_id if cohort else None)
    form.course_id.choices = [(c.id, f"{c.code} · {c.title}") for c in courses]
    mentors = queries.mentor_choices(center_id, cohort.mentors if cohort else ())
    form.mentor_ids.choices = [(m.id, m.full_name) for m in mentors]


def _input(form: CohortForm) -> CohortInput:
    return CohortInput(name=form.name.data, course_id=form.course_id.data,
                       start_date=form.start_date.data, end_date=form.end_date.data,
                       schedule=form.schedule.data or "", capacity=form.capacity.data,
                       status=CohortStatus(form.status.data), mentor_ids=form.mentor_ids.data,
                       slots=form.slot_inputs())


def _timetable_rows(form: CohortForm, cohort: Cohort | None = None) -> None:
    """A fresh form shows the cohort's timetable and blank rows to add classes; a posted
    form keeps the rows as sent."""
    if not form.is_submitted():
        form.slots.last_index = -1  # numbered from 0 again (the form filled them from `obj`)
        form.slots.process(None, slot_rows(cohort.slots if cohort else []))


def _new_cohort_center() -> Center | None:
    """Heads add cohorts to their own center; admins choose one first (?center=)."""
    center_id = own_center_id(current_user) or arg_int("center")
    return get_visible_or_404(Center, center_id) if center_id else None


@bp.route("/new", methods=["GET", "POST"])
@allow(*MANAGERS)
def create():
    center = _new_cohort_center()
    if center is None:
        centers = db.session.scalars(visible(Center).order_by(Center.name)).all()
        return render_template("cohorts/pick_center.html", centers=centers)
    form = CohortForm()
    _fill_choices(form, center.id)
    _timetable_rows(form)
    if form.validate_on_submit():
        with catch_refusal(form):
            cohort = services.create_cohort(center, _input(form), current_user)
            flash(_("The cohort was created."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_form("cohorts/form.html", form, center=center, cohort=None)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@allow(*MANAGERS)
def edit(cohort_id: int):
    cohort = _load(cohort_id)
    form = CohortForm(obj=cohort, mentor_ids=[m.id for m in cohort.mentors])
    _fill_choices(form, cohort.center_id, cohort)
    _timetable_rows(form, cohort)
    if form.validate_on_submit():
        with catch_refusal(form):
            services.update_cohort(cohort, _input(form), current_user)
            flash(_("The cohort was saved."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort_id))
        cohort = _load(cohort_id)
    return render_form("cohorts/form.html", form, center=cohort.center, cohort=cohort)


@bp.route("/<int:cohort_id>")
def show(cohort_id: int):
    return render_template("cohorts/show.html", **_cohort_page(_load(cohort_id)))


@bp.route("/<int:cohort_id>/roster.csv")
def roster_export(cohort_id: int):
    headers = [_("Student"), _("E-mail"), _("Status"), _("Enrolled"), _("Completed on"),
               _("Withdrawn on"), _("Completion set by"), _("Reason")]
    return csv_response(f"roster-{cohort_id}.csv", headers,
                        queries.roster_rows(_load(cohort_id)))


def _enroll_page(cohort: Cohort, form: EnrollForm) -> dict:
    """The enroll page: the search, its first matches as checkboxes, the places left."""
    # A posted form carries its search along; a fresh page reads it from ?q=.
    text = (form.search_text.data if form.is_submitted() else _search_text()) or ""
    text = text[:SEARCH_MAX]  # a posted search too long is refused with the form, not run
    form.search_text.data = text
    found = queries.find_candidates(cohort, text, queries.SEARCH_LIMIT + 1)
    form.student_ids.choices = student_choices(found[:queries.SEARCH_LIMIT])
    search = SearchForm(formdata=None, q=text)
    return {"cohort": cohort, "search": search, "more": len(found) > queries.SEARCH_LIMIT,
            "limit": queries.SEARCH_LIMIT, "free": queries.free_places(cohort)}


@bp.route("/<int:cohort_id>/enroll", methods=["GET", "POST"])
def enroll(cohort_id: int):
    cohort = _load(cohort_id)
    require_teaching(cohort, NOT_TEACHING)
    form = EnrollForm()
    if form.validate_on_submit():
        with catch_refusal(form):
            added = services.enroll_students(cohort, form.student_ids.data, current_user,
                                             date.today())
            flash(ngettext("%(num)d student enrolled.", "%(num)d students enrolled.", len(added)),
                  "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort_id))
        cohort = _load(cohort_id)
    return render_form("cohorts/enroll.html", form, **_enroll_page(cohort, form))


def _search_text() -> str:
    """The ?q= search text; an over-long one is a bad request, not a silent cut."""
    search = SearchForm(formdata=request.args)
    if not search.validate():
        abort(400)
    return search.q.data or ""


def _roster_action(enrollment_id: int, kind: str, perform, done: str):
    """Run one roster action (POST); a refusal shows the cohort page again with the form (422)."""
    enrollment = get_visible_or_404(Enrollment, enrollment_id, *queries.ENROLLMENT_CARD)
    cohort_id = enrollment.cohort_id
    require_teaching(enrollment.cohort, NOT_TEACHING)
    form = action_form(kind, enrollment_id)
    if form.validate_on_submit():
        with catch_refusal(form):
            perform(enrollment, form)
            flash(done, "success")
            # Back to the roster page the action was taken on.
            return redirect(url_for("cohorts.show", cohort_id=cohort_id, page=parse_int(request.args.get("page", ""))))
    page = _cohort_page(_load(cohort_id), failed=(enrollment_id, kind, form))
    return render_form("cohorts/show.html", form, **page)


@bp.route("/enrollments/<int:enrollment_id>/withdraw", methods=["POST"])
def withdraw(enrollment_id: int):
    return _roster_action(enrollment_id, "withdraw", lambda e, form: services.withdraw(
        e, current_user, form.reason.data, date.today()), _("The student was withdrawn."))


@bp.route("/enrollments/<int:enrollment_id>/complete", methods=["POST"])
def complete(enrollment_id: int):
    return _roster_action(enrollment_id, "complete", lambda e, form: services.mark_completed(
        e, current_user, form.reason.data, date.today()), _("The enrollment is marked completed."))


@bp.route("/enrollments/<int:enrollment_id>/reopen", methods=["POST"])
def reopen(enrollment_id: int):
    return _roster_action(enrollment_id, "reopen", lambda e, form: services.reopen(
        e, current_user), _("The completion was undone; the enrollment is active again."))
