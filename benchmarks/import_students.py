"""Time a CSV import of 5 000 students (with cohort enrollment) through the full WSGI stack.

Usage: DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench python benchmarks/import_students.py
The database is emptied and rebuilt. Prints the time of the upload, the preview page, the
commit, and the SQL statements the commit sent.
"""
import io
import os
import sys
import time

import sqlalchemy as sa

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from benchmarks.bench_data import PASSWORD, build_center  # noqa: E402
from lms import create_app  # noqa: E402
from lms.core.extensions import db  # noqa: E402
from lms.users.models import Role  # noqa: E402

ROWS = 5000


def build(app) -> str:
    with app.app_context():
        db.drop_all()
        db.create_all()
        return build_center({Role.HEAD: "head@bench.example"}).name


def timed(label: str, call):
    start = time.perf_counter()
    response = call()
    print(f"{label:<28} {(time.perf_counter() - start) * 1000:8.0f} ms  HTTP {response.status_code}")
    return response


def main():
    app = create_app("development", WTF_CSRF_ENABLED=False)
    app.config["DEBUG"] = False
    cohort = build(app)
    content = "Електронна пошта;ПІБ;Дата народження;Стать;Група\n" + "".join(
        f"student{n}@bench.example;Учень Номер {n};01.02.2010;female;{cohort}\n" for n in range(ROWS))
    client = app.test_client()
    client.post("/auth/login", data={"email": "head@bench.example", "password": PASSWORD})
    upload = timed(f"upload {ROWS} rows", lambda: client.post(
        "/imports/students/upload", content_type="multipart/form-data",
        data={"file": (io.BytesIO(content.encode()), "bench.csv")}))
    batch = upload.location.rsplit("/", 1)[-1]
    timed("preview (first page)", lambda: client.get(f"/imports/{batch}"))
    statements = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        timed("commit", lambda: client.post(f"/imports/{batch}/commit"))
    print(f"statements sent by the commit: {len(statements)}")


if __name__ == "__main__":
    main()
