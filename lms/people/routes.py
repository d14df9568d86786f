"""People pages for center heads (their center) and administrators (every center); the student
list also for mentors."""
from collections.abc import Callable
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from lms.access import MANAGERS, STAFF, allow, assignable_roles, gate, get_visible_or_404
from lms.core.exports import csv_response
from lms.core.views import catch_refusal, page_arg, render_form
from lms.people import forms, invitations, queries, services
from lms.users.models import Role, User

bp = Blueprint("people", __name__, url_prefix="/people")
gate(bp, MANAGERS)

_LINK_KEY = "invitation_link"  # shown once on the account page, then dropped from the session


def _load(user_id: int) -> User:
    """An account the signed-in user may manage: another center's (or an admin, for a head) is 404."""
    return get_visible_or_404(User, user_id, selectinload(User.profile))


def _criteria(students_only: bool = False) -> tuple[forms.FilterForm, queries.Criteria]:
    """The list filter from the query string; a value that is not on offer is a 400."""
    form = forms.FilterForm(formdata=request.args)
    forms.offer_centers(form, services.center_choices(current_user), current_user)
    if students_only:
        del form.role
    if not form.validate():
        abort(400)
    center = form.center.data if "center" in form else ""
    chosen = Role(form.role.data) if "role" in form and form.role.data else None
    role = Role.STUDENT if students_only else chosen
    criteria = queries.Criteria(text=form.q.data or "", center_id=int(center) if center else None,
                                role=role, status=form.status.data)
    return form, criteria


def _list_args(form) -> dict:
    """The filters to keep in page and download links: the form's own fields only, so no other
    name in the query string reaches url_for or the pagination macro."""
    return {name: request.args[name] for name in form._fields if request.args.get(name)}


@bp.route("/")
def index():
    form, criteria = _criteria()
    page = queries.people_page(current_user, criteria, page_arg(), current_app.config["PER_PAGE"])
    return render_template("people/index.html", form=form, page=page, args=_list_args(form),
                           state_of=queries.state_of)


@bp.route("/export.csv")
def export():
    _form, criteria = _criteria()
    return csv_response("people.csv", queries.export_headers(),
                        queries.export_rows(current_user, criteria))


@bp.route("/students")
@allow(*STAFF)
def students():
    """Students of the center for all its staff (SPEC §2: mentors see the center's students)."""
    form, criteria = _criteria(students_only=True)
    page = queries.people_page(current_user, criteria, page_arg(), current_app.config["PER_PAGE"])
    return render_template("people/students.html", form=form, page=page, args=_list_args(form),
                           state_of=queries.state_of, today=date.today())


@bp.route("/students.csv")
@allow(*STAFF)
def students_export():
    _form, criteria = _criteria(students_only=True)
    return csv_response("students.csv", queries.student_headers(),
                        queries.student_rows(current_user, criteria, date.today()))


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = forms.NewUserForm()
    forms.offer_roles(form, assignable_roles(current_user))
    forms.offer_centers(form, services.center_choices(current_user), current_user)
    if form.validate_on_submit():
        with catch_refusal(form):
            user = services.create_user(current_user, forms.account_data(form), form.profile_data())
            invitations.send(user, current_user, _hand_over(user))
            return redirect(url_for("people.show", user_id=user.id))
    return render_form("people/new.html", form)


def _hand_over(user: User) -> Callable[[str | None], None]:
    """What the sender learns once the invitation went out (after the commit): the link, shown
    once, when it was not mailed."""
    user_id, name, email = user.id, user.full_name, user.email  # plain values outlive the session

    def handed_over(link: str | None) -> None:
        if link:
            session[_LINK_KEY] = {"user_id": user_id, "link": link}
            flash(_("No e-mail was sent: give %(name)s the invitation link below.", name=name),
                  "warning")
        else:
            flash(_("An invitation was sent to %(email)s.", email=email), "success")
    return handed_over


def _account_page(user: User, status: int = 200, refusal: str | None = None):
    shown = session.get(_LINK_KEY) or {}
    link = session.pop(_LINK_KEY)["link"] if shown.get("user_id") == user.id else None
    return render_template("people/show.html", person=user, link=link, refusal=refusal,
                           actions=forms.action_forms(user), state=queries.state_of(user)), status


@bp.route("/<int:user_id>")
def show(user_id: int):
    return _account_page(_load(user_id))


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = _load(user_id)
    form = forms.EditUserForm(obj=user)
    forms.offer_roles(form, assignable_roles(current_user, user))
    del form.center_id  # an account stays in its center
    if form.validate_on_submit():
        with catch_refusal(form):
            changed = services.update_user(current_user, user, forms.account_data(form))
            flash(_("Saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("people.show", user_id=user_id))
    return render_form("people/edit.html", form, person=user)


@bp.route("/<int:user_id>/profile", methods=["GET", "POST"])
def profile(user_id: int):
    user = _load(user_id)
    if user.profile is None:
        abort(404)  # staff accounts have no student profile
    form = forms.ProfileForm(obj=user.profile)
    if form.validate_on_submit():
        changed = services.update_profile(current_user, user, form.profile_data())
        flash(_("The profile was saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for("people.show", user_id=user_id))
    return render_form("people/profile.html", form, person=user)


def _change(user_id: int, action: str, use_case, done=None) -> object:
    """Run one state change of an account from its button; a refusal shows the page again."""
    user = _load(user_id)
    if not forms.ACTIONS[action](prefix=action).validate_on_submit():
        abort(400)
    with catch_refusal() as refusal:
        use_case(current_user, user)
        if done:
            flash(done, "success")
        return redirect(url_for("people.show", user_id=user_id))
    return _account_page(_load(user_id), 422, refusal.error.message)


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    return _change(user_id, "deactivate", services.deactivate,
                   _l("The account was deactivated; its sessions have ended."))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    return _change(user_id, "reactivate", services.reactivate, _l("The account is active again."))


@bp.route("/<int:user_id>/archive", methods=["POST"])
def archive(user_id: int):
    return _change(user_id, "archive", services.archive, _l("The student was archived."))


@bp.route("/<int:user_id>/restore", methods=["POST"])
def restore(user_id: int):
    return _change(user_id, "restore", services.restore, _l("The student was restored."))


@bp.route("/<int:user_id>/invite", methods=["POST"])
def invite(user_id: int):
    return _change(user_id, "invite",
                   lambda actor, user: invitations.send_again(actor, user, _hand_over(user)))
