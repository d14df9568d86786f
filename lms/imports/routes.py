"""CSV import pages for heads and admins: template, upload, preview of every row, commit."""
from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, undefer

from lms.access import MANAGERS, gate, get_visible_or_404
from lms.core.exports import csv_response
from lms.core.security import body_limit
from lms.core.views import arg_int, catch_refusal, page_arg, render_form, show_error
from lms.imports import queries, services
from lms.imports.columns import COLUMNS, template_headers
from lms.imports.forms import CommitForm, upload_form
from lms.imports.models import ImportBatch, ImportKind

bp = Blueprint("imports", __name__, url_prefix="/imports")
gate(bp, MANAGERS)

KIND = "<any(students, vouchers):kind>"
BATCH_PAGE = (undefer(ImportBatch.rows), joinedload(ImportBatch.center),
              joinedload(ImportBatch.uploaded_by), joinedload(ImportBatch.committed_by))


@bp.route("/")
def index():
    uploads = queries.uploads(page_arg(), current_app.config["PER_PAGE"])
    return render_template("imports/index.html", kinds=list(ImportKind), uploads=uploads)


@bp.route("/uploads.csv")
def uploads_csv():
    headers = [_("Uploaded"), _("Uploaded by"), _("Center"), _("Kind"), _("File"), _("Rows"),
               _("Imported"), _("Checksum (SHA-256)")]
    rows = ([b.created_at, b.uploaded_by.full_name if b.uploaded_by else "", b.center.name,
             b.kind.label, b.filename, b.row_count, b.committed_at, b.checksum]
            for b in queries.all_uploads())
    return csv_response("imports.csv", headers, rows)


@bp.route(f"/{KIND}/template.csv")
def template(kind: str):
    kind = ImportKind(kind)
    return csv_response(f"{kind.value}-import-template.csv", template_headers(kind), [])


@bp.route(f"/{KIND}/upload", methods=["GET", "POST"])
@body_limit("IMPORT_MAX_BYTES")  # the file's own limit, not the app-wide one
def upload(kind: str):
    kind = ImportKind(kind)
    form = upload_form(current_user)
    status = None
    if form.validate_on_submit():
        storage = form.file.data
        # One byte more than allowed is enough to know the file is too large.
        data = storage.stream.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        with catch_refusal() as refusal:
            batch = services.stage(kind, form.chosen_center(current_user), storage.filename,
                                   data, current_user)
            return redirect(url_for("imports.preview", batch_id=batch.id))
        refusal.error.message = str(refusal.error.message)  # plain text: the template escapes it
        show_error(form, refusal.error)
        status = getattr(refusal.error, "status", None)
    page, code = render_form("imports/upload.html", form, kind=kind, columns=COLUMNS[kind])
    return page, status or code


def _preview_page(batch: ImportBatch, report, status: int = 200, alert=None):
    # Messages are lazy translations, which Jinja takes for safe markup (flask_babel's
    # LazyString.__html__); the template renders them with `| string` so the uploaded
    # values inside them are escaped.
    problems_only = arg_int("problems") == 1
    rows = services.rows_page(report, page_arg(), problems_only)
    form = CommitForm(formdata=None)
    page = render_template(
        "imports/preview.html", batch=batch, report=report, rows=rows, form=form, alert=alert,
        problems_only=problems_only, counts=report.counts(), columns=_columns_of(batch),
        previous=queries.previous_import(batch))
    return page, status


def _columns_of(batch: ImportBatch) -> list:
    """The columns the file has (every stored row carries the same keys), in template order."""
    present = batch.rows[0]["values"] if batch.rows else {}
    return [column for column in COLUMNS[batch.kind] if column.key in present]


@bp.route("/<int:batch_id>")
def preview(batch_id: int):
    batch = get_visible_or_404(ImportBatch, batch_id, *BATCH_PAGE)
    return _preview_page(batch, services.preview(batch, date.today()))


@bp.route("/<int:batch_id>/commit", methods=["POST"])
def commit(batch_id: int):
    batch = get_visible_or_404(ImportBatch, batch_id, *BATCH_PAGE)
    if not CommitForm().validate_on_submit():
        return _preview_page(batch, services.preview(batch, date.today()), 400)
    with catch_refusal() as refusal:
        result = services.commit(batch, current_user, date.today())
        flash(_summary(result), "success")
        return redirect(url_for("imports.preview", batch_id=batch_id))
    error = refusal.error
    if isinstance(error, services.AlreadyImported):
        flash(str(error.message), "info")
        return redirect(url_for("imports.preview", batch_id=batch_id))
    batch = get_visible_or_404(ImportBatch, batch_id, *BATCH_PAGE)
    if isinstance(error, services.NotValid):
        return _preview_page(batch, error.report, 422, error.message)
    return _preview_page(batch, services.preview(batch, date.today()), 409, error.message)


def _summary(result: dict) -> str:
    if "vouchers" in result:
        return _("Imported. New vouchers: %(vouchers)d.", **result)
    return _("Imported. New students: %(students)d; new enrollments: %(enrollments)d.", **result)


@bp.route("/<int:batch_id>/report.csv")
def report_csv(batch_id: int):
    """The preview as a spreadsheet: every row with its status and problems, then its cells."""
    batch = get_visible_or_404(ImportBatch, batch_id, *BATCH_PAGE)
    report = services.preview(batch, date.today())
    keys = [column.key for column in COLUMNS[batch.kind]]
    headers = [_("Line"), _("Status"), _("Problems"), *template_headers(batch.kind)]
    rows = ([row.line, row.status.label, " ".join(str(p) for p in row.problems),
             *(row.values.get(key, "") for key in keys)] for row in report.rows)
    return csv_response(f"import-{batch.id}-report.csv", headers, rows)
