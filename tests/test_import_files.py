"""CSV import: what is not a usable CSV file is refused whole, with a clear message and a 4xx."""
import pytest
import sqlalchemy as sa

from lms.core.extensions import db
from lms.imports.models import ImportBatch
from tests.imports_helpers import row_html, staged, upload

# One world for the module: each test's writes are rolled back to the module's savepoint.
pytestmark = pytest.mark.usefixtures("module_world")

VALID = "email,full_name\nx@example.org,X Person\n"


def batches() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ImportBatch))


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This is not a CSV text file."),
    ("email,full_name\nx@example.org,Олена\n".encode("cp1251"), "not in the UTF-8 encoding"),
    ("email,full_name\n".encode("utf-16"), "This is not a CSV text file."),
    (b"", "The file is empty."),
    (b"\xef\xbb\xbf\r\n  \r\n", "The file is empty."),
    ("Hello there, this is a letter\nnot a table\n".encode(), "none of these is a known column"),
    ("email,full_name,favourite colour\nx@example.org,X,red\n".encode(), "Unknown columns: favourite colour."),
    ("email,e-mail,full_name\n".encode(), "A column appears twice: e-mail."),
    ("full_name,cohort\nX,Y\n".encode(), "Required columns are missing: Email."),
    ("email,full_name\n".encode(), "The file has no rows below its header line."),
])
def test_a_file_that_is_not_a_usable_csv_is_refused(client, head, content, message):
    response = upload(client, "students", content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[-1500:]
    assert message in html, html[-1500:]
    assert batches() == 0


def test_a_file_too_large_or_too_long_is_refused_with_413(app, client, head):
    app.config.update(IMPORT_MAX_BYTES=200)
    try:
        response = upload(client, "students", VALID + "y@example.org,Y Person\n" * 10)
        assert response.status_code == 413
        assert "The file is larger than 0 KB" in response.get_data(as_text=True)
    finally:
        app.config.update(IMPORT_MAX_BYTES=2 * 1024 * 1024)
    app.config.update(IMPORT_MAX_ROWS=3)
    try:
        rows = "".join(f"p{n}@example.org,P {n}\n" for n in range(4))
        response = upload(client, "students", "email,full_name\n" + rows)
        assert response.status_code == 413
        assert "The file has more than 3 rows" in response.get_data(as_text=True)
        three = "".join(f"p{n}@example.org,P {n}\n" for n in range(3))
        assert upload(client, "students", "email,full_name\n" + three).status_code == 302
    finally:
        app.config.update(IMPORT_MAX_ROWS=5000)
    assert batches() == 1


def test_no_file_is_a_422(client, head):
    response = client.post("/imports/students/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file." in response.get_data(as_text=True)


def test_comma_separated_without_bom_quotes_and_short_rows(client, world, head):
    content = ('"Email","Full name","School or university","Grade or year"\r\n'
               '"q@example.org","Quoted, Name","Lyceum ""No. 1""",9\r\n'
               'short@example.org,Short Row\r\n'
               ',,,\r\n')
    batch_id = staged(client, "students", content)
    html = client.get(f"/imports/{batch_id}").get_data(as_text=True)
    assert "Quoted, Name" in row_html(html, 2) and 'Lyceum "No. 1"' in row_html(html, 2)
    assert "Will be created" in row_html(html, 3)
    assert 'id="line-4"' not in html  # a blank row is not a row
    assert client.post(f"/imports/{batch_id}/commit").status_code == 302


def test_headers_are_matched_loosely(client, world, head):
    content = "  E-MAIL * ;Full Name*;дата народження\nl@example.org;Loose;01.02.2011\n"
    html = client.get(f"/imports/{staged(client, 'students', content)}").get_data(as_text=True)
    assert "Will be created" in row_html(html, 2)


@pytest.mark.parametrize("language, first", [("en", "Email *"), ("uk", "Електронна пошта *")])
def test_the_template_has_headers_in_the_users_language(client, world, login, language, first):
    world.a.head.locale = language
    db.session.commit()
    login(world.a.head)
    response = client.get("/imports/students/template.csv", buffered=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith(f'\ufeff"{first}",')  # every field quoted
    # the downloaded template, filled in, is accepted as it is
    filled = text + "t@example.org,Template Person" + "," * (text.count(",")) + "\r\n"
    assert upload(client, "students", filled.encode()).status_code == 302


def test_the_vouchers_template_downloads(client, head):
    response = client.get("/imports/vouchers/template.csv", buffered=True)
    assert response.get_data().decode().startswith(
        '\ufeff"Provider *","Certification exam code","Voucher code *"')


def test_an_unknown_kind_is_a_404(client, head):
    assert client.get("/imports/teachers/upload").status_code == 404


def test_hostile_cells_are_shown_escaped_and_never_crash(client, world, head):
    content = ("email,full_name,date_of_birth,cohort\n"
               "<script>alert(1)</script>@x.org,<b>Bold</b>,NaN,' OR 1=1 --\n"
               f"long@example.org,{'Я' * 300},31.02.2010,{'x' * 5000}\n"
               "=cmd|' /C calc'!A0@x.org,=HYPERLINK(\"http://evil\"),9999-99-99,\u202eevil\n")
    batch_id = staged(client, "students", content)
    response = client.get(f"/imports/{batch_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Bold</b>" not in html
    assert "is longer than 200 characters" in row_html(html, 3)
    assert "“31.02.2010” is not a date" in row_html(html, 3)
    report = client.get(f"/imports/{batch_id}/report.csv", buffered=True).get_data(as_text=True)
    assert "'=HYPERLINK" in report  # a formula is defused in the downloaded preview
    assert client.post(f"/imports/{batch_id}/commit").status_code == 422


def test_a_hostile_header_is_shown_escaped(client, head):
    response = upload(client, "students", "email,full_name,<img src=x onerror=alert(1)>\n1,2,3\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<img src=x" not in html and "Unknown columns: &lt;img src=x" in html
