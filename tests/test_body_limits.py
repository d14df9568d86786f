"""Issue 18, finding 3: a small body limit everywhere, the file's own larger one on the
evidence upload and the CSV imports only, a 413 page in the reader's language, and bodies
parsed (and checked for NUL) only where a route reads them."""
import io
import json

import pytest
from flask import request
from werkzeug.exceptions import BadRequest

from lms.certifications.models import Evidence
from lms.core.extensions import db
from tests.conftest import PASSWORD
from tests.imports_helpers import upload

MIB = 1024 * 1024
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def test_the_app_wide_limit_applies(app):
    assert app.config["MAX_CONTENT_LENGTH"] == MIB


def test_an_anonymous_json_body_over_the_limit_is_refused(client):
    body = json.dumps({"filler": "x" * (2 * MIB)})
    response = client.get("/auth/login", data=body, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize("language,text", [
    ("uk", "Файл або форма, які ви надіслали, завеликі: щонайбільше 1 МБ."),
    ("en", "The file or form you sent is too large: at most 1 MB."),
])
def test_a_form_over_the_limit_gets_a_413_page_in_the_reader_s_language(client, language, text):
    with client.session_transaction() as session:
        session["locale"] = language
    response = client.post("/auth/login", data={"email": "a@example.org",
                                                "password": "x" * (MIB + 1)})
    assert response.status_code == 413
    assert text in response.get_data(as_text=True)


def signed_in(app, user):
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    return client


def test_the_evidence_upload_takes_a_file_over_the_app_wide_limit(app, world, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    pursuit = world.a.pursuit
    response = signed_in(app, world.a.student).post(
        f"/evidence/pursuit/{pursuit.id}", content_type="multipart/form-data",
        data={"file": (io.BytesIO(PDF + b"0" * (3 * MIB)), "cert.pdf", "application/pdf"),
              "next": "/my"})
    assert response.status_code == 302
    assert db.session.query(Evidence).filter_by(pursuit_id=pursuit.id).count() == 1


def test_the_import_takes_a_file_over_the_app_wide_limit(app, world):
    client = signed_in(app, world.a.head)
    rows = "".join(f"Student {i},student{i}@example.org,{'x' * 200}\n" for i in range(6000))
    assert MIB < len(rows) < app.config["IMPORT_MAX_BYTES"]
    response = upload(client, "students", "full_name,email,notes\n" + rows)
    assert response.status_code != 413  # the import's own rules answer (here: too many rows)


def test_another_route_keeps_the_small_limit(app, world):
    client = signed_in(app, world.a.head)
    response = client.post("/auth/password", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"0" * (2 * MIB)), "cert.pdf")})
    assert response.status_code == 413


def test_a_json_body_is_not_parsed_on_a_page_that_reads_none(client):
    deep = "[" * 200_000 + "]" * 200_000  # 400 kB, within the limit
    assert client.get("/auth/login", data=deep, content_type="application/json").status_code == 200
    nul = json.dumps({"a": "\x00"})
    assert client.get("/auth/login", data=nul, content_type="application/json").status_code == 200


def test_a_deep_json_body_on_the_api_is_a_400_not_a_500(client, world):
    from tests.test_api_writes import bearer, make_token

    deep = "[" * 200_000 + "]" * 200_000
    response = client.post(f"/api/v1/cohorts/{world.a.cohort.id}/progress", data=deep,
                           content_type="application/json", headers=bearer(make_token(world.a.mentor)))
    assert response.status_code == 400


def test_nul_in_a_repeated_form_value_is_refused(client):
    response = client.post("/auth/login", data={"email": ["a@example.org", "b\x00@example.org"],
                                                "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("body", [{"a": [{"b": ["c\x00"]}]}, {"k\x00": 1}, ["\x00"]])
def test_nul_in_a_json_body_a_route_reads_is_refused(app, body):
    with app.test_request_context("/", method="POST", json=body):
        with pytest.raises(BadRequest):
            request.get_json()
        with pytest.raises(BadRequest):
            request.get_json(silent=True)  # silence is for malformed JSON, not for NUL
