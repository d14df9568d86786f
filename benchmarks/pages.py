"""Every page of the tour (benchmarks/tour.py) through the full WSGI stack, on the large data set.

Usage (see `make bench`):
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_large \
        python benchmarks/pages.py [--center scale-01] [--rounds 15] [--out benchmarks/output/benchmarks.md]

Each request is repeated; the table gives the median and p95 in milliseconds and the SQL
statements per request. Bare-SQL comparisons (the dashboard's and the donor report's aggregates
run directly) are added by `benchmarks/aggregates.py` when those reports exist.
"""
import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import sqlalchemy as sa  # noqa: E402

from benchmarks import (
    publish,  # noqa: E402
    tour,  # noqa: E402
)
from lms import create_app, freeze_startup_objects  # noqa: E402
from lms.core.extensions import db  # noqa: E402

TARGET_MS = 150


def measure(visitor, stop, rounds: int) -> tuple[list[float], int]:
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    timings = []
    try:
        for round_ in range(rounds + 2):  # two warm-up requests fill the caches
            statements.clear()
            started = time.perf_counter()
            response = visitor.get(stop)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (stop.url, response.status_code)
            if round_ >= 2:
                timings.append(elapsed)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return timings, len(statements)


def captured_statements(visitor, stop) -> list[tuple[str, object]]:
    """The SQL statements (with their parameters) one request of the stop sends."""
    sent = []

    def keep(_conn, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        assert visitor.get(stop).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    return sent


def bare_sql_ms(statements: list[tuple[str, object]], rounds: int) -> float:
    """Median time to run exactly those statements on a raw DB-API cursor, fetching every row:
    the floor the page's own cost is compared with (SPEC §7: at most 2×)."""
    connection = db.engine.raw_connection()
    timings = []
    try:
        for round_ in range(rounds + 2):
            cursor = connection.cursor()
            started = time.perf_counter()
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            connection.rollback()
            if round_ >= 2:
                timings.append(elapsed)
    finally:
        connection.close()
    return statistics.median(timings)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in open("/proc/meminfo")
                   if line.startswith("MemTotal")), 0)
    with db.engine.connect() as connection:
        server = connection.exec_driver_sql("SELECT version()").scalar() \
            if db.engine.dialect.name == "postgresql" else "SQLite " + connection.exec_driver_sql(
                "select sqlite_version()").scalar()
    return (f"{cpu}, {os.cpu_count()} cores, {memory} GiB RAM; Python {platform.python_version()}; "
            f"{server.split(',')[0]}")


def data_size() -> str:
    names = ["users", "enrollments", "lesson_progress", "attendance", "pursuits",
             "pursuit_stage_changes", "vouchers"]
    with db.engine.connect() as connection:
        counts = {n: connection.exec_driver_sql(f"SELECT count(*) FROM {n}").scalar() for n in names}
    return ", ".join(f"{n} {c:,}" for n, c in counts.items())


# Pages whose cost is compared with their bare SQL (SPEC §7 names the dashboard; issue 8 adds
# the donor report). Matched by the tour's stop names.
BARE_SQL_PAGES = ("head dashboard", "donor report")


def run(center: str, rounds: int, only: str = "") -> list[tuple]:
    app = create_app("development", WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    app.config["DEBUG"] = False
    freeze_startup_objects()  # as lms/wsgi.py does in production
    rows = []
    with app.app_context():
        stops = [s for s in tour.stops(tour.cast_of(center)) if only in s.name]
    with app.app_context(), tour.api_tokens({s.email for s in stops if s.api}) as secrets:
        visitor = tour.Visitor(app, secrets)
        for stop in stops:
            timings, statements = measure(visitor, stop, rounds)
            bare = (bare_sql_ms(captured_statements(visitor, stop), rounds)
                    if stop.name in BARE_SQL_PAGES else None)
            rows.append((stop.role.value, stop.name, stop.url, statistics.median(timings),
                         p95(timings), statements, bare))
            ratio = f"  bare SQL {bare:6.1f} ms, ratio {rows[-1][3] / bare:4.2f}" if bare else ""
            print(f"{stop.role.value:<8} {stop.name:<30} median {rows[-1][3]:6.1f} ms  "
                  f"p95 {rows[-1][4]:6.1f} ms  {statements:3d} statements{ratio}", flush=True)
    return rows


def table(rows: list[tuple]) -> str:
    lines = ["| role | page | URL | median ms | p95 ms | SQL statements | under 150 ms | bare SQL ms | app ÷ SQL |",
             "|---|---|---|---:|---:|---:|:---:|---:|---:|"]
    for r, n, u, m, p, s, bare in rows:
        compared = f"{bare:.1f} | {m / bare:.2f}" if bare else "— | —"
        lines.append(f"| {r} | {n} | `{u}` | {m:.1f} | {p:.1f} | {s} | "
                     f"{'yes' if m < TARGET_MS else '**no**'} | {compared} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--center", default="scale-01")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--out", help="write the Markdown table to this file")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    args = parser.parse_args()
    rows = run(args.center, args.rounds, args.only)
    app = create_app("development")
    with app.app_context():
        header = (f"Measured {date.today().isoformat()} on {machine()}.\n\n"
                  f"Data: {data_size()}.\n\nCenter `{args.center}`, {args.rounds} requests per page "
                  f"after 2 warm-ups, full WSGI stack in-process (Flask test client).\n\n")
    text = header + table(rows) + "\n"
    publish(text, args.out)


if __name__ == "__main__":
    main()
