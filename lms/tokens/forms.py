"""Forms of the account's token page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from lms.core.fields import WholeNumberField, destructive
from lms.core.model_types import MAX_ID
from lms.tokens.models import TokenScope


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)],
                       description=_l("What the token is for, e.g. “Donor report script”."))
    scope = SelectField(_l("Access"), choices=TokenScope.choices(), default=TokenScope.READ.value,
                        validators=[InputRequired()],
                        description=_l("Read only: the program can read but not record anything "
                                       "(a report script). Read and write: it can also record "
                                       "progress and move certification paths."))
    expires_on = DateField(_l("Expires on (optional)"), validators=[Optional()],
                           description=_l("The token stops working on this day. Leave empty to "
                                          "keep it until you revoke it."))
    submit = SubmitField(_l("Create token"))


class RevokeForm(FlaskForm):
    token_id = WholeNumberField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    submit = SubmitField(_l("Revoke"), render_kw=destructive(
        _l("Revoke this token? Programs using it stop working.")))
