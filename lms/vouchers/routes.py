"""The voucher stock pages (`vouchers`): list, download, add by hand, a voucher's page, revoke."""
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import MANAGERS, gate, get_visible_or_404, is_cluster_wide, own_center_id, visible
from lms.audit.log import describe_all
from lms.catalog.models import Certification, Provider
from lms.centers.models import Center
from lms.certifications.models import Voucher, VoucherStatus
from lms.core.exports import csv_response
from lms.core.extensions import db
from lms.core.views import arg_choice, arg_int, catch_refusal, page_arg, render_form
from lms.vouchers import queries, services
from lms.vouchers.forms import RevokeForm, VoucherAddForm, to_voucher_input
from lms.vouchers.queries import VoucherFilter

bp = Blueprint("vouchers", __name__, url_prefix="/vouchers")
gate(bp, MANAGERS)


def _filters() -> VoucherFilter:
    expiring = request.args.get("expiring", "")
    if expiring not in ("", "1"):
        abort(400)
    return VoucherFilter(status=arg_choice("status", VoucherStatus), provider_id=arg_int("provider"),
                         certification_id=arg_int("certification"), expiring=expiring == "1",
                         center_id=arg_int("center"))


@bp.route("/")
def index():
    filters, today = _filters(), date.today()
    page = db.paginate(queries.filtered(filters, today), page=page_arg(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("vouchers/index.html", page=page, filters=filters, today=today,
                           options=queries.filter_options(), shown_status=queries.shown_status)


@bp.route("/export.csv")
def export():
    headers = [_("Center"), _("Provider"), _("Certification"), _("Code"), _("Status"), _("Value"),
               _("Currency"), _("Funder"), _("Issued on"), _("Expires on"), _("Assigned to"),
               _("Reason for revoking")]
    return csv_response("vouchers.csv", headers,
                        queries.export_rows(_filters(), current_user, date.today()))


def _fill_choices(form: VoucherAddForm) -> None:
    """Admins choose the center; a head's vouchers always go to the head's own center."""
    if not is_cluster_wide(current_user):
        del form.center_id
    else:
        centers = db.session.scalars(visible(Center).order_by(Center.name))
        form.center_id.choices = [(c.id, c.name) for c in centers]
    providers = db.session.scalars(sa.select(Provider).order_by(Provider.name))
    form.provider_id.choices = [(p.id, p.name) for p in providers]
    certifications = db.session.scalars(sa.select(Certification).order_by(Certification.name))
    form.certification_id.choices = [("", _("Any certification of the provider"))] + [
        (str(c.id), f"{c.provider.name} · {c.name}") for c in certifications]


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = VoucherAddForm()
    _fill_choices(form)
    if form.validate_on_submit():
        center_id = own_center_id(current_user) or form.center_id.data
        with catch_refusal(form):
            voucher = services.add_voucher(get_visible_or_404(Center, center_id),
                                           to_voucher_input(form), current_user)
            flash(_("The voucher was added to the stock."), "success")
            return redirect(url_for("vouchers.show", voucher_id=voucher.id))
    return render_form("vouchers/new.html", form)


def _voucher_page(voucher_id: int, form: RevokeForm) -> dict:
    voucher = get_visible_or_404(Voucher, voucher_id, *queries.VOUCHER_ROW)
    return {"voucher": voucher, "history": describe_all(queries.history(voucher)),
            "form": form, "status": queries.shown_status(voucher, date.today())}


@bp.route("/<int:voucher_id>")
def show(voucher_id: int):
    return render_template("vouchers/show.html", **_voucher_page(voucher_id, RevokeForm()))


@bp.route("/<int:voucher_id>/revoke", methods=["POST"])
def revoke(voucher_id: int):
    voucher = get_visible_or_404(Voucher, voucher_id)
    form = RevokeForm()
    if form.validate_on_submit():
        with catch_refusal(form):
            services.revoke(voucher, form.reason.data, current_user)
            flash(_("The voucher was revoked."), "success")
            return redirect(url_for("vouchers.show", voucher_id=voucher_id))
    page = _voucher_page(voucher_id, form)
    return render_form("vouchers/show.html", page.pop("form"), **page)
