"""Certification paths: the student's pages (`paths`) and the staff's board (`pursuits`)."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import STAFF, STUDENTS, gate, get_visible_or_404
from lms.certifications import credentials, display, pages, queries, services
from lms.certifications.forms import (
    STAGE_FORMS,
    InvalidateForm,
    PracticeForm,
    RejectForm,
    RenewalForm,
    ReportForm,
    StartForm,
    VerifyForm,
    to_stage_input,
)
from lms.certifications.models import Pursuit, Stage
from lms.core.exports import csv_response
from lms.core.views import arg_choice, arg_int, catch_refusal, page_arg, render_form

paths_bp = Blueprint("paths", __name__, url_prefix="/paths")
gate(paths_bp, STUDENTS)

pursuits_bp = Blueprint("pursuits", __name__, url_prefix="/pursuits")
gate(pursuits_bp, STAFF)


@pursuits_bp.app_context_processor
def voucher_codes() -> dict:
    """Every page shows a voucher's code as the reader may see it (certifications.display)."""
    return {"voucher_code": lambda voucher: display.shown_code(voucher, current_user)}


def _load(pursuit_id: int) -> Pursuit:
    return get_visible_or_404(Pursuit, pursuit_id, *queries.PURSUIT_CARD)


# --- students -------------------------------------------------------------------------

@paths_bp.route("/new", methods=["GET", "POST"])
def start():
    form = StartForm()
    catalog = queries.catalog()
    form.certification_id.choices = pages.certification_choices(catalog)
    if form.validate_on_submit():
        certification = next((c for c in catalog if str(c.id) == form.certification_id.data), None)
        with catch_refusal(form):
            pursuit = services.start_pursuit(current_user, certification, current_user,
                                             form.note.data or "")
            pages.flash_guardian_warning(current_user, certification, date.today())
            flash(_("Your certification path has started."), "success")
            return redirect(url_for("paths.show", pursuit_id=pursuit.id))
    return render_form("paths/start.html", form, catalog=catalog)


@paths_bp.route("/<int:pursuit_id>", endpoint="show")
def path(pursuit_id: int):
    pursuit = _load(pursuit_id)
    return render_template("paths/show.html", **pages.path_page(pursuit, date.today()),
                           form=ReportForm())


@paths_bp.route("/<int:pursuit_id>/report", methods=["POST"])
def report(pursuit_id: int):
    pursuit = _load(pursuit_id)
    form = ReportForm()
    if form.validate_on_submit():
        with catch_refusal(form):
            credentials.report_result(pursuit, current_user, to_stage_input(form), date.today())
            flash(_("Thank you! Your mentor will verify the credential."), "success")
            return redirect(url_for("paths.show", pursuit_id=pursuit_id))
    # Rebuilt from the database: after a refusal, as it was before the request.
    return render_form("paths/show.html", form, **pages.path_page(_load(pursuit_id), date.today()))


# --- staff ------------------------------------------------------------------------------

def _board_filters() -> queries.BoardFilter:
    return queries.BoardFilter(stage=arg_choice("stage", Stage),
                               certification_id=arg_int("certification"),
                               cohort_id=arg_int("cohort"), mentor_id=arg_int("mentor"))


@pursuits_bp.route("/")
def board():
    filters = _board_filters()
    per_page = current_app.config["PER_PAGE"]
    return render_template(
        "pursuits/board.html", filters=filters, counts=queries.stage_counts(filters),
        stages=list(Stage),
        page=queries.board(filters, page_arg(), per_page),
        choices=queries.filter_choices())


@pursuits_bp.route("/export.csv")
def export():
    headers = [_("Student"), _("E-mail"), _("Provider"), _("Certification"), _("Stage"),
               _("Attempt"), _("Preparation cohort"), _("Exam date"), _("Result date"),
               _("Credential id"), _("Verified on"), _("Changed")]
    return csv_response("certification-board.csv", headers, queries.board_rows(_board_filters()))


@pursuits_bp.route("/verification")
def verification():
    per_page = current_app.config["PER_PAGE"]
    return render_template(
        "pursuits/verification.html",
        pursuits=queries.awaiting_verification_page(page_arg(), per_page),
        evidence_page=queries.evidence_awaiting_page(
            current_user, arg_int("evidence_page") or 1, per_page))


@pursuits_bp.route("/<int:pursuit_id>", endpoint="show")
def pursuit(pursuit_id: int):
    pursuit = _load(pursuit_id)
    return render_template("pursuits/show.html", **pages.pursuit_page(pursuit, date.today()))


@pursuits_bp.route("/<int:pursuit_id>/move/<stage>", methods=["GET", "POST"])
def move(pursuit_id: int, stage: str):
    pursuit = _load(pursuit_id)
    to_stage = pages.stage_or_404(stage)
    form = STAGE_FORMS[to_stage]()
    pages.fill_choices(form, pursuit, current_user, date.today())
    if form.validate_on_submit():
        with catch_refusal(form):
            services.move_pursuit(pursuit, to_stage, current_user, to_stage_input(form),
                                  date.today())
            flash(_("Moved to “%(stage)s”.", stage=to_stage.label), "success")
            return redirect(url_for("pursuits.show", pursuit_id=pursuit_id))
    return render_form("pursuits/move.html", form, pursuit=_load(pursuit_id), to_stage=to_stage)


def _action(pursuit_id: int, form, perform, done_message: str):
    """Run a one-form action of the pursuit page; refusals re-render that page (422)."""
    pursuit = _load(pursuit_id)
    if form.validate_on_submit():
        with catch_refusal(form):
            perform(pursuit)
            flash(done_message, "success")
            return redirect(url_for("pursuits.show", pursuit_id=pursuit_id))
    page = pages.pursuit_page(_load(pursuit_id), date.today(), failed=form)
    return render_form("pursuits/show.html", form, **page)


@pursuits_bp.route("/<int:pursuit_id>/practice", methods=["POST"])
def practice(pursuit_id: int):
    form = PracticeForm(prefix="practice")
    return _action(pursuit_id, form, lambda p: services.record_practice(
        p, current_user, to_stage_input(form), date.today()), _("Practice score recorded."))


@pursuits_bp.route("/<int:pursuit_id>/verify", methods=["POST"])
def verify(pursuit_id: int):
    form = VerifyForm(prefix="verify")
    return _action(pursuit_id, form, lambda p: credentials.verify_result(p, current_user),
                   _("The credential is verified and now counts."))


@pursuits_bp.route("/<int:pursuit_id>/reject", methods=["POST"])
def reject(pursuit_id: int):
    form = RejectForm(prefix="reject")
    return _action(pursuit_id, form, lambda p: credentials.reject_result(
        p, current_user, form.reason.data), _("The reported result was sent back."))


@pursuits_bp.route("/<int:pursuit_id>/renew", methods=["POST"])
def renew(pursuit_id: int):
    form = RenewalForm(prefix="renew")
    return _action(pursuit_id, form, lambda p: credentials.record_renewal(
        p, current_user, form.renewed_on.data, date.today(), form.note.data or ""),
        _("Renewal recorded."))


@pursuits_bp.route("/<int:pursuit_id>/invalidate", methods=["POST"])
def invalidate(pursuit_id: int):
    form = InvalidateForm(prefix="invalidate")
    return _action(pursuit_id, form, lambda p: credentials.invalidate(
        p, current_user, form.reason.data), _("The credential is marked invalid."))
