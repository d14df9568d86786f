"""Report statements are built once per (period, centers, today), never their results."""
from datetime import date

from lms.dashboard import figures
from lms.reports.period import Period
from lms.reports.statements import built_once
from tests import factories as f

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def test_a_statement_is_built_once_per_values_and_a_list_of_ids_keys_like_a_tuple():
    builds = []

    @built_once
    def statement(period, center_ids, today):
        builds.append((period, center_ids, today))
        return object()

    first = statement(YEAR, [1, 2], date(2026, 5, 1))
    assert statement(YEAR, (1, 2), date(2026, 5, 1)) is first
    assert statement(YEAR, [2, 1], date(2026, 5, 1)) is not first  # another scope's order
    assert statement(YEAR, [1, 2], date(2026, 5, 2)) is not first  # another day
    assert statement(YEAR, None, date(2026, 5, 1)) is not first
    assert len(builds) == 4


def test_a_kept_statement_reads_the_data_of_the_moment():
    course = f.make_course()
    center = f.make_center("alpha")
    cohort = f.make_cohort(center, course, start_date=date(2026, 2, 1))

    def new_enrollments() -> int:
        return figures.headline(YEAR, [center.id], date(2026, 6, 1))["new_enrollments"][None]

    f.enroll(f.make_user(center=center), cohort, enrolled_on=date(2026, 3, 1))
    assert new_enrollments() == 1
    f.enroll(f.make_user(center=center), cohort, enrolled_on=date(2026, 4, 1))
    assert new_enrollments() == 2
