"""A center's certification counts and donor table through the API: the hand-computed figures
of tests/report_world.py, scoped like the heads' report pages."""
import pytest

from tests.api_support import bearer, make_token

PERIOD = "start=2025-01-01&end=2025-12-31"


def _get(client, user, url):
    return client.get(url, headers=bearer(make_token(user)))


def test_certification_counts_of_a_center(client, rw):
    body = _get(client, rw.head_a, f"/api/v1/centers/{rw.a.id}/certifications?{PERIOD}").get_json()
    assert body["center"]["id"] == rw.a.id
    assert body["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    total = body["total"]
    # Center A (report_world): CLF passed by olena and maksym, failed once by olena; SAA passed
    # by olena; dmytro's CLF expired in the period; iryna's self-reported pass counts nowhere.
    assert (total["passed"], total["failed"], total["expired"]) == (3, 1, 1)
    assert total["pass_rate"] == pytest.approx(3 / 4)
    assert sum(item["passed"] for item in body["items"]) == total["passed"]


def test_donor_table_of_a_center(client, rw):
    body = _get(client, rw.head_b, f"/api/v1/centers/{rw.b.id}/donor?{PERIOD}").get_json()
    columns = [(c["indicator"], c["key"]) for c in body["columns"]]
    counts = dict(zip(columns, body["total"]["counts"], strict=True))
    # Center B: olena, taras, sofia participate; nobody completed; taras and nadia sat an
    # exam; nadia is certified (Cisco, associate).
    assert (counts[("participants", "")], counts[("completed", "")], counts[("sat", "")],
            counts[("certified", "")]) == (3, 0, 2, 1)
    for section in body["sections"]:  # every disaggregation adds up to the total
        sums = [sum(column) for column in zip(*(row["counts"] for row in section["rows"]))]
        assert sums == body["total"]["counts"], section["dimension"]


def test_another_center_is_a_404_and_admins_see_every_center(client, rw):
    for path in ("certifications", "donor"):
        assert _get(client, rw.head_a, f"/api/v1/centers/{rw.b.id}/{path}?{PERIOD}").status_code == 404
        assert _get(client, rw.admin, f"/api/v1/centers/{rw.b.id}/{path}?{PERIOD}").status_code == 200


def test_the_period_is_required_and_checked(client, rw):
    secret = make_token(rw.head_a)
    for query, field in (("", "start"), ("start=2025-01-01", "end"), ("start=2025-13-01&end=2025-12-31", "start"),
                         ("start=2025-06-01&end=2025-01-01", "end"),
                         ("start=2000-01-01&end=2025-01-01", "end")):
        response = client.get(f"/api/v1/centers/{rw.a.id}/donor?{query}", headers=bearer(secret))
        assert response.status_code == 400, query
        assert field in response.get_json()["error"]["fields"], query


@pytest.mark.parametrize("path", ["certifications", "donor"])
def test_statement_count_does_not_grow(world, page_statements, path):
    from datetime import date

    from lms.certifications.models import Stage
    from lms.core.model_types import utcnow
    from tests import factories

    secret = make_token(world.a.head)
    url = f"/api/v1/centers/{world.a.center.id}/{path}?start=2020-01-01&end={date.today()}"

    def statements():
        return page_statements(url, headers=bearer(secret))

    def add_certified_students(count: int) -> None:
        for _ in range(count):
            student = factories.make_user(center=world.a.center)
            factories.enroll(student, world.a.cohort)
            factories.make_pursuit(student, factories.make_certification(), stage=Stage.PASSED,
                                   result_date=date.today(), credential_id="X",
                                   verified_at=utcnow())
    add_certified_students(1)
    statements()  # the token's first use records it
    few = statements()
    add_certified_students(3)
    assert statements() == few <= 8, few


def test_certification_funnel_of_a_center(client):
    """The funnel of tests/dashboard_world.py (its hand-worked FUNNEL and MEDIAN), per center."""
    from datetime import date

    from tests import dashboard_world

    dw = dashboard_world.build_dashboard_world(date.today())
    period = f"start={dashboard_world.P.start}&end={dashboard_world.P.end}"
    for scope in ("A", "B"):
        side = getattr(dw, scope)
        body = _get(client, side.head, f"/api/v1/centers/{side.center.id}/funnel?{period}").get_json()
        assert {s["stage"]: s["reached"] for s in body["stages"]} == dashboard_world.FUNNEL[scope]
        assert body["median_days_preparing_to_passed"] == dashboard_world.MEDIAN[scope]
        first, second = body["stages"][:2]
        assert first["conversion"] is None
        assert second["conversion"] == pytest.approx(second["reached"] / first["reached"])
    other = _get(client, dw.A.head, f"/api/v1/centers/{dw.B.center.id}/funnel?{period}")
    assert other.status_code == 404 and other.get_json()["error"]["code"] == "not_found"
