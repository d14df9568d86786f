"""Form field helpers shared by the domains' forms."""
from wtforms import IntegerField

from lms.core.views import parse_int


def destructive(question) -> dict:
    """render_kw for a submit button that removes, ends or undoes something (withdraw, revoke,
    retire, deactivate): the form macro draws it as a warning button and app.js asks `question`
    before sending. Without JavaScript the button still works; each such form is its own step
    (most ask for a reason), so nothing is lost by one accidental tap."""
    return {"data-confirm": question}


def id_value(value) -> int:
    """`coerce` for a choice of ids: an id as stored (an int) or as sent (ASCII digits within
    the id range, lms/core/views.parse_int); anything else is a ValueError, which WTForms
    shows as an invalid choice instead of passing a number no column can hold."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = parse_int(value, low=0)  # 0: "none" in some choices (an admin's center)
    if number is None:
        raise ValueError(value)
    return number


def optional_id(value) -> int | None:
    """`coerce` for a choice of ids that may be left empty."""
    return None if value in (None, "") else id_value(value)


class WholeNumberField(IntegerField):
    """IntegerField reading only ASCII digits up to MAX_ID: int() would take "１２" or "٣",
    and a number of 400 digits makes NumberRange fail converting it to a float (a 500)."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = parse_int(valuelist[0].strip(), low=0)
        if self.data is None:
            raise ValueError(self.gettext("Not a valid integer value."))
