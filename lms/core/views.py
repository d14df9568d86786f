"""Small helpers shared by the thin views."""
import re
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum

from flask import abort, render_template, request
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter

from lms.core.model_types import MAX_ID
from lms.core.refusal import Refused
from lms.core.transactions import discard_changes

UNPROCESSABLE = 422


def render_form(template: str, form: FlaskForm, **context) -> tuple[str, int]:
    """Render a page with a form; a submitted form with errors answers 422, not 200."""
    status = UNPROCESSABLE if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


# ASCII digits only: str.isdigit() also says yes to "²" and "①" (int() then fails) and int()
# reads Arabic-Indic or full-width digits, so neither decides what a number is.
_DIGITS = re.compile(r"[0-9]{1,10}", re.ASCII)
FREE_TEXT_MAX = 100  # a search or filter text: longer is no name or e-mail anyone looks for


def parse_int(raw, low: int = 1, high: int = MAX_ID) -> int | None:
    """The whole number `raw` spells in ASCII digits, when it lies within low..high (by default
    the range of an id); None for anything else. The one integer parser for web and API input."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def arg_int(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """An optional whole number from the query string (an id unless told); anything else is a 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    value = parse_int(raw, low, high)
    if value is None:
        abort(400)
    return value


def arg_text(name: str) -> str:
    """An optional free text from the query string, stripped; longer than FREE_TEXT_MAX is a 400
    (a silent cut would search for something else than what was asked)."""
    text = request.args.get(name, "").strip()
    if len(text) > FREE_TEXT_MAX:
        abort(400)
    return text


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: an id beyond MAX_ID cannot exist, so it is a 404 before any
    query (SQLite cannot even bind an integer beyond 64 bits: that was a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


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
