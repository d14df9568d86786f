"""The audit log for heads (own center) and admins (every center): filtered, newest first."""
from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from lms.access import MANAGERS, gate
from lms.audit import log
from lms.audit.forms import AuditFilterForm
from lms.core.exports import csv_response
from lms.core.views import UNPROCESSABLE, page_arg

bp = Blueprint("audit", __name__, url_prefix="/audit")
gate(bp, MANAGERS)


def _form(center_names: dict[int, str]) -> AuditFilterForm:
    """The filter form read from the query string; a center choice when several are visible."""
    form = AuditFilterForm(request.args)
    form.object_type.choices = [("", _("all"))] + log.object_choices()
    form.action.choices = {"": [("", _("all"))], **log.action_choices()}
    if len(center_names) > 1:
        form.center.choices = [("", _("all"))] + list(center_names.items())
    else:
        del form.center
    return form


def _filters(form: AuditFilterForm) -> log.AuditFilter:
    return log.AuditFilter(
        person=form.person.data or "", object_type=form.object_type.data or "",
        object_id=form.object_id.data, action=form.action.data or "",
        date_from=form.date_from.data, date_to=form.date_to.data,
        center_id=form.center.data if "center" in form else None)


def _refused(form: AuditFilterForm, center_names: dict[int, str]):
    """Invalid filters: the page again with each message next to its field, and no entries."""
    return render_template("audit/index.html", form=form, page=None, entries=[],
                           centers=center_names, args={}, filtering=True), UNPROCESSABLE


@bp.route("/")
def index():
    center_names = log.centers()
    form = _form(center_names)
    if not form.validate():
        return _refused(form, center_names)
    page, entries = log.entry_page(_filters(form), page_arg(), current_app.config["PER_PAGE"])
    # the form's own fields only: no other name in the query string reaches the page links
    args = {name: request.args[name] for name in form._fields if request.args.get(name)}
    filtering = any(name != "page" for name in args)
    return render_template("audit/index.html", form=form, page=page, entries=entries,
                           centers=center_names, args=args, filtering=filtering)


@bp.route("/export.csv")
def export():
    center_names = log.centers()
    form = _form(center_names)
    if not form.validate():
        return _refused(form, center_names)
    headers = [_("Time (UTC)"), _("Person"), _("E-mail"), _("Center"), _("Action"), _("Object"),
               _("Object id"), _("Changed fields"), _("Before"), _("After"), _("Client address")]
    return csv_response("audit-log.csv", headers, log.export_rows(_filters(form)))
