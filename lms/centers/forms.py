"""The admin's form for a resource center."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from lms.catalog.forms import SLUG, ActionForm, stripped


class CenterForm(FlaskForm):
    name = StringField(_l("Name"), filters=[stripped], validators=[DataRequired(), Length(max=200)])
    slug = StringField(_l("Slug"), filters=[stripped],
                       validators=[DataRequired(), Length(max=60), SLUG],
                       description=_l("Used in addresses and on the command line, "
                                      "e.g. kramatorsk."))
    city = StringField(_l("City"), filters=[stripped], validators=[DataRequired(), Length(max=120)])
    region = StringField(_l("Region (oblast)"), filters=[stripped],
                         validators=[DataRequired(), Length(max=120)])
    cluster = StringField(_l("Cluster"), filters=[stripped],
                          validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save"))


def activation_form(center_id: int, active: bool) -> ActionForm:
    """The deactivate (or reactivate) button of one center in the list."""
    form = ActionForm(prefix=f"center-{center_id}")
    form.submit.label.text = _l("Deactivate") if active else _l("Reactivate")
    return form
