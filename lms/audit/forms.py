"""The audit log's filter form: a GET form, so it can be bookmarked and carries no CSRF token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DateField, SearchField, SelectField, SubmitField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import Select

from lms.core.fields import WholeNumberField, optional_id
from lms.core.model_types import MAX_ID
from lms.core.views import FREE_TEXT_MAX


class GroupedSelect(Select):
    """A select whose choices are grouped; the group named "" holds options outside any group
    (the "all" choice on top), which the stock widget would wrap in an unnamed optgroup."""

    def __call__(self, field, **kwargs):
        html = str(super().__call__(field, **kwargs))
        return Markup(html.replace('<optgroup label="">', "", 1).replace("</optgroup>", "", 1)
                      if '<optgroup label="">' in html else html)


def _stripped(value):
    return value.strip() if isinstance(value, str) else value




class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    person = SearchField(_l("Person"), filters=[_stripped],
                         validators=[Optional(), Length(max=FREE_TEXT_MAX)],
                         description=_l("Part of the name or e-mail of who made the change."))
    object_type = SelectField(_l("Object"), validators=[Optional()])
    object_id = WholeNumberField(_l("Object id"),
                             validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    action = SelectField(_l("Action"), validators=[Optional()], widget=GroupedSelect())
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    center = SelectField(_l("Center"), coerce=optional_id, validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date cannot be before the start date."))
