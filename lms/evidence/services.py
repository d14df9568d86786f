"""Evidence use cases: attach a link or a file to a pursuit or a lesson progress, verify, list.

An uploaded file is trusted by its content only: its first bytes decide the type and its size is
counted while it is read, and it gets its final (random) name in UPLOAD_FOLDER only after both
checks pass. Each write records one audit entry; the request (or the calling command) commits.
"""
import hashlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

import sqlalchemy as sa
from babel.units import format_unit
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from lms.access import is_staff
from lms.certifications.models import Evidence, EvidenceKind, Pursuit, Stage
from lms.cohorts.models import Cohort, Enrollment
from lms.core.audit import record
from lms.core.extensions import db
from lms.core.model_types import utcnow
from lms.core.refusal import Refused
from lms.core.transactions import after_rollback
from lms.evidence.queries import Target
from lms.progress.models import LessonProgress
from lms.users.models import User

MAX_URL_LENGTH = 500  # the width of Evidence.url
CHUNK_BYTES = 64 * 1024
MIB = 1024 * 1024
FALLBACK_NAME = "evidence"


@dataclass(frozen=True)
class FileType:
    signature: bytes
    content_type: str
    extensions: tuple[str, ...]  # the first one names stored files


FILE_TYPES = (
    FileType(b"%PDF-", "application/pdf", (".pdf",)),
    FileType(b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    FileType(b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)
SNIFF_BYTES = max(len(t.signature) for t in FILE_TYPES)


@dataclass(frozen=True)
class StoredFile:
    name: str
    file_type: FileType
    size: int
    sha256: str


class EvidenceError(Refused):
    """A link or file the rules refuse."""


# --- writes ----------------------------------------------------------------------------

def add_link(target: Target, url: str | None, actor: User, stage: Stage | None = None) -> Evidence:
    """Attach a web link (http or https only) to a pursuit or a lesson progress."""
    url = (url or "").strip()
    _check_url(url)
    evidence = Evidence(kind=EvidenceKind.LINK, url=url, **_target_fields(target, stage))
    return _save(evidence, target, actor, "evidence.add_link")


def add_file(target: Target, file_storage: FileStorage, actor: User,
             stage: Stage | None = None) -> Evidence:
    """Store an uploaded PDF, PNG or JPEG under a random name and attach it to the target."""
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    stored = _receive(file_storage.stream, folder, current_app.config["EVIDENCE_MAX_BYTES"])
    evidence = Evidence(
        kind=EvidenceKind.FILE, stored_name=stored.name,
        original_name=_display_name(file_storage.filename, stored.file_type),
        content_type=stored.file_type.content_type, size_bytes=stored.size, sha256=stored.sha256,
        **_target_fields(target, stage),
    )
    # The file lives only if its row does: a refusal, a failed flush or commit, a crash later
    # in the request all end in a rollback, which removes it.
    after_rollback(lambda: discard_file(stored.name))
    return _save(evidence, target, actor, "evidence.add_file")


def verify(evidence: Evidence, mentor: User) -> Evidence:
    """A mentor, head or admin confirms a student's evidence; from now on it counts."""
    if not is_staff(mentor):
        raise EvidenceError(_l("Only mentors, heads and admins can verify evidence."))
    if evidence.verified_at is not None:
        raise EvidenceError(_l("This evidence has already been verified."))
    evidence.verified_by_id, evidence.verified_at = mentor.id, utcnow()
    record("evidence.verify", evidence, actor=mentor, center_id=_center_id(_target_of(evidence)),
           before={"verified_by_id": None, "verified_at": None},
           after={"verified_by_id": mentor.id, "verified_at": evidence.verified_at.isoformat()})
    return evidence


def discard_file(stored_name: str | None) -> None:
    """Remove a stored file whose row was not written (a failed flush or commit)."""
    if stored_name:
        _remove(os.path.join(current_app.config["UPLOAD_FOLDER"], stored_name))


def _save(evidence: Evidence, target: Target, actor: User, action: str) -> Evidence:
    evidence.uploaded_by_id = actor.id
    if is_staff(actor):  # staff vouch for what they add; a student's evidence waits for a mentor
        evidence.verified_by_id, evidence.verified_at = actor.id, utcnow()
    db.session.add(evidence)
    db.session.flush()
    record(action, evidence, after=_snapshot(evidence), actor=actor, center_id=_center_id(target))
    return evidence


def _snapshot(evidence: Evidence) -> dict:
    fields = ("kind", "pursuit_id", "progress_id", "stage", "url", "stored_name", "original_name",
              "content_type", "size_bytes", "sha256", "verified_by_id")
    return {name: getattr(evidence, name) for name in fields}


def _target_fields(target: Target, stage: Stage | None) -> dict:
    if isinstance(target, Pursuit):
        return {"pursuit_id": target.id, "stage": stage or target.stage}
    if isinstance(target, LessonProgress):
        return {"progress_id": target.id, "stage": None}  # stages belong to pursuits only
    raise TypeError(f"evidence cannot be attached to {type(target).__name__}")


def _target_of(evidence: Evidence) -> Target:
    return evidence.pursuit if evidence.pursuit_id is not None else evidence.progress


def _center_id(target: Target) -> int | None:
    if isinstance(target, Pursuit):
        return target.center_id
    query = (sa.select(Cohort.center_id).join(Enrollment, Enrollment.cohort_id == Cohort.id)
             .where(Enrollment.id == target.enrollment_id))
    return db.session.scalar(query)


# --- checks ----------------------------------------------------------------------------

def _check_url(url: str) -> None:
    if len(url) > MAX_URL_LENGTH:
        raise EvidenceError(_l("The link is too long: at most %(max)d characters.",
                               max=MAX_URL_LENGTH), "url")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    # Whitespace and control characters are refused: browsers drop them, which can hide a scheme.
    if (not host or parts.scheme.lower() not in ("http", "https")
            or any(ch.isspace() or not ch.isprintable() for ch in url)):
        raise EvidenceError(_l("Enter a link that starts with http:// or https://."), "url")


def _receive(stream: IO[bytes], folder: str, limit: int) -> StoredFile:
    """Copy the upload to a temporary file, check it, then move it to its random final name."""
    handle, temp_path = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            head, size, sha256 = _copy(stream, out, limit)
        file_type = _detect(head, size)
        name = secrets.token_hex(16) + file_type.extensions[0]
        os.replace(temp_path, os.path.join(folder, name))  # atomic: same folder, same disk
    except BaseException:
        _remove(temp_path)
        raise
    return StoredFile(name, file_type, size, sha256)


def _copy(stream: IO[bytes], out: IO[bytes], limit: int) -> tuple[bytes, int, str]:
    """Stream into `out` while hashing; refuse as soon as the size passes `limit`."""
    digest, head, size = hashlib.sha256(), b"", 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise EvidenceError(_l("The file is too large: at most %(size)s.",
                                   size=human_size(limit)), "file")
        if len(head) < SNIFF_BYTES:
            head += chunk[:SNIFF_BYTES - len(head)]
        digest.update(chunk)
        out.write(chunk)
    return head, size, digest.hexdigest()


def _detect(head: bytes, size: int) -> FileType:
    """The type the content really has; the name and the browser's content type are ignored."""
    if size == 0:
        raise EvidenceError(_l("The file is empty."), "file")
    for file_type in FILE_TYPES:
        if head.startswith(file_type.signature):
            return file_type
    raise EvidenceError(_l("Only PDF, PNG and JPEG files are accepted."), "file")


def _display_name(raw: str | None, file_type: FileType) -> str:
    """The user's file name made safe, ending in the extension of what the file really is."""
    stem, extension = os.path.splitext(raw or "")
    # secure_filename keeps ASCII only, so a Cyrillic name may come back empty.
    safe_stem = secure_filename(stem)[:200] or FALLBACK_NAME
    extension = extension.lower()
    if extension not in file_type.extensions:
        extension = file_type.extensions[0]
    return safe_stem + extension


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def human_size(size: int) -> str:
    """A byte count in the user's language: "5 MB", "512 kB"."""
    if size >= MIB:
        return format_unit(round(size / MIB, 1), "digital-megabyte", "short", locale=_locale())
    return format_unit(round(size / 1024, 1), "digital-kilobyte", "short", locale=_locale())


def _locale():
    return get_locale() or "en"  # outside a request (CLI, tests) Flask-Babel may have none


