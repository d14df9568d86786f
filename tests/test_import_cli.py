"""`flask lms import-students`: the same service as the web page, driven by Click's runner."""
import sqlalchemy as sa

from lms.cohorts.models import Enrollment
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.imports.models import ImportBatch
from lms.users.models import User


def run(app, *args):
    return app.test_cli_runner().invoke(args=["lms", "import-students", *args, "--language", "en"])


def test_preview_then_commit_then_nothing_to_do(app, world, tmp_path):
    path = tmp_path / "students.csv"
    path.write_text(f"\ufeffemail;full_name;cohort\ncli@example.org;Cli Student;{world.a.cohort.name}\n",
                    encoding="utf-8")

    preview = run(app, str(path), "--center", "alpha")
    assert preview.exit_code == 0, preview.output
    assert "2: Will be created" in preview.output and "run again with --commit" in preview.output
    assert db.session.scalars(sa.select(User).where(User.email == "cli@example.org")).first() is None

    done = run(app, str(path), "--center", "alpha", "--commit")
    assert done.exit_code == 0, done.output
    assert "students: 1, enrollments: 1" in done.output
    student = db.session.scalars(sa.select(User).where(User.email == "cli@example.org")).one()
    assert db.session.scalars(sa.select(Enrollment.cohort_id).where(
        Enrollment.student_id == student.id)).all() == [world.a.cohort.id]
    batch = db.session.scalars(sa.select(ImportBatch)).one()
    assert batch.uploaded_by_id is None and batch.committed_at is not None
    assert batch.filename == "students.csv"
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.actor_id is None and entry.object_id == student.id

    again = run(app, str(path), "--center", "alpha", "--commit")
    assert again.exit_code == 0 and "students: 0, enrollments: 0" in again.output
    assert "2: Already exists; nothing to do" in again.output


def test_problems_are_printed_and_nothing_is_imported(app, world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("email,full_name,cohort\nbad-mail,X,\nok@example.org,OK,No Such Cohort\n")
    result = run(app, str(path), "--center", "alpha", "--commit")
    assert result.exit_code == 1
    assert "“bad-mail” is not a valid e-mail address." in result.output
    assert "Unknown cohort “No Such Cohort” at this center." in result.output
    assert "Nothing was imported" in result.output
    assert db.session.scalars(sa.select(User).where(User.email == "ok@example.org")).first() is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_an_unknown_center_or_a_binary_file_is_refused(app, world, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02")
    assert "There is no center nowhere." in run(app, str(path), "--center", "nowhere").output
    result = run(app, str(path), "--center", "alpha")
    assert result.exit_code == 1 and "not a CSV text file" in result.output
