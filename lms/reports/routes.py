"""The heads' and admins' reports: donor report and certifications report, drill-downs, downloads."""
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _

from lms.access import MANAGERS, gate
from lms.catalog.models import Certification
from lms.core.exports import Sheet, csv_response, xlsx_response
from lms.core.extensions import db
from lms.core.views import arg_int, page_arg
from lms.reports import certifications as certs
from lms.reports import dimensions, donor, people, tables
from lms.reports.forms import CertificationsForm, ReportForm, read_form

bp = Blueprint("reports", __name__, url_prefix="/reports")
gate(bp, MANAGERS)
FILTER_ARGS = ("provider", "cohort", "sex", "age_band")
DONOR_CELL = {"indicator": donor.PARTICIPANTS, "key": "", "dimension": dimensions.TOTAL,
              "value": ""}


@bp.context_processor
def _helpers():
    return {"rate": tables.rate}


def _scope(form_class):
    """The validated form, period, centers and the query-string arguments reproducing them;
    an invalid filter renders the report page with its errors (422)."""
    form, valid = read_form(form_class)
    if not valid:
        template = ("reports/donor.html" if form_class is ReportForm
                    else "reports/certifications.html")
        abort(current_app.make_response((render_template(template, form=form, report=None,
                                                         args={}), 422)))
    period, centers = form.period(date.today()), form.center_ids()
    args = dict(period.as_args())
    if centers and "center" in form:
        args["center"] = centers
    for name in FILTER_ARGS:
        if name in form and form[name].data:
            args[name] = form[name].data
    return form, period, centers, args


def _about(period, centers) -> list[list[str]]:
    names = dimensions.center_names(set(centers)) if centers else {}
    return [[_("From"), period.start], [_("To"), period.end],
            [_("Centers"), ", ".join(sorted(names.values())) if centers else _("Whole cluster")]]


# --- donor report ----------------------------------------------------------------------

@bp.route("/donor")
def donor_report():
    form, period, centers, args = _scope(ReportForm)
    return render_template("reports/donor.html", form=form, args=args,
                           report=donor.donor_report(period, centers))


@bp.route("/donor.csv")
def donor_csv():
    _form, period, centers, _args = _scope(ReportForm)
    headers, rows = tables.donor_flat(donor.donor_report(period, centers))
    return csv_response(f"donor-report-{period.start}-{period.end}.csv", headers, rows)


@bp.route("/donor.xlsx")
def donor_xlsx():
    _form, period, centers, _args = _scope(ReportForm)
    sheets = tables.donor_sheets(donor.donor_report(period, centers), _about(period, centers))
    return xlsx_response(f"donor-report-{period.start}-{period.end}.xlsx", sheets)


def _donor_cell():
    """The cell a drill-down link names (default: all participants); anything unknown is a 400."""
    cell = {name: request.args.get(name, default) for name, default in DONOR_CELL.items()}
    if not donor.valid_cell(cell["indicator"], cell["key"]) or not dimensions.valid_value(
            cell["dimension"], cell["value"]):
        abort(400)
    return cell


@bp.route("/donor/people")
def donor_people():
    form, period, centers, args = _scope(ReportForm)
    cell = _donor_cell()
    ids = donor.people_ids(period, centers, **cell)
    page = people.people_page(ids, period.end, page_arg(), current_app.config["PER_PAGE"])
    title = _donor_title(cell)
    return render_template("reports/people.html", page=page, title=title, period=period,
                           headers=people.HEADERS,
                           args={**args, **cell}, endpoint="reports.donor_people",
                           csv_endpoint="reports.donor_people_csv", back="reports.donor_report")


@bp.route("/donor/people.csv")
def donor_people_csv():
    _form, period, centers, _args = _scope(ReportForm)
    ids = donor.people_ids(period, centers, **_donor_cell())
    return csv_response("donor-report-people.csv", people.HEADERS, people.people_rows(ids, period.end))


def _donor_title(cell) -> str:
    report_columns = {**donor.BASIC, donor.BY_PROVIDER: _("Certified by provider"),
                      donor.BY_LEVEL: _("Certified at level")}
    parts = [str(report_columns[cell["indicator"]])]
    if cell["key"]:
        parts.append(cell["key"] if cell["indicator"] == donor.BY_LEVEL else "#" + cell["key"])
    if cell["dimension"] != dimensions.TOTAL:
        parts.append(f'{dimensions.BY_KEY[cell["dimension"]].label}: '
                     f'{dimensions.value_label(cell["dimension"], cell["value"])}')
    return " · ".join(parts)


# --- certifications report ---------------------------------------------------------------

def _certifications(period, centers, form):
    return certs.certifications_report(period, centers, form.filters(), _("Total"))


@bp.route("/certifications")
def certifications():
    form, period, centers, args = _scope(CertificationsForm)
    return render_template("reports/certifications.html", form=form, args=args,
                           report=_certifications(period, centers, form))


@bp.route("/certifications.csv")
def certifications_csv():
    form, period, centers, _args = _scope(CertificationsForm)
    headers, rows = tables.certifications_table(_certifications(period, centers, form))
    return csv_response(f"certifications-{period.start}-{period.end}.csv", headers, rows)


@bp.route("/certifications.xlsx")
def certifications_xlsx():
    form, period, centers, _args = _scope(CertificationsForm)
    headers, rows = tables.certifications_table(_certifications(period, centers, form))
    return xlsx_response(f"certifications-{period.start}-{period.end}.xlsx",
                         [Sheet(_("Certifications"), headers, rows)])


def _certifications_cell() -> tuple[str, int | None]:
    kind = request.args.get("kind", certs.PASSED)
    if kind not in certs.KINDS:
        abort(400)
    return kind, arg_int("certification")


@bp.route("/certifications/people")
def certifications_people():
    form, period, centers, args = _scope(CertificationsForm)
    kind, certification_id = _certifications_cell()
    ids = certs.people_ids(period, centers, form.filters(), kind, certification_id)
    page = people.people_page(ids, period.end, page_arg(), current_app.config["PER_PAGE"])
    cell = {"kind": kind, "certification": certification_id or ""}
    title = str(certs.KINDS[kind])
    if certification_id is not None:
        certification = db.get_or_404(Certification, certification_id)
        title = f"{certification.name} · {title}"
    return render_template("reports/people.html", page=page, title=title, period=period,
                           headers=people.HEADERS, args={**args, **cell},
                           endpoint="reports.certifications_people",
                           csv_endpoint="reports.certifications_people_csv",
                           back="reports.certifications")


@bp.route("/certifications/people.csv")
def certifications_people_csv():
    form, period, centers, _args = _scope(CertificationsForm)
    kind, certification_id = _certifications_cell()
    ids = certs.people_ids(period, centers, form.filters(), kind, certification_id)
    return csv_response("certifications-people.csv", people.HEADERS,
                        people.people_rows(ids, period.end))
