"""Why each index for the large data set exists: EXPLAIN ANALYZE of the statement it serves,
with the index and without it, on the large set.

Usage (PostgreSQL with `flask lms demo --size large` loaded):
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_large \
        python benchmarks/indexes.py [--center scale-01] [--out benchmarks/output/indexes.md]

"Without" drops the index inside a transaction that is rolled back (PostgreSQL's DDL is
transactional), so the database is left as it was. Each statement is the one a page sends, built
by the same functions, for one center (or, where the index serves the cluster, all centers) and
the calendar year the benchmark uses.
"""
import argparse
import os
import re
import statistics
import sys
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import sqlalchemy as sa  # noqa: E402

from benchmarks import publish  # noqa: E402
from lms import create_app  # noqa: E402
from lms.centers.models import Center  # noqa: E402
from lms.certifications.models import Pursuit  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.reports import activity, facts, funnel  # noqa: E402
from lms.reports.period import Period  # noqa: E402

ROUNDS = 5
PERIOD = Period(date(date.today().year, 1, 1), date(date.today().year, 12, 31))
MONTH = Period(date.today().replace(day=1), date.today())


def _count(select: sa.Select) -> sa.Select:
    return sa.select(sa.func.count()).select_from(select.subquery())


def _board(center_id: int) -> sa.Select:
    return (sa.select(Pursuit.id).where(Pursuit.center_id == center_id)
            .order_by(Pursuit.updated_at.desc(), Pursuit.id.desc()).limit(25))


# (index, its table, what reads it, the statement for one center)
CASES = (
    ("ix_progress_events_center_created", "progress_events",
     "Dashboard drill-down: the progress cells set in a month (the staff table itself reads "
     "lms/worklog's per-day summaries; over a whole year the range is a tenth of the table "
     "and the index gains little)",
     lambda c: _count(activity.progress_work(MONTH, [c]))),
    ("ix_pursuit_stage_changes_center_created", "pursuit_stage_changes",
     "Dashboard funnel: each pursuit's first reach of a stage in the period",
     lambda c: _count(funnel.first_reaches(PERIOD, [c]))),
    ("ix_pursuit_stage_changes_to_stage", "pursuit_stage_changes",
     "Exam results of all centers: the failed attempts of the period (cluster dashboard and "
     "donor report; one center's come from the center index above)",
     lambda _c: _count(facts.failed_results(PERIOD, None))),
    ("ix_lesson_progress_enrollment_updated", "lesson_progress",
     "Students at risk: no progress change for 14 days (dashboard, mentor home)",
     lambda c: _count(activity.at_risk(date.today(), [c]))),
    ("ix_pursuits_center_updated", "pursuits",
     "Certification board and pursuits API: a center's pursuits, newest change first",
     _board),
)


def explain(connection, statement: str, parameters: dict | None) -> tuple[float, str]:
    """Median execution time over ROUNDS, and the plan's lines that read the table."""
    times, plan = [], []
    for _ in range(ROUNDS):
        plan = [row[0] for row in connection.exec_driver_sql(
            "EXPLAIN (ANALYZE) " + statement, parameters)]
        times.append(float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1)))
    return statistics.median(times), "\n".join(plan)


def reads(plan: str, table: str) -> str:
    """The plan nodes that read `table` (how the index is used, or not)."""
    lines = [line.strip().lstrip("-> ").split("  (cost")[0] for line in plan.splitlines()
             if re.search(rf"\bon {table}\b", line)]
    return "; ".join(dict.fromkeys(lines)) or "(not read)"


def measure(center_id: int) -> list[tuple]:
    rows = []
    with db.engine.connect() as connection:
        for index, table, purpose, build in CASES:
            sql, params = str(build(center_id).compile(
                db.engine, compile_kwargs={"literal_binds": True})), None
            with_ms, with_plan = explain(connection, sql, params)
            connection.exec_driver_sql(f'DROP INDEX "{index}"')  # in the open transaction
            without_ms, without_plan = explain(connection, sql, params)
            connection.rollback()  # the index is back
            rows.append((index, purpose, with_ms, reads(with_plan, table), without_ms,
                         reads(without_plan, table)))
            print(f"{index:<42} with {with_ms:8.2f} ms   without {without_ms:8.2f} ms", flush=True)
    return rows


def markdown(rows: list[tuple], center: str) -> str:
    lines = [
        "# Indexes for the large data set, justified by EXPLAIN ANALYZE",
        "",
        f"Reproduce with `benchmarks/indexes.py` (median execution time of {ROUNDS} runs of the "
        f"statement a page sends, center `{center}`, {PERIOD.start} to {PERIOD.end}; the index is "
        "dropped in a rolled-back transaction for the second figure).",
        "",
        "| index | what reads it | with the index | without it |",
        "|---|---|---|---|",
    ]
    for index, purpose, with_ms, with_reads, without_ms, without_reads in rows:
        lines.append(f"| `{index}` | {purpose} | **{with_ms:.2f} ms**: {with_reads} | "
                     f"{without_ms:.2f} ms: {without_reads} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--center", default="scale-01")
    parser.add_argument("--out")
    args = parser.parse_args()
    app = create_app("development")
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            raise SystemExit("needs PostgreSQL (DDL inside a rolled-back transaction)")
        center_id = db.session.scalar(sa.select(Center.id).where(Center.slug == args.center))
        text = markdown(measure(center_id), args.center)
    publish(text, args.out)


if __name__ == "__main__":
    main()
