"""Small helpers shared by the thin views."""
from flask import render_template
from flask_wtf import FlaskForm

UNPROCESSABLE = 422


def render_form(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """Render a page with a form; a submitted form with errors answers 422, not 200."""
    status = UNPROCESSABLE if form.is_submitted() and form.errors else 200
    return render_template(template, form=form, **context), status
