"""EXPLAIN ANALYZE of every statement the tour's pages send, on the large data set.

Usage (PostgreSQL with `flask lms demo --size large` loaded):
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_large \
        python benchmarks/explain.py [--center scale-01] [--out benchmarks/output/explain.md]

For each page it lists the statements slower than --slow ms with their plans, and checks that no
page for one center reads a whole big table (a sequential scan of lesson progress, progress
events, attendance, stage history or the audit log). Exits 1 when one does.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from benchmarks import tour  # noqa: E402
from benchmarks.pages import captured_statements  # noqa: E402
from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.users.models import Role  # noqa: E402

BIG_TABLES = ("lesson_progress", "progress_events", "attendance", "pursuit_stage_changes",
              "audit_log")
WHOLE_SCAN = re.compile(r"Seq Scan on (" + "|".join(BIG_TABLES) + r")\b")


def explain(statement: str, parameters) -> tuple[float, str]:
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        connection.rollback()
        return (time.perf_counter() - started) * 1000, plan
    finally:
        connection.close()


def report(center: str, slow_ms: float) -> tuple[str, list[str]]:
    app = create_app("development", WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    app.config["DEBUG"] = False
    with app.app_context():
        stops = tour.stops(tour.cast_of(center))
    sections, offenders = [], []
    with app.app_context(), tour.api_tokens({s.email for s in stops if s.api}) as secrets:
        visitor = tour.Visitor(app, secrets)
        for stop in stops:
            statements = [s for s in captured_statements(visitor, stop)
                          if s[0].lstrip().upper().startswith(("SELECT", "WITH"))]
            plans = [(*explain(sql, params), sql) for sql, params in statements]
            sections += _section(stop, statements, plans, offenders, slow_ms)
    return "\n".join(sections), offenders


def _section(stop, statements, plans, offenders: list, slow_ms: float) -> list[str]:
    """The page's heading, its slow or whole-table plans; a one-center page's whole-table scans
    go to `offenders`. The admin's pages cover every center: reading a whole table for a year
    of all centers is their expected plan, so those are shown but not counted."""
    scans = [p for p in plans if WHOLE_SCAN.search(p[1])]
    if stop.role != Role.ADMIN:
        offenders += [f"{stop.name}: {WHOLE_SCAN.search(p[1]).group(0)}" for p in scans]
    sections = [f"## {stop.name} `{stop.url}`\n\n{len(statements)} SELECT statements, "
                f"{sum(p[0] for p in plans):.1f} ms in all under EXPLAIN ANALYZE.\n"]
    for ms, plan, sql in (p for p in plans if p[0] >= slow_ms or p in scans):
        sections.append(f"### {ms:.1f} ms\n\n```sql\n{sql.strip()}\n```\n\n```\n{plan}\n```\n")
    return sections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--center", default="scale-01")
    parser.add_argument("--slow", type=float, default=20.0, help="show plans of statements slower than this")
    parser.add_argument("--out")
    args = parser.parse_args()
    text, offenders = report(args.center, args.slow)
    verdict = ("No page for one center reads a whole progress, attendance, history or audit "
               "table (the cluster-wide pages of the admin may, and are shown below)."
               if not offenders else "Whole-table scans:\n" + "\n".join(f"- {o}" for o in offenders))
    text = f"# Query plans of the tour on the large data set\n\n{verdict}\n\n{text}"
    if args.out:
        with open(args.out, "w") as out:
            out.write(text)
    print(verdict)
    sys.exit(1 if offenders else 0)


if __name__ == "__main__":
    main()
