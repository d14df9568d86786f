"""SPEC §7: the SQL statements a page sends do not grow with the data. The tour of every role's
pages (benchmarks/tour.py, also timed by benchmarks/pages.py) runs on the small demo data and again
on a center of the medium data set (ten times the people of a small center, 125 students a
cohort); each page must send exactly as many statements on both."""
import sqlalchemy as sa

from benchmarks import tour
from lms.core.extensions import db
from lms.demo.builder import build_demo
from lms.demo.scale import build_scale


def statements_per_stop(app, center_slug: str, count_queries) -> dict[str, int]:
    stops = tour.stops(tour.cast_of(center_slug))
    counts = {}
    with tour.api_tokens({stop.email for stop in stops if stop.api}) as secrets:
        db.session.remove()  # the requests below must not find the tour's objects cached
        visitor = tour.Visitor(app, secrets)
        for stop in stops:
            visitor.get(stop)  # first visit: session and caches settle
            with count_queries() as sent:
                response = visitor.get(stop)
            assert response.status_code == 200, (stop.url, response.status_code)
            counts[stop.name] = len(sent)
    return counts


def test_every_page_sends_as_many_statements_on_medium_data_as_on_small(app, count_queries):
    build_demo()
    small = statements_per_stop(app, "kramatorsk", count_queries)
    build_scale("medium")
    medium = statements_per_stop(app, "scale-01", count_queries)
    enrollments = db.session.scalar(sa.text("SELECT count(*) FROM enrollments"))
    assert enrollments > 6000  # the medium set really is there
    assert medium == small
