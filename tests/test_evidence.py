"""Evidence: links and files on pursuits and lesson progress — checked by content, limited in size,
stored under random names, served only within scope, verified by staff."""
import hashlib
import html
import io
import os
import re

import pytest
import sqlalchemy as sa
from flask import render_template
from flask_login import login_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from lms.certifications.models import Evidence, EvidenceKind, Pursuit, Stage
from lms.core.audit import AuditEntry
from lms.core.extensions import db
from lms.evidence import queries, services
from lms.evidence.forms import EvidenceForm
from tests.factories import english, make_progress, signed_in

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")


# --- helpers -------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def in_english(world):
    """Messages are asserted in English (the msgids), whatever the catalogs translate."""
    english(world.admin, *(user for center in (world.a, world.b) for user in (
        center.head, center.mentor, center.other_mentor, center.student, center.minor)))


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """A fresh, not yet existing upload folder for this test (the service must create it)."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


def post_file(client, pursuit, content: bytes, name="cert.pdf", content_type="application/pdf",
              next_page="/my"):
    data = {"file": (io.BytesIO(content), name, content_type), "next": next_page}
    return client.post(f"/evidence/pursuit/{pursuit.id}", data=data,
                       content_type="multipart/form-data")


def post_link(client, pursuit, url, next_page="/my"):
    return client.post(f"/evidence/pursuit/{pursuit.id}", data={"url": url, "next": next_page})


def assert_refused(response, *messages: str) -> None:
    """A refusal re-renders the page it came from with the message, as a 422."""
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert any(message in page for message in messages), messages


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def files_in(folder) -> list[str]:
    """Every file in the upload folder, temporary ones included."""
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def evidence_rows() -> list[Evidence]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Evidence).order_by(Evidence.id)))


def evidence_audit() -> list[AuditEntry]:
    query = sa.select(AuditEntry).where(AuditEntry.action.like("evidence.%"))
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def assert_nothing_written(folder) -> None:
    assert evidence_rows() == []
    assert evidence_audit() == []
    assert files_in(folder) == []


def upload_as_student(app, world, content=PDF) -> Evidence:
    """A PDF uploaded by the student of center a to their own pursuit, through the route."""
    response = post_file(signed_in(app, world.a.student), world.a.pursuit, content)
    assert response.status_code == 302
    (evidence,) = evidence_rows()
    return evidence


# --- links ---------------------------------------------------------------------------------

def test_student_link_waits_for_a_mentor_who_verifies_it(app, world):
    student = signed_in(app, world.a.student)
    response = post_link(student, world.a.pursuit, "  https://www.credly.com/badges/abc-123  ")
    assert response.status_code == 302 and response.location == "/my"
    assert flashes(student) == [("success", "Evidence added. A mentor will verify it.")]

    (evidence,) = evidence_rows()
    assert evidence.kind == EvidenceKind.LINK
    assert evidence.url == "https://www.credly.com/badges/abc-123"
    assert evidence.pursuit_id == world.a.pursuit.id and evidence.progress_id is None
    assert evidence.stage == Stage.INTERESTED  # the pursuit's stage when it was added
    assert evidence.uploaded_by_id == world.a.student.id
    assert evidence.verified_by_id is None and evidence.verified_at is None
    (entry,) = evidence_audit()
    assert (entry.action, entry.actor_id, entry.center_id) == (
        "evidence.add_link", world.a.student.id, world.a.center.id)
    assert entry.object_id == evidence.id and entry.after["url"] == evidence.url

    mentor = signed_in(app, world.a.mentor)
    response = mentor.post(f"/evidence/{evidence.id}/verify", data={"next": "/mentor"})
    assert response.status_code == 302 and response.location == "/mentor"
    assert flashes(mentor) == [("success", "Evidence verified.")]
    (evidence,) = evidence_rows()
    assert evidence.verified_by_id == world.a.mentor.id and evidence.verified_at is not None
    assert [e.action for e in evidence_audit()] == ["evidence.add_link", "evidence.verify"]

    again = signed_in(app, world.a.head)
    again.post(f"/evidence/{evidence.id}/verify")
    assert flashes(again) == [("danger", "This evidence has already been verified.")]
    assert evidence_rows()[0].verified_by_id == world.a.mentor.id
    assert len(evidence_audit()) == 2


def test_evidence_added_by_staff_is_verified_at_once(app, world):
    post_link(signed_in(app, world.a.mentor), world.a.pursuit, "https://example.org/score.html")
    (evidence,) = evidence_rows()
    assert evidence.uploaded_by_id == evidence.verified_by_id == world.a.mentor.id
    assert evidence.verified_at is not None


@pytest.mark.parametrize("url", [
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/cert.pdf",
    "https://",
    "//example.org/cert",
    "https://exa mple.org/",
    "https://example.org/\njavascript:alert(1)",
    "https://example.org/" + "a" * 481,  # 501 characters
])
def test_links_other_than_http_and_https_are_refused(app, world, uploads, url):
    student = signed_in(app, world.a.student)
    response = post_link(student, world.a.pursuit, url)
    assert_refused(response, "Enter a link that starts with http:// or https://.",
                   "The link is too long: at most 500 characters.")
    assert_nothing_written(uploads)


def test_a_link_of_exactly_500_characters_is_accepted(app, world):
    url = "https://example.org/" + "a" * 480
    post_link(signed_in(app, world.a.student), world.a.pursuit, url)
    assert [e.url for e in evidence_rows()] == [url]


@pytest.mark.parametrize("data,message", [
    ({}, "Enter a link or choose a file."),
    ({"url": "https://example.org/a", "file": (io.BytesIO(PDF), "a.pdf")},
     "Enter a link or choose a file, not both."),
])
def test_exactly_one_of_link_and_file(app, world, uploads, data, message):
    student = signed_in(app, world.a.student)
    response = student.post(f"/evidence/pursuit/{world.a.pursuit.id}", data=data,
                            content_type="multipart/form-data")
    assert_refused(response, message)
    assert_nothing_written(uploads)


def test_next_must_stay_on_this_site(app, world):
    student = signed_in(app, world.a.student)
    response = post_link(student, world.a.pursuit, "https://example.org/a",
                         next_page="https://evil.example/phish")
    assert response.status_code == 302 and response.location == "/"


# --- files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("content,name,sent_type,content_type,original_name", [
    (PDF, "AWS cert (final).pdf", "application/pdf", "application/pdf", "AWS_cert_final.pdf"),
    (PNG, "badge.PNG", "image/png", "image/png", "badge.png"),
    (JPEG, "photo.jpeg", "image/jpeg", "image/jpeg", "photo.jpeg"),
    # The content decides, not the name or the browser: a PNG sent as "scan.pdf" is a PNG.
    (PNG, "scan.pdf", "application/pdf", "image/png", "scan.png"),
    (PDF, "../../etc/passwd", "text/plain", "application/pdf", "etc_passwd.pdf"),
    (JPEG, "сертифікат.jpg", "image/jpeg", "image/jpeg", "evidence.jpg"),
])
def test_upload_is_stored_under_a_random_name_and_downloads_unchanged(
        app, world, uploads, content, name, sent_type, content_type, original_name):
    student = signed_in(app, world.a.student)
    response = post_file(student, world.a.pursuit, content, name, sent_type)
    assert response.status_code == 302 and response.location == "/my"
    assert flashes(student) == [("success", "Evidence added. A mentor will verify it.")]

    (evidence,) = evidence_rows()
    assert evidence.kind == EvidenceKind.FILE and evidence.url is None
    assert RANDOM_NAME.match(evidence.stored_name)
    assert files_in(uploads) == [evidence.stored_name]  # no temporary file left
    assert (uploads / evidence.stored_name).read_bytes() == content
    assert evidence.content_type == content_type and evidence.original_name == original_name
    assert evidence.size_bytes == len(content)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence_audit()[0].after["sha256"] == evidence.sha256

    download = student.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200 and download.data == content
    assert download.mimetype == content_type
    assert download.headers["Content-Security-Policy"] == "sandbox"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-store"
    disposition = download.headers["Content-Disposition"]
    assert original_name in disposition
    assert disposition.startswith("attachment" if content_type == "application/pdf" else "inline")


def test_two_uploads_of_the_same_name_get_different_stored_names(app, world, uploads):
    student = signed_in(app, world.a.student)
    post_file(student, world.a.pursuit, PDF, "cert.pdf")
    post_file(student, world.a.pursuit, PDF, "cert.pdf")
    first, second = evidence_rows()
    assert first.stored_name != second.stored_name
    assert files_in(uploads) == sorted([first.stored_name, second.stored_name])


@pytest.mark.parametrize("content", [ELF, EXE, b"<html><script>alert(1)</script></html>",
                                     b"%PD", b"GIF89a\x01\x00\x01\x00"])
def test_a_renamed_executable_or_other_type_is_refused(app, world, uploads, content):
    student = signed_in(app, world.a.student)
    response = post_file(student, world.a.pursuit, content, "cert.pdf", "application/pdf")
    assert_refused(response, "Only PDF, PNG and JPEG files are accepted.")
    assert_nothing_written(uploads)


def test_an_empty_file_is_refused(app, world, uploads):
    student = signed_in(app, world.a.student)
    assert_refused(post_file(student, world.a.pursuit, b"", "cert.pdf"), "The file is empty.")
    assert_nothing_written(uploads)


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_accepted(
        app, world, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)  # restored after the test
    student = signed_in(app, world.a.student)
    too_big = PDF + b"0" * (1024 + 1 - len(PDF))
    response = post_file(student, world.a.pursuit, too_big)
    assert_refused(response, "The file is too large: at most 1 kB.")
    assert_nothing_written(uploads)

    post_file(student, world.a.pursuit, too_big[:1024])
    assert [e.size_bytes for e in evidence_rows()] == [1024]


def test_the_default_limit_refuses_one_byte_more(app, world, uploads):
    limit = app.config["EVIDENCE_MAX_BYTES"]
    student = signed_in(app, world.a.student)
    response = post_file(student, world.a.pursuit, PDF + b"0" * (limit + 1 - len(PDF)))
    assert_refused(response, "The file is too large: at most 5 MB.")
    assert_nothing_written(uploads)


def test_a_request_over_the_content_length_limit_answers_413(app, world, uploads, monkeypatch):
    # The upload route's own limit: the file's, plus 64 KiB for the form around it.
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 1024)
    response = post_file(signed_in(app, world.a.student), world.a.pursuit,
                         PDF + b"0" * (1024 + 65 * 1024))
    assert response.status_code == 413
    assert_nothing_written(uploads)


def test_a_failed_insert_leaves_no_file_behind(world, uploads):
    missing = Pursuit(id=10**6, center_id=world.a.center.id, stage=Stage.INTERESTED)
    with pytest.raises(IntegrityError):  # the pursuit does not exist: a foreign key violation
        services.add_file(missing, FileStorage(io.BytesIO(PDF), "cert.pdf"), world.a.mentor)
    db.session.rollback()
    assert_nothing_written(uploads)


# --- who may add, download and verify ------------------------------------------------------

@pytest.mark.parametrize("who", ["a.minor", "b.student", "b.mentor", "b.head"])
def test_evidence_cannot_be_added_to_a_pursuit_out_of_scope(app, world, uploads, who):
    center, role = who.split(".")
    user = getattr(getattr(world, center), role)
    assert post_file(signed_in(app, user), world.a.pursuit, PDF).status_code == 404
    response = post_link(signed_in(app, user), world.a.pursuit, "https://example.org")
    assert response.status_code == 404
    assert_nothing_written(uploads)


def test_anonymous_visitors_cannot_add_evidence(app, world, uploads):
    response = post_link(app.test_client(), world.a.pursuit, "https://example.org")
    assert response.status_code == 302 and response.location.startswith("/auth/login")
    assert_nothing_written(uploads)


@pytest.mark.parametrize("who,status", [
    ("a.student", 200), ("a.mentor", 200), ("a.other_mentor", 200), ("a.head", 200),
    ("admin", 200), ("a.minor", 404), ("b.student", 404), ("b.mentor", 404), ("b.head", 404),
])
def test_a_pursuit_file_is_served_only_within_scope(app, world, uploads, who, status):
    evidence = upload_as_student(app, world)
    user = world.admin if who == "admin" else getattr(getattr(world, who[0]), who[2:])
    response = signed_in(app, user).get(f"/evidence/{evidence.id}")
    assert response.status_code == status
    assert (response.data == PDF) == (status == 200)


def test_anonymous_visitors_are_sent_to_sign_in(app, world, uploads):
    evidence = upload_as_student(app, world)
    response = app.test_client().get(f"/evidence/{evidence.id}")
    assert response.status_code == 302 and response.location.startswith("/auth/login")


def test_a_missing_file_answers_404(app, world, uploads):
    evidence = upload_as_student(app, world)
    os.remove(uploads / evidence.stored_name)
    assert signed_in(app, world.a.mentor).get(f"/evidence/{evidence.id}").status_code == 404


def test_a_link_redirects_to_its_address(app, world):
    post_link(signed_in(app, world.a.student), world.a.pursuit, "https://example.org/badge")
    (evidence,) = evidence_rows()
    response = signed_in(app, world.a.head).get(f"/evidence/{evidence.id}")
    assert response.status_code == 302 and response.location == "https://example.org/badge"
    assert signed_in(app, world.b.head).get(f"/evidence/{evidence.id}").status_code == 404


def test_verify_is_for_staff_of_the_center(app, world, uploads):
    evidence = upload_as_student(app, world)
    url = f"/evidence/{evidence.id}/verify"
    assert signed_in(app, world.a.student).post(url).status_code == 403
    assert signed_in(app, world.b.mentor).post(url).status_code == 404
    assert signed_in(app, world.b.head).post(url).status_code == 404
    assert evidence_rows()[0].verified_at is None
    assert signed_in(app, world.admin).post(url).status_code == 302
    assert evidence_rows()[0].verified_by_id == world.admin.id


def test_progress_evidence_is_served_to_the_enrolled_student_and_center_staff(app, world, uploads):
    lesson = world.course.modules[0].lessons[0]
    progress = make_progress(world.a.enrollment, lesson)
    evidence = services.add_file(progress, FileStorage(io.BytesIO(PNG), "robot.png"),
                                 world.a.student)
    db.session.commit()
    assert evidence.progress_id == progress.id and evidence.pursuit_id is None
    assert evidence.stage is None and evidence.verified_at is None
    assert evidence_audit()[0].center_id == world.a.center.id

    allowed = [world.a.student, world.a.mentor, world.a.other_mentor, world.a.head, world.admin]
    for user in allowed:
        response = signed_in(app, user).get(f"/evidence/{evidence.id}")
        assert (response.status_code, response.data) == (200, PNG), user.email
    for user in [world.a.minor, world.b.student, world.b.mentor, world.b.head]:
        assert signed_in(app, user).get(f"/evidence/{evidence.id}").status_code == 404, user.email

    signed_in(app, world.a.mentor).post(f"/evidence/{evidence.id}/verify")
    assert evidence_rows()[0].verified_by_id == world.a.mentor.id
    assert evidence_audit()[-1].center_id == world.a.center.id


# --- lists and partials --------------------------------------------------------------------

def test_awaiting_verification_lists_unverified_evidence_of_the_center_in_one_query(
        app, world, count_queries):
    post_link(signed_in(app, world.a.student), world.a.pursuit, "https://example.org/mine")
    post_link(signed_in(app, world.a.mentor), world.a.pursuit, "https://example.org/verified")
    post_link(signed_in(app, world.b.student), world.b.pursuit, "https://example.org/other")
    center_id = world.a.center.id
    db.session.expire_all()

    with app.test_request_context("/mentor"):
        with count_queries() as statements:
            rows = db.session.execute(queries.awaiting_verification(center_id)).all()
            html = render_template("evidence/_list.html", evidence_items=rows, show_pursuit=True)
    assert len(statements) == 1
    assert [row.evidence.url for row in rows] == ["https://example.org/mine"]
    assert rows[0].uploader_name == world.a.student.full_name
    assert world.a.student.full_name in html and world.certification.name in html
    assert "https://example.org/mine" in html and "other" not in html


def test_list_partial_shows_files_uploaders_and_verification(app, world, uploads):
    evidence = upload_as_student(app, world)
    post_link(signed_in(app, world.a.mentor), world.a.pursuit, "https://example.org/verified")
    with app.test_request_context("/pursuits/1"):
        login_user(world.a.mentor)  # the verify button is for staff
        html = render_template("evidence/_list.html",
                               evidence_items=queries.items_for(world.a.pursuit))
    assert f'href="/evidence/{evidence.id}"' in html and "cert.pdf" in html
    assert world.a.student.full_name in html and world.a.mentor.full_name in html
    assert html.count("Awaiting verification") == 1
    assert f'action="/evidence/{evidence.id}/verify"' in html
    assert 'name="next" value="/pursuits/1"' in html
    assert "<script" not in html and "style=" not in html


def test_upload_partial_is_a_multipart_form_back_to_the_page(app, world):
    with app.test_request_context("/paths/7?tab=evidence"):
        html = render_template("evidence/_upload.html", pursuit=world.a.pursuit,
                               evidence_form=EvidenceForm())
    assert f'action="/evidence/pursuit/{world.a.pursuit.id}"' in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    assert 'name="url"' in html and 'type="file"' in html and 'name="file"' in html
    assert 'value="/paths/7?tab=evidence"' in html
    assert 'accept="application/pdf' in html
    assert "<script" not in html and "style=" not in html

