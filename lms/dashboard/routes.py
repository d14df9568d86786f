"""Dashboard pages: a center's (its head, or any admin) and the cluster's (admins), each number
leading to the rows behind it, every table downloadable as CSV."""
from datetime import date

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import MANAGERS, allow, gate, get_visible_or_404, is_cluster_wide
from lms.centers.models import Center
from lms.core.exports import csv_response
from lms.core.views import page_arg
from lms.dashboard import drilldown, pages
from lms.users.models import Role

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
gate(bp, MANAGERS)


@bp.context_processor
def _helpers() -> dict:
    return {"drill_url": pages.drill_url,
            "cell_text": lambda row, column: drilldown.cell(row, column, screen=True)}


@bp.route("/")
def index():
    """A head's own center; an admin (no center) goes to the cluster."""
    if is_cluster_wide(current_user):
        return redirect(url_for("dashboard.cluster"))
    return redirect(url_for("dashboard.center", center_id=current_user.center_id))


def _dashboard(template: str, scope: pages.Scope, **context):
    form, period = pages.read_period(request.args, date.today())
    if period is None:  # the form shows what is wrong with the dates
        return render_template(template, form=form, page=None, scope=scope, **context), 422
    page = pages.dashboard_page(scope, period, date.today())
    return render_template(template, form=form, page=page, period=period, scope=scope, **context)


@bp.route("/centers/<int:center_id>")
def center(center_id: int):
    center = get_visible_or_404(Center, center_id)
    return _dashboard("dashboard/center.html", pages.center_scope(center), center=center)


@bp.route("/cluster")
@allow(Role.ADMIN)
def cluster():
    return _dashboard("dashboard/cluster.html", pages.cluster_scope())


def _people(scope_args: dict, center_ids, figure: str, title_scope: str):
    drill = pages.drill_or_404(figure)
    period = pages.period_or_400(request.args, date.today())
    ask = pages.ask_from_args(drill, period, center_ids, date.today())
    rows = drilldown.page_of(drill, ask, page_arg(), current_app.config["PER_PAGE"])
    args = {**scope_args, "figure": figure, **period.as_args(), **pages.filter_args(ask)}
    return render_template("dashboard/people.html", drill=drill, rows=rows, args=args,
                           period=period, title_scope=title_scope)


def _people_csv(center_ids, figure: str, filename: str):
    drill = pages.drill_or_404(figure)
    period = pages.period_or_400(request.args, date.today())
    ask = pages.ask_from_args(drill, period, center_ids, date.today())
    found = drilldown.all_rows(drill, ask)  # read before the response streams
    rows = ([drilldown.cell(row, column) for column in drill.columns] for row in found)
    return csv_response(f"{filename}-{figure}-{period.start}-{period.end}.csv",
                        [column.header for column in drill.columns], rows)


@bp.route("/centers/<int:center_id>/people/<figure>")
def center_people(center_id: int, figure: str):
    center = get_visible_or_404(Center, center_id)
    return _people({"center_id": center.id}, [center.id], figure, center.name)


@bp.route("/centers/<int:center_id>/people/<figure>/csv")
def center_people_csv(center_id: int, figure: str):
    center = get_visible_or_404(Center, center_id)
    return _people_csv([center.id], figure, center.slug)


@bp.route("/cluster/people/<figure>")
@allow(Role.ADMIN)
def cluster_people(figure: str):
    return _people({}, None, figure, _("Cluster total"))


@bp.route("/cluster/people/<figure>/csv")
@allow(Role.ADMIN)
def cluster_people_csv(figure: str):
    return _people_csv(None, figure, "cluster")


def _table_csv(scope: pages.Scope, name: str, filename: str):
    period = pages.period_or_400(request.args, date.today())
    table = pages.table_or_404(pages.dashboard_page(scope, period, date.today()), name)
    rows = ([row.label, *(cell.value if cell.kind == "number" else cell.text
                          for cell in row.cells)] for row in table.rows)
    return csv_response(f"{filename}-{name}-{period.start}-{period.end}.csv", table.headers, rows)


@bp.route("/centers/<int:center_id>/csv/<table>")
def center_csv(center_id: int, table: str):
    center = get_visible_or_404(Center, center_id)
    return _table_csv(pages.center_scope(center), table, center.slug)


@bp.route("/cluster/csv/<table>")
@allow(Role.ADMIN)
def cluster_csv(table: str):
    return _table_csv(pages.cluster_scope(), table, "cluster")
