"""Forms of the staff's student page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

NOTE_MAX = 5000


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Note"), filters=[_stripped], validators=[DataRequired(), Length(max=NOTE_MAX)],
        render_kw={"rows": 3},
        description=_l("Visible to the mentors and the head of the student's center."))
    submit = SubmitField(_l("Add the note"))
