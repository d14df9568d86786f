"""Forms of the import pages: the upload (an admin also picks the center) and the commit."""
from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from lms.access import get_visible_or_404, is_cluster_wide, visible
from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.fields import id_value


class UploadForm(FlaskForm):
    center_id = SelectField(_l("Center"), coerce=id_value, validators=[InputRequired()])
    file = FileField(_l("CSV file"), id="import-file", render_kw={"accept": ".csv,text/csv"},
                     validators=[FileRequired(_l("Choose a CSV file."))],
                     description=_l("UTF-8, with “,” or “;” between values; the first line "
                                    "names the columns."))
    submit = SubmitField(_l("Upload and preview"))

    def chosen_center(self, user) -> Center:
        """The center the file goes to: the one picked (admins) or the user's own."""
        if "center_id" in self:
            return get_visible_or_404(Center, self.center_id.data)
        center = db.session.get(Center, user.center_id)
        if center is None:
            abort(404)
        return center


def upload_form(user) -> UploadForm:
    """The upload form; the center choice only for people of the whole cluster (no center)."""
    form = UploadForm()
    if not is_cluster_wide(user):
        del form.center_id
    else:
        query = visible(Center, user).where(Center.is_active).order_by(Center.name)
        form.center_id.choices = [(c.id, c.name) for c in db.session.scalars(query)]
    return form


class CommitForm(FlaskForm):
    submit = SubmitField(_l("Import these rows"))
