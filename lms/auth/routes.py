"""Sign-in, sign-out and password views (thin: forms in, services do the work)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import EVERYONE, gate, public
from lms.auth import devices, services, sessions, throttle
from lms.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from lms.auth.passwords import verify_password
from lms.core.security import is_safe_next
from lms.core.views import render_form
from lms.people import invitations

bp = Blueprint("auth", __name__, url_prefix="/auth")
gate(bp, EVERYONE)


@bp.route("/login", methods=["GET", "POST"])
@public
@throttle.protect("signin", account=throttle.account_from_email(), device=devices.device_for)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Incorrect email or password."), "danger")
            return render_template("auth/login.html", form=form), 401
        sessions.begin(user, remember=form.remember.data)
        devices.trust_this_browser(throttle.email_key(form.email.data))
        target = request.args.get("next")
        return redirect(target if is_safe_next(target) else url_for("home.index"))
    return render_form("auth/login.html", form)


@bp.route("/logout", methods=["POST"])
def logout():
    sessions.end_this()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/logout-everywhere", methods=["POST"])
def logout_everywhere():
    sessions.end_all(current_user._get_current_object())
    sessions.end_this()
    flash(_("You have signed out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@public
@throttle.protect("reset-request", account=throttle.account_from_email())
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_reset_link(form.email.data)
        flash(_("If an account exists for that address, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_form("auth/forgot.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
@throttle.protect("reset", account=throttle.account_from_token(services.account_of_reset_token))
def reset_password(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid, expired or already used. Ask for a new one."), "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data, action="password.reset")
        sessions.end_this()  # every session of the account has ended; this browser signs in anew
        flash(_("Your password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_form("auth/reset.html", form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public
@throttle.protect("invitation", account=throttle.account_from_token(invitations.account_of_token))
def accept_invitation(token: str):
    user = invitations.user_from_token(token)
    if user is None:  # the same answer whatever is wrong, so nothing about accounts leaks
        flash(_("This invitation link is invalid, expired or already used. "
                "Ask your center for a new one."), "danger")
        return redirect(url_for("auth.login"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data, action="invitation.accept")
        sessions.begin(user)
        flash(_("Welcome! Your password is set."), "success")
        return redirect(url_for("home.index"))
    return render_form("auth/accept_invitation.html", form, invited=user)


@bp.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append(_("The current password is not correct."))
            return render_form("auth/change_password.html", form)
        user = current_user._get_current_object()
        services.set_password(user, form.password.data, action="password.change")
        sessions.renew(user)  # every other session and remember-me cookie has ended
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("home.index"))
    return render_form("auth/change_password.html", form)
