"""The language switch: anyone may choose Ukrainian or English; a signed-in user keeps it."""
from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from lms.access import EVERYONE, gate, public
from lms.core.security import is_safe_next

# Named "i18n" since the first release: templates post to url_for("i18n.set_language").
bp = Blueprint("i18n", __name__)
gate(bp, EVERYONE)


@bp.route("/language", methods=["POST"])
@public
def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["locale"] = language
    if current_user.is_authenticated:
        current_user.locale = language  # committed with the redirect
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))
