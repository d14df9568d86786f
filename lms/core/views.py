"""Small helpers shared by the thin views."""
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from flask import abort, render_template, request
from flask_wtf import FlaskForm

from lms.core.refusal import Refused
from lms.core.transactions import discard_changes

UNPROCESSABLE = 422


def render_form(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """Render a page with a form; a submitted form with errors answers 422, not 200."""
    status = UNPROCESSABLE if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


def arg_int(name: str) -> int | None:
    """An optional positive integer from the query string; anything else is a 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit() or len(raw) > 12:
        abort(400)
    return int(raw)


def arg_choice(name: str, enum: type[Enum]):
    """An optional enumeration member from the query string; an unknown value is a 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    try:
        return enum(raw)
    except ValueError:
        abort(400)


def page_arg() -> int:
    return arg_int("page") or 1


class Refusal:
    """What `catch_refusal` caught: the service's refusal, or None when the block ran through."""

    error: Refused | None = None


@contextmanager
def catch_refusal(form: FlaskForm | None = None) -> Iterator[Refusal]:
    """Around a service's writes: when the rules refuse, undo everything the request wrote so
    far, show why on `form` (if given) and carry on after the `with` block. The undo comes first,
    so the page shown next reads the database as it was, and a redirect (which commits) cannot
    keep half of the work."""
    refusal = Refusal()
    try:
        yield refusal
    except Refused as error:
        discard_changes()
        refusal.error = error
        if form is not None:
            show_error(form, error)


def show_error(form: FlaskForm, error) -> None:
    """Put a service's refusal next to its field, or at the top of the form."""
    field = form._fields.get(error.field_name or "")
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
