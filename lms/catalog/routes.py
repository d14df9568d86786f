"""Admin catalog pages: tracks, courses, providers and certifications (the outline: lms/outline)."""
from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lms.access import ADMINS, gate, get_visible_or_404
from lms.catalog import bp, queries, services
from lms.catalog.forms import CertificationForm, CourseForm, ProviderForm, TrackForm, data_of
from lms.catalog.models import Certification, Course, Provider, Track
from lms.core.views import arg_int, catch_refusal, page_arg, render_form

gate(bp, ADMINS)  # the outline's views (lms/outline/routes.py) share it


def submit(form: FlaskForm, perform: Callable, done: str, then: Callable, template: str,
           **context):
    """Validate, run one service and redirect to `then(result)`; a refusal is shown next to
    its field with nothing written (422)."""
    if form.validate_on_submit():
        with catch_refusal(form):
            result = perform()
            flash(done, "success")
            return redirect(then(result))
    return render_form(template, form, **context)


def per_page() -> int:
    return current_app.config["PER_PAGE"]


def published_arg() -> bool | None:
    """?published=yes|no; anything else is a 400."""
    raw = request.args.get("published", "")
    if raw not in ("", "yes", "no"):
        abort(400)
    return None if raw == "" else raw == "yes"


@bp.route("/")
def index():
    return redirect(url_for("catalog.courses"))


# --- tracks ---------------------------------------------------------------------------

@bp.route("/tracks")
def tracks():
    return render_template("catalog/tracks.html", page=queries.tracks_page(page_arg(), per_page()))


@bp.route("/tracks/new", methods=["GET", "POST"], defaults={"track_id": None})
@bp.route("/tracks/<int:track_id>", methods=["GET", "POST"])
def edit_track(track_id: int | None):
    track = get_visible_or_404(Track, track_id) if track_id else Track()
    form = TrackForm(obj=track)
    return submit(form, lambda: services.save_track(track, data_of(form), current_user),
                  _("The track is saved."), lambda _t: url_for("catalog.tracks"),
                  "catalog/edit.html", title=_("Edit the track") if track_id else _("New track"),
                  back=url_for("catalog.tracks"))


# --- courses --------------------------------------------------------------------------

@bp.route("/courses")
def courses():
    track_id, published = arg_int("track"), published_arg()
    page = queries.courses_page(page_arg(), per_page(), track_id, published)
    return render_template("catalog/courses.html", page=page, tracks=queries.track_choices(),
                           counts=queries.lesson_counts([c.id for c in page.items]),
                           filters={"track": track_id, "published": request.args.get("published")})


@bp.route("/courses/new", methods=["GET", "POST"], defaults={"course_id": None})
@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def edit_course(course_id: int | None):
    course = get_visible_or_404(Course, course_id) if course_id else Course()
    form = CourseForm(obj=course)
    form.track_id.choices = queries.track_choices()
    return submit(form, lambda: services.save_course(course, data_of(form), current_user),
                  _("The course is saved."),
                  lambda saved: url_for("catalog.outline", course_id=saved.id),
                  "catalog/edit.html", title=_("Edit the course") if course_id else _("New course"),
                  back=url_for("catalog.courses"))


# --- providers ------------------------------------------------------------------------

@bp.route("/providers")
def providers():
    return render_template("catalog/providers.html",
                           page=queries.providers_page(page_arg(), per_page()))


@bp.route("/providers/new", methods=["GET", "POST"], defaults={"provider_id": None})
@bp.route("/providers/<int:provider_id>", methods=["GET", "POST"])
def edit_provider(provider_id: int | None):
    provider = get_visible_or_404(Provider, provider_id) if provider_id else Provider()
    form = ProviderForm(obj=provider)
    return submit(form, lambda: services.save_provider(provider, data_of(form), current_user),
                  _("The provider is saved."), lambda _p: url_for("catalog.providers"),
                  "catalog/edit.html",
                  title=_("Edit the provider") if provider_id else _("New provider"),
                  back=url_for("catalog.providers"))


# --- certifications -------------------------------------------------------------------

@bp.route("/certifications")
def certifications():
    provider_id = arg_int("provider")
    page = queries.certifications_page(page_arg(), per_page(), provider_id)
    return render_template("catalog/certifications.html", page=page, provider_id=provider_id,
                           providers=queries.provider_choices())


@bp.route("/certifications/new", methods=["GET", "POST"], defaults={"certification_id": None})
@bp.route("/certifications/<int:certification_id>", methods=["GET", "POST"])
def edit_certification(certification_id: int | None):
    certification = (get_visible_or_404(Certification, certification_id,
                                        *queries.CERTIFICATION_CARD)
                     if certification_id else Certification(is_active=True))
    form = CertificationForm(obj=certification)
    if not form.is_submitted():
        form.course_ids.data = [c.id for c in certification.preparing_courses]
    form.provider_id.choices = queries.provider_choices()
    form.course_ids.choices = queries.course_choices()
    return submit(form, lambda: services.save_certification(
                      certification, data_of(form, "course_ids"), form.course_ids.data or [],
                      current_user),
                  _("The certification is saved."), lambda _c: url_for("catalog.certifications"),
                  "catalog/edit.html", title=(_("Edit the certification") if certification_id
                         else _("New certification")),
                  back=url_for("catalog.certifications"))
