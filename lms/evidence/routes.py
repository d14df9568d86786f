"""Evidence: links and uploaded files attached to pursuits and lesson progress."""
from flask import Blueprint, current_app, flash, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import EVERYONE, allow, gate, get_visible_or_404
from lms.certifications import pages
from lms.certifications.models import Evidence, EvidenceKind, Pursuit
from lms.core.security import body_limit, is_safe_next
from lms.core.views import catch_refusal
from lms.evidence import services
from lms.evidence.forms import EvidenceForm
from lms.users.models import Role

bp = Blueprint("evidence", __name__, url_prefix="/evidence")
gate(bp, EVERYONE)

# A stored file holds a user's bytes: the browser must not run, sniff or keep them.
FILE_HEADERS = {
    "Content-Security-Policy": "sandbox",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
}
# Images open in the browser; PDFs download, because browsers' PDF viewers refuse a sandbox.
INLINE_TYPES = frozenset({"image/png", "image/jpeg"})


@bp.route("/pursuit/<int:pursuit_id>", methods=["POST"])
@body_limit("EVIDENCE_MAX_BYTES")  # the file's own limit, not the app-wide one
def add_to_pursuit(pursuit_id: int):
    pursuit = get_visible_or_404(Pursuit, pursuit_id)
    form = EvidenceForm()
    if form.validate_on_submit():
        with catch_refusal(form):  # nothing is kept: no row, no file
            evidence = _add(form, pursuit)
            flash(_("Evidence added.") if evidence.verified_at
                  else _("Evidence added. A mentor will verify it."), "success")
            return redirect(_back(form.next.data))
    return pages.render_path_page(pursuit_id, evidence_form=form)  # with the errors, 422


@bp.route("/<int:evidence_id>")
def download(evidence_id: int):
    evidence = get_visible_or_404(Evidence, evidence_id)
    if evidence.kind == EvidenceKind.LINK:
        response = redirect(evidence.url)
    else:
        response = send_from_directory(
            current_app.config["UPLOAD_FOLDER"], evidence.stored_name,
            mimetype=evidence.content_type, download_name=evidence.original_name,
            as_attachment=evidence.content_type not in INLINE_TYPES,
        )
    response.headers.update(FILE_HEADERS)
    return response


@bp.route("/<int:evidence_id>/verify", methods=["POST"])
@allow(Role.MENTOR, Role.HEAD, Role.ADMIN)
def verify(evidence_id: int):
    evidence = get_visible_or_404(Evidence, evidence_id)
    with catch_refusal() as refusal:
        services.verify(evidence, current_user)
        flash(_("Evidence verified."), "success")
    if refusal.error:
        flash(str(refusal.error.message), "danger")
    return redirect(_back(request.form.get("next")))


def _add(form: EvidenceForm, pursuit: Pursuit) -> Evidence:
    if form.file.data:
        return services.add_file(pursuit, form.file.data, current_user)
    return services.add_link(pursuit, form.url.data, current_user)


def _back(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("home.index")
