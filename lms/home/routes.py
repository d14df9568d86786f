"""Landing pages: `/` sends each role to its own home."""
from datetime import date

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user

from lms.access import EVERYONE, allow, gate
from lms.core.views import page_arg
from lms.home import classes, queries
from lms.users.models import Role

bp = Blueprint("home", __name__)
gate(bp, EVERYONE)

LANDING = {
    Role.STUDENT: "home.student",
    Role.MENTOR: "home.mentor",
    Role.HEAD: "home.head",
    Role.ADMIN: "home.admin",
}


@bp.route("/")
def index():
    return redirect(url_for(LANDING[current_user.role]))


@bp.route("/my")
@allow(Role.STUDENT)
def student():
    return render_template(
        "home/student.html",
        enrollments=queries.student_enrollments(current_user),
        paths=queries.student_paths(current_user, date.today()),
    )


@bp.route("/mentor")
@allow(Role.MENTOR)
def mentor():
    today = date.today()
    overview = queries.mentor_overview(current_user, today)
    return render_template("home/mentor.html", today=today,
                           classes=classes.mentor_classes(current_user.id, today), **overview)


@bp.route("/center")
@allow(Role.HEAD)
def head():
    today = date.today()
    overview = queries.head_overview(
        current_user, today, page=page_arg(), per_page=current_app.config["PER_PAGE"])
    return render_template("home/head.html", today=today,
                           classes=classes.center_classes(current_user.center_id, today),
                           **overview)


@bp.route("/cluster")
@allow(Role.ADMIN)
def admin():
    return render_template("home/admin.html", rows=queries.cluster_overview())
