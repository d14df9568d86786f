"""Hostile files: whatever the bytes, parsing either refuses the file with a message or yields
rows whose validation reports problems; nothing else escapes (no 500)."""
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.imports import students, vouchers
from lms.imports.models import ImportKind
from lms.imports.parsing import FileRefused, parse
from tests.factories import make_center

pytestmark = pytest.mark.slow  # 200 generated files

HEADERS = ["email", "full_name", "date_of_birth", "sex", "cohort", "provider", "code", "value",
           "issued_on", "expires_on", "currency", "Електронна пошта", "ПІБ"]
cell = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "31.02.2010", "2010-05-31", "NaN", "1e999", "-1", "<b>x</b>", "a@b.org", "' OR 1=1",
     "\u202e", "\x00", "aws", "female", "так", "0", "9" * 40]))
text_file = st.builds(
    lambda sep, header, rows: "\n".join(sep.join(r) for r in [header, *rows]),
    st.sampled_from([",", ";"]), st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    st.lists(st.lists(cell, max_size=8), max_size=6))
hostile = st.one_of(st.binary(max_size=300), text_file.map(lambda t: t.encode("utf-8")),
                    text_file.map(lambda t: ("\ufeff" + t).encode("utf-8")))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=hostile, kind=st.sampled_from(list(ImportKind)))
def test_any_file_is_refused_or_validated_never_crashes(app_ctx, data, kind):
    center = _center()
    try:
        parsed = parse(kind, data)
    except FileRefused as refusal:
        assert str(refusal.message) and refusal.status in (413, 422)
        return
    validate = students.validate if kind == ImportKind.STUDENTS else vouchers.validate
    report = validate(center, parsed.rows, date.today())
    assert len(report.rows) == len(parsed.rows)
    for row in report.rows:
        assert all(str(problem) for problem in row.problems)


_made = {}


def _center():
    """One center for all examples of a test run (the database is emptied after the test)."""
    from lms.centers.models import Center
    from lms.core.extensions import db

    center = db.session.get(Center, _made.get("id", -1))
    if center is None:
        center = make_center()
        _made["id"] = center.id
    return center
