"""The admin's pages for resource centers."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import ADMINS, gate, get_visible_or_404
from lms.catalog.forms import data_of
from lms.catalog.routes import per_page, submit
from lms.centers import queries, services
from lms.centers.forms import CenterForm, activation_form
from lms.centers.models import Center
from lms.core.views import UNPROCESSABLE, catch_refusal, page_arg

bp = Blueprint("centers", __name__, url_prefix="/admin/centers")
gate(bp, ADMINS)


def _list_page(error=None):
    page = queries.centers_page(page_arg(), per_page())
    return render_template("centers/list.html", page=page, error=error,
                           actions={c.id: activation_form(c.id, c.is_active) for c in page.items})


@bp.route("/")
def list_centers():
    return _list_page()


@bp.route("/new", methods=["GET", "POST"], defaults={"center_id": None})
@bp.route("/<int:center_id>", methods=["GET", "POST"])
def edit(center_id: int | None):
    center = get_visible_or_404(Center, center_id) if center_id else Center()
    form = CenterForm(obj=center)
    return submit(form, lambda: services.save_center(center, data_of(form), current_user),
                  _("The center is saved."), lambda _c: url_for("centers.list_centers"),
                  "catalog/edit.html", title=_("Edit the center") if center_id else _("New center"),
                  back=url_for("centers.list_centers"))


def _set_active(center_id: int, active: bool, done: str):
    center = get_visible_or_404(Center, center_id)
    form = activation_form(center_id, not active)
    if form.validate_on_submit():
        with catch_refusal() as refusal:
            services.set_active(center, active, current_user)
            flash(done, "success")
        if refusal.error:
            return _list_page(refusal.error.message), UNPROCESSABLE
    return redirect(url_for("centers.list_centers"))


@bp.route("/<int:center_id>/deactivate", methods=["POST"])
def deactivate(center_id: int):
    """Deactivate a center (never delete): its people and history are kept."""
    return _set_active(center_id, False,
                       _("The center is deactivated; its people and history are kept."))


@bp.route("/<int:center_id>/reactivate", methods=["POST"])
def reactivate(center_id: int):
    return _set_active(center_id, True, _("The center is active again."))
