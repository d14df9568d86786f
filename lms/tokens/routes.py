"""The account's personal access tokens: list, create (secret shown once), revoke."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import EVERYONE, gate
from lms.core.views import UNPROCESSABLE, catch_refusal
from lms.tokens import queries, services
from lms.tokens.forms import RevokeForm, TokenForm
from lms.tokens.models import TokenScope

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")
gate(bp, EVERYONE)


def _page(form: TokenForm, status: int = 200, secret: str | None = None,
          scope: TokenScope | None = None):
    response = render_template("tokens/index.html", form=form, revoke=RevokeForm(formdata=None),
                               tokens=queries.tokens_of(current_user), today=date.today(),
                               secret=secret, scope=scope)
    # The page may carry a new secret: no cache may keep it.
    return response, status, {"Cache-Control": "no-store"}


@bp.route("/")
def index():
    return _page(TokenForm(formdata=None))


@bp.route("/", methods=["POST"])
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, UNPROCESSABLE)
    with catch_refusal(form):
        token, secret = services.create_token(current_user, form.name.data,
                                              form.expires_on.data, date.today(),
                                              scope=TokenScope(form.scope.data))
        # Rendered, not redirected: the secret must not travel through the session cookie.
        return _page(TokenForm(formdata=None), secret=secret, scope=token.scope)
    return _page(form, UNPROCESSABLE)


@bp.route("/revoke", methods=["POST"])
def revoke():
    form = RevokeForm()
    if not form.validate_on_submit():
        return _page(TokenForm(formdata=None), UNPROCESSABLE)
    token = queries.own_token(current_user, form.token_id.data)
    if token is None:
        abort(404)
    services.revoke_token(token, current_user)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("tokens.index"))
