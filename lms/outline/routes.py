"""Admin pages of a course outline: modules and lessons, their order, retiring lessons. The views
join the catalog's blueprint (/admin/catalog/…, endpoints catalog.*)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import get_visible_or_404
from lms.catalog import bp
from lms.catalog.forms import (
    LessonEditForm,
    LessonForm,
    ModuleEditForm,
    ModuleForm,
    action_form,
    data_of,
)
from lms.catalog.models import Course, CourseModule, Lesson
from lms.catalog.routes import submit
from lms.core.extensions import db
from lms.core.views import UNPROCESSABLE, catch_refusal
from lms.outline import services

DIRECTIONS = "<any(up, down):direction>"


def outline_url(course_id: int) -> str:
    return url_for("catalog.outline", course_id=course_id)


def _outline_page(course: Course, module_form: ModuleForm | None = None, error=None):
    return render_template("catalog/outline.html", course=course,
                           modules=services.outline(course.id), error=error, action=action_form,
                           module_form=module_form or ModuleForm(formdata=None))


@bp.route("/courses/<int:course_id>", endpoint="outline")
def outline_page(course_id: int):
    return _outline_page(get_visible_or_404(Course, course_id))


@bp.route("/courses/<int:course_id>/modules", methods=["POST"])
def add_module(course_id: int):
    course = get_visible_or_404(Course, course_id)
    form = ModuleForm()
    if form.validate_on_submit():
        services.add_module(course, form.title.data, current_user)
        flash(_("The module is added."), "success")
        return redirect(outline_url(course_id))
    return _outline_page(course, form), UNPROCESSABLE


@bp.route("/modules/<int:module_id>", methods=["GET", "POST"])
def edit_module(module_id: int):
    module = get_visible_or_404(CourseModule, module_id)
    course_id = module.course_id
    form = ModuleEditForm(obj=module)
    return submit(form, lambda: services.edit_module(module, form.title.data, form.position.data,
                                                    current_user),
                  _("The module is saved."), lambda _r: outline_url(course_id),
                  "catalog/edit.html", title=_("Edit the module"), back=outline_url(course_id))


@bp.route("/modules/<int:module_id>/lessons/new", methods=["GET", "POST"])
def add_lesson(module_id: int):
    module = get_visible_or_404(CourseModule, module_id)
    course_id = module.course_id
    form = LessonForm()
    return submit(form, lambda: services.add_lesson(module, data_of(form), current_user),
                  _("The lesson is added."), lambda _r: outline_url(course_id),
                  "catalog/edit.html", title=_("New lesson in %(module)s", module=module.title),
                  back=outline_url(course_id))


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
def edit_lesson(lesson_id: int):
    lesson = get_visible_or_404(Lesson, lesson_id)
    course_id = lesson.module.course_id
    form = LessonEditForm(obj=lesson)
    form.module_id.choices = [(m.id, f"{m.position}. {m.title}")
                              for m in services.outline(course_id)]
    perform = lambda: services.edit_lesson(  # noqa: E731
        lesson, data_of(form, "module_id", "position"), form.module_id.data, form.position.data,
        current_user)
    return submit(form, perform, _("The lesson is saved."), lambda _r: outline_url(course_id),
                  "catalog/edit.html", title=_("Edit the lesson"), back=outline_url(course_id))


def _act(course_id: int, kind: str, object_id: int, perform, done: str):
    """One outline button: run it and go back to the outline; a refusal shows there (422)."""
    form = action_form(kind, object_id)
    if not form.validate_on_submit():
        return redirect(outline_url(course_id))
    with catch_refusal() as refusal:
        perform()
        flash(done, "success")
        return redirect(outline_url(course_id))
    return _outline_page(db.session.get(Course, course_id), error=refusal.error.message), \
        UNPROCESSABLE


@bp.route(f"/modules/<int:module_id>/move/{DIRECTIONS}", methods=["POST"])
def move_module(module_id: int, direction: str):
    module = get_visible_or_404(CourseModule, module_id)
    return _act(module.course_id, f"module-{direction}", module_id,
                lambda: services.step_module(module, direction, current_user),
                _("The module is moved."))


@bp.route(f"/lessons/<int:lesson_id>/move/{DIRECTIONS}", methods=["POST"])
def move_lesson(lesson_id: int, direction: str):
    lesson = get_visible_or_404(Lesson, lesson_id)
    return _act(lesson.module.course_id, f"lesson-{direction}", lesson_id,
                lambda: services.step_lesson(lesson, direction, current_user),
                _("The lesson is moved."))


@bp.route("/lessons/<int:lesson_id>/retire", methods=["POST"])
def retire_lesson(lesson_id: int):
    lesson = get_visible_or_404(Lesson, lesson_id)
    return _act(lesson.module.course_id, "retire", lesson_id,
                lambda: services.set_retired(lesson, True, current_user),
                _("The lesson is retired; its recorded progress is kept."))


@bp.route("/lessons/<int:lesson_id>/reinstate", methods=["POST"])
def reinstate_lesson(lesson_id: int):
    lesson = get_visible_or_404(Lesson, lesson_id)
    return _act(lesson.module.course_id, "reinstate", lesson_id,
                lambda: services.set_retired(lesson, False, current_user),
                _("The lesson is back in the course."))
