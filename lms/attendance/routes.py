"""Class sessions and attendance of a cohort."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import STAFF, gate, get_visible_or_404
from lms.attendance import queries, services
from lms.attendance.forms import AttendanceForm, SessionForm
from lms.attendance.models import AttendanceStatus, ClassSession
from lms.cohorts.models import Cohort
from lms.cohorts.queries import COHORT_CARD
from lms.core.exports import csv_response
from lms.core.refusal import Refused
from lms.core.views import catch_refusal, page_arg, render_form

bp = Blueprint("attendance", __name__, url_prefix="/attendance")
gate(bp, STAFF)


@bp.get("/cohort/<int:cohort_id>")
def sessions(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    return _sessions_page(cohort, _session_form(cohort))


@bp.get("/cohort/<int:cohort_id>/export.csv")
def export(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    headers = [_("Date"), _("Topic"), _("Student"), _("E-mail"), _("Status"), _("Remark")]
    return csv_response(f"attendance-{cohort_id}.csv", headers, queries.register_rows(cohort))


@bp.post("/cohort/<int:cohort_id>/sessions")
def create_session(cohort_id: int):
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)
    form = _session_form(cohort)
    if form.validate_on_submit():
        with catch_refusal(form):
            created = services.create_session(cohort, form.held_on.data, form.topic.data,
                                              form.lesson_ids.data, current_user, date.today())
            flash(_("Class session created. Now mark who came."), "success")
            return redirect(url_for("attendance.mark", session_id=created.id))
    return _sessions_page(cohort, form)


@bp.post("/cohort/<int:cohort_id>/today")
def open_today(cohort_id: int):
    """Today's class of the cohort (created on the first press), straight to its marking."""
    cohort = get_visible_or_404(Cohort, cohort_id, *COHORT_CARD)  # any mentor of the center
    with catch_refusal() as refusal:
        opened = services.open_todays_session(cohort, current_user, date.today())
        return redirect(url_for("attendance.mark", session_id=opened.id))
    flash(refusal.error.message, "danger")
    return redirect(url_for("attendance.sessions", cohort_id=cohort_id))


@bp.get("/session/<int:session_id>")
def mark(session_id: int):
    class_session = services.get_session_or_404(session_id)
    rows = queries.marking_rows(class_session)
    return _marking_page(class_session, AttendanceForm.for_rows(rows), rows)


@bp.post("/session/<int:session_id>")
def save_marks(session_id: int):
    class_session = services.get_session_or_404(session_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        with catch_refusal() as refusal:  # a refused marking keeps nothing, not even a part of it
            written = services.mark_attendance(class_session, form.to_marks(), current_user)
            flash(_saved_message(written, queries.unmarked_count(class_session)), "success")
            return redirect(url_for("attendance.mark", session_id=session_id))
        _show_refusal(form, refusal.error)
        class_session = services.get_session_or_404(session_id)
    return _marking_page(class_session, form, queries.marking_rows(class_session))


def _session_form(cohort: Cohort) -> SessionForm:
    form = SessionForm()
    form.lesson_ids.choices = queries.lesson_choices(cohort.course_id)
    return form


def _sessions_page(cohort: Cohort, form: SessionForm):
    page = queries.sessions_page(cohort, page_arg(), current_app.config["PER_PAGE"])
    return render_form("attendance/sessions.html", form, cohort=cohort, page=page,
                       counts=queries.status_counts([s.id for s in page.items]),
                       statuses=list(AttendanceStatus))


def _marking_page(class_session: ClassSession, form: AttendanceForm, rows: list):
    return render_form("attendance/mark.html", form, class_session=class_session,
                       roster={enrollment.id: enrollment for enrollment, _mark in rows},
                       tally=queries.tally(rows), statuses=list(AttendanceStatus),
                       on_file={enrollment.id for enrollment, mark in rows if mark is not None},
                       history=queries.history(class_session))


def _show_refusal(form: AttendanceForm, error: Refused) -> None:
    """The refusal above the form, and each refused row's message next to its field."""
    form.form_errors.append(error.message)  # also makes the page answer 422
    for position, field_name, message in getattr(error, "rows", ()):
        field = form.marks.entries[position][field_name]
        field.errors = [*field.errors, message]


def _saved_message(written: int, unmarked: int) -> str:
    """What was saved, and who is still without a mark (two sentences: each has its plural)."""
    saved = (ngettext("%(num)d mark saved.", "%(num)d marks saved.", written) if written
             else _("Nothing changed."))
    if not unmarked:
        return saved
    return saved + " " + ngettext("%(num)d student is not marked yet.",
                                  "%(num)d students are not marked yet.", unmarked)
