"""The add-evidence form: a link or a file, exactly one of them."""
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, SubmitField, URLField

from lms.evidence.services import MAX_URL_LENGTH, human_size

# A hint for the browser's file picker only; the server decides by the file's content.
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


def _this_page() -> str:
    """Where to come back after the post: the page that shows the form."""
    return request.full_path.rstrip("?")


class EvidenceForm(FlaskForm):
    # Explicit ids: the form is a partial, included in pages that may have forms of their own.
    url = URLField(_l("Link"), id="evidence-url",
                   render_kw={"maxlength": MAX_URL_LENGTH, "autocomplete": "url"})
    file = FileField(_l("File"), id="evidence-file", render_kw={"accept": ACCEPT})
    next = HiddenField(id="evidence-next", default=_this_page)
    submit = SubmitField(_l("Add evidence"), id="evidence-submit")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = human_size(current_app.config["EVIDENCE_MAX_BYTES"])
        self.file.description = _l("PDF, PNG or JPEG, at most %(size)s.", size=limit)

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then: exactly one of a link and a file."""
        if not super().validate(extra_validators):
            return False
        has_link, has_file = bool((self.url.data or "").strip()), bool(self.file.data)
        if has_link == has_file:
            self.form_errors.append(_l("Enter a link or choose a file, not both.") if has_link
                                    else _l("Enter a link or choose a file."))
            return False
        return True
