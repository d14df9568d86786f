"""The reports' filter forms: GET forms on top of the period picker, every value validated."""
import sqlalchemy as sa
from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, SelectMultipleField

from lms.access import is_cluster_wide, visible, visible_center_ids
from lms.catalog.models import Provider
from lms.centers.models import Center
from lms.cohorts.models import Cohort
from lms.core.extensions import db
from lms.core.fields import id_value
from lms.core.views import parse_int
from lms.reports import facts
from lms.reports.certifications import Filters
from lms.reports.dimensions import age_band_label
from lms.reports.period import PeriodForm
from lms.users.models import Sex

ALL = ("", _l("All"))


class ReportForm(PeriodForm):
    """Period and, for admins, centers (none chosen: the whole cluster)."""

    center = SelectMultipleField(_l("Centers (none: the whole cluster)"), coerce=id_value,
                                 validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_cluster_wide(current_user):
            self.center.choices = [(c.id, c.name) for c in db.session.scalars(
                sa.select(Center).order_by(Center.name))]
        else:
            del self.center  # a head's reports cover their own center, nothing to choose

    def center_ids(self) -> list[int] | None:
        """The centers the report covers: a head's own, an admin's choice, None for all."""
        chosen = (self.center.data or ()) if "center" in self else ()
        return visible_center_ids(chosen)


class CertificationsForm(ReportForm):
    provider = SelectField(_l("Provider"), validate_choice=True, default="")
    cohort = SelectField(_l("Cohort"), validate_choice=True, default="")
    sex = SelectField(_l("Sex"), choices=[ALL, *Sex.choices()], validate_choice=True,
                      default="")
    age_band = SelectField(_l("Age band"), validate_choice=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider.choices = [ALL, *((str(p.id), p.name) for p in db.session.scalars(
            sa.select(Provider).order_by(Provider.name)))]
        cohorts = db.session.scalars(visible(Cohort).order_by(Cohort.start_date.desc(),
                                                              Cohort.name)).all()
        self.cohort.choices = [ALL, *((str(c.id), c.name) for c in cohorts)]
        self.age_band.choices = [ALL, *((k, age_band_label(k)) for k in facts.age_band_keys())]

    def filters(self) -> Filters:
        return Filters(provider_id=int(self.provider.data) if self.provider.data else None,
                       cohort_id=int(self.cohort.data) if self.cohort.data else None,
                       sex=self.sex.data or None, age_band=self.age_band.data or None)


def read_form(form_class):
    """Build and validate a report form from the query string; None when it is invalid.

    A head naming another center in the query string gets a 404, like any other object of
    another center; without arguments the defaults (this calendar year) apply."""
    form = form_class(formdata=request.args if request.args else None)
    if "center" not in form:  # nothing to choose, yet the query string may still name centers
        visible_center_ids(_named_center_ids())
    valid = form.validate() if request.args else True
    return form, valid


def _named_center_ids() -> list[int]:
    """The centers the query string names; a value that is no id names no center the user
    sees, so it answers 404 as well."""
    ids = [parse_int(value) for value in request.args.getlist("center")]
    if None in ids:
        abort(404)
    return ids
