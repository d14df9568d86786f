"""Everything the path and pursuit pages show, gathered in a fixed number of queries."""
from datetime import date

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import get_visible_or_404, is_staff, visible
from lms.certifications import display, queries, services, voucher_assignment
from lms.certifications.credentials import REPORTABLE_FROM
from lms.certifications.display import path_card
from lms.certifications.forms import (
    InvalidateForm,
    PracticeForm,
    PreparingForm,
    RejectForm,
    RenewalForm,
    ReportForm,
    VerifyForm,
    VoucherForm,
)
from lms.certifications.models import Pursuit, Stage
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.core.formats import local_date
from lms.core.views import UNPROCESSABLE
from lms.evidence.forms import EvidenceForm
from lms.evidence.queries import items_for
from lms.users.models import User


def stage_or_404(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        abort(404)


def certification_choices(catalog) -> list[tuple[str, str]]:
    return [("", _("— choose —"))] + [
        (str(c.id), f"{c.provider.name} · {c.name}" + (f" ({c.exam_code})" if c.exam_code else ""))
        for c in catalog]


def flash_guardian_warning(student: User, certification, today: date) -> None:
    warning = services.guardian_warning(student, certification, today)
    if warning:
        flash(warning, "warning")


def fill_choices(form, pursuit: Pursuit, user: User, today: date) -> None:
    """Choices that depend on the center: its cohorts and its voucher stock."""
    if isinstance(form, PreparingForm):
        cohorts = db.session.scalars(visible(Cohort).order_by(Cohort.start_date.desc()).limit(200))
        form.prep_cohort_id.choices = [("", _("— none —"))] + [(str(c.id), c.name) for c in cohorts]
    if isinstance(form, VoucherForm):
        stock = db.session.scalars(voucher_assignment.assignable(pursuit, today).limit(200))
        form.voucher_id.choices = [("", _("— none —"))] + [
            (str(v.id), _voucher_label(v, user)) for v in stock]


def _voucher_label(voucher, user: User) -> str:
    return _("%(code)s · expires %(date)s", code=display.shown_code(voucher, user),
             date=local_date(voucher.expires_on))


def path_page(pursuit: Pursuit, today: date) -> dict:
    """The student's own view of one path."""
    return {
        "pursuit": pursuit,
        "card": path_card(pursuit, today),
        "history": queries.history(pursuit),
        "scores": queries.practice_scores(pursuit),
        "evidence_items": items_for(pursuit),
        "evidence_form": EvidenceForm(formdata=None),
        "can_report": pursuit.stage in REPORTABLE_FROM,
    }


def render_path_page(pursuit_id: int, **override):
    """Re-render the page a pursuit form came from (student's or staff's) after a refusal."""
    pursuit = get_visible_or_404(Pursuit, pursuit_id, *queries.PURSUIT_CARD)
    if is_staff(current_user):
        context = {**pursuit_page(pursuit, date.today()), **override}
        return render_template("pursuits/show.html", **context), UNPROCESSABLE
    context = {**path_page(pursuit, date.today()), "form": ReportForm(formdata=None), **override}
    return render_template("paths/show.html", **context), UNPROCESSABLE


ACTION_FORMS = {
    "practice": PracticeForm, "verify": VerifyForm, "reject": RejectForm,
    "renew": RenewalForm, "invalidate": InvalidateForm,
}


def pursuit_page(pursuit: Pursuit, today: date, failed=None) -> dict:
    """The staff view of one path, with a form per action (`failed` keeps its errors)."""
    forms = {name: form_class(prefix=name, formdata=None) for name, form_class in ACTION_FORMS.items()}
    if failed is not None:
        forms[failed._prefix.rstrip("-")] = failed
    return {
        **path_page(pursuit, today),
        "card": path_card(pursuit, today, for_staff=True),
        "moves": services.allowed_moves(pursuit),
        "vouchers": queries.vouchers_of(pursuit),
        "forms": forms,
    }
