"""Time the dashboards: the bare aggregate SQL (`dashboard_aggregates`) against the whole page
through the WSGI stack, for one center and for the cluster, on the demo data.

Usage: DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench python benchmarks/dashboard.py
The database is emptied and rebuilt with the demo data (three centers). Prints medians.
"""
import os
import statistics
import sys
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import sqlalchemy as sa  # noqa: E402

from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.dashboard.figures import dashboard_aggregates  # noqa: E402
from lms.demo.builder import ADMIN_EMAIL, DEMO_PASSWORD, build_demo  # noqa: E402
from lms.reports.period import Preset, preset_period  # noqa: E402
from lms.users.models import Role, User  # noqa: E402

ROUNDS = 9


def median_ms(run) -> float:
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    app = create_app("development", WTF_CSRF_ENABLED=False)
    app.config["DEBUG"] = False
    with app.app_context():
        db.drop_all()
        db.create_all()
        build_demo("small")
        head = db.session.scalars(sa.select(User).where(User.role == Role.HEAD)).first()
        center_id, head_email = head.center_id, head.email
        period = preset_period(Preset.FISCAL_YEAR, date.today())
        bare_center = median_ms(lambda: dashboard_aggregates([center_id], period, date.today()))
        bare_cluster = median_ms(lambda: dashboard_aggregates(None, period, date.today()))
    client = app.test_client()

    def page(email, url):
        client.post("/auth/logout")
        client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        return median_ms(lambda: client.get(url))

    page_center = page(head_email, f"/dashboard/centers/{center_id}?preset=fiscal")
    page_cluster = page(ADMIN_EMAIL, "/dashboard/cluster?preset=fiscal")
    print("database:", app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0])
    print(f"center dashboard:  aggregates {bare_center:.0f} ms, page {page_center:.0f} ms")
    print(f"cluster dashboard: aggregates {bare_cluster:.0f} ms, page {page_cluster:.0f} ms")


if __name__ == "__main__":
    main()
