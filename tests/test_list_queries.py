"""The scoped list queries load what their rows show and refuse everything else: a template that
reaches for a relationship the query did not load fails loudly (raiseload), instead of sending
one statement per row."""
from datetime import date

import pytest
import sqlalchemy as sa
from flask_login import login_user

from lms.audit.log import AuditFilter
from lms.audit.log import filtered as audit_list
from lms.certifications.queries import BoardFilter, board_query
from lms.cohorts.queries import CohortFilter
from lms.cohorts.queries import filtered as cohort_list
from lms.core.extensions import db
from lms.people.queries import Criteria, people_query
from lms.vouchers.queries import VoucherFilter
from lms.vouchers.queries import filtered as voucher_list

LISTS = {
    "people": lambda user: people_query(user, Criteria(status="all")),
    "cohorts": lambda user: cohort_list(CohortFilter()),
    "vouchers": lambda user: voucher_list(VoucherFilter(), date.today()),
    "certification board": lambda user: board_query(BoardFilter()),
    "audit log": lambda user: audit_list(AuditFilter()),
}


def raises_on_any_other_relationship(query: sa.Select) -> bool:
    """Whether the query carries raiseload("*"): relationships it did not name raise."""
    return any(getattr(option, "strategy", None) == (("lazy", "raise"),)
               and getattr(option, "path", None) == ("relationship:_sa_default",)
               for option in query._with_options)


@pytest.mark.parametrize("name", LISTS)
def test_each_list_query_refuses_lazy_loads(app, world, name):
    with app.test_request_context():
        login_user(world.a.head)
        assert raises_on_any_other_relationship(LISTS[name](world.a.head)), name
        assert not raises_on_any_other_relationship(sa.select(type(world.a.head)))


def test_a_row_reaching_past_what_its_list_loaded_fails_loudly(app, world):
    """The same option on a list that loads nothing: the first relationship a template touched
    would raise at once (the pages' own lists load everything their templates read, which the
    URL-map crawl in test_access.py renders for every role)."""
    with app.test_request_context():
        login_user(world.a.head)
        db.session.expunge_all()
        query = cohort_list(CohortFilter())
        bare = sa.select(query.column_descriptions[0]["entity"]).where(
            query.whereclause).options(sa.orm.raiseload("*"))
        cohort = db.session.scalars(bare).first()
        with pytest.raises(sa.exc.InvalidRequestError, match="lazy='raise'"):
            cohort.course  # the attribute read is the test
