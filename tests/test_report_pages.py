"""The report pages: what the screen shows equals the downloads, access, bad input, languages,
and a bounded number of SQL statements."""
import io
from datetime import date, datetime
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from lms.cohorts.models import EnrollmentStatus
from lms.core.extensions import db
from lms.users.models import Role
from tests.factories import enroll, make_pursuit, make_user, read_csv
from tests.report_world import P, build_report_world

PERIOD = {"preset": "range", "start": P.start.isoformat(), "end": P.end.isoformat()}


# One report world for the module: the tests read it (what one writes is rolled back).
pytestmark = pytest.mark.usefixtures("module_world")
SHARED_WORLD = build_report_world


class _Table(HTMLParser):
    """The text of every cell of one table (by id), row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def screen_table(html: str, table_id: str) -> list[list[str]]:
    parser = _Table(table_id)
    parser.feed(html)
    assert parser.rows, f"no table #{table_id}"
    return parser.rows


def donor_screen(html: str) -> list[list[str]]:
    """The donor table flattened as the CSV is: each breakdown's name is a row-group header on
    screen (said once), and the first column of every one of its rows in the files."""
    rows, flat, group = screen_table(html, "donor-report"), [], None
    for row in rows[1:]:
        if len(row) == 1:
            group = row[0]
            continue
        flat.append([group or row[0], *row])
    return [[rows[0][0], rows[0][0], *rows[0][1:]], *flat]


def _shown(cell) -> str:
    """A workbook cell as the screen writes it: a share as "67%", a date in ISO."""
    if cell.value is None:
        return ""
    if cell.number_format == "0%":
        return f"{round(cell.value * 100)}%"
    if isinstance(cell.value, datetime):
        return cell.value.date().isoformat()
    return str(cell.value)


def read_xlsx(response) -> dict[str, list[list[str]]]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return {sheet.title: [[_shown(cell) for cell in row] for row in sheet.iter_rows()]
            for sheet in workbook.worksheets}


def url(path: str, **args) -> str:
    return f"{path}?{urlencode({**PERIOD, **args}, doseq=True)}"


@pytest.fixture
def english(client):
    def switch():
        assert client.post("/language", data={"language": "en"}).status_code == 302
    return switch


def test_donor_report_on_screen_equals_csv_and_xlsx(client, login, rw, english):
    login(rw.admin)
    english()
    html = client.get(url("/reports/donor")).get_data(as_text=True)
    screen = donor_screen(html)
    assert screen[1][:6] == ["Total", "Total", "5", "2", "4", "3"]
    csv = read_csv(client.get(url("/reports/donor.csv"), buffered=True))
    assert csv[0][2:] == screen[0][2:] and csv[1:] == screen[1:]
    assert html.count("Home center</th>") == 1  # the breakdown is named once, not on every row
    sheets = read_xlsx(client.get(url("/reports/donor.xlsx")))
    assert list(sheets)[0] == "Report"
    assert sheets["Report"][1:] == [["From", "2025-01-01"], ["To", "2025-12-31"],
                                    ["Centers", "Whole cluster"]]
    for title, rows in list(sheets.items())[1:]:
        assert rows[0] == [title, *screen[0][2:]]
        assert rows[1:-1] == [row[1:] for row in screen[1:] if row[0] == title]
        assert rows[-1] == screen[1][1:]  # the total row closes every sheet


def test_certifications_report_on_screen_equals_csv_and_xlsx(client, login, rw, english):
    login(rw.admin)
    english()
    html = client.get(url("/reports/certifications")).get_data(as_text=True)
    screen = screen_table(html, "certifications-report")
    assert screen == [
        ["Certification", "Pursuing", "Passed", "Failed", "Pass rate", "Expired"],
        ["Amazon Web Services — Cloud Practitioner", "2", "2", "1", "67%", "1"],
        ["Amazon Web Services — Solutions Architect", "1", "1", "0", "100%", "0"],
        ["Cisco — CCNA", "1", "1", "1", "50%", "0"],
        ["Total", "4", "4", "2", "67%", "1"],
    ]
    assert read_csv(client.get(url("/reports/certifications.csv"), buffered=True)) == screen
    assert read_xlsx(client.get(url("/reports/certifications.xlsx"))) == {"Certifications": screen}


@pytest.mark.parametrize("filters, rows", [
    # Worked out from the world's docstring: female = olena, iryna, sofia, nadia.
    ({"sex": "female"}, [["1", "1", "1", "50%", "0"], ["0", "1", "0", "100%", "0"],
                         ["0", "1", "0", "100%", "0"], ["1", "3", "1", "75%", "0"]]),
    # 15-19 = taras (turns 15 on the period's last day) and andrii.
    ({"age_band": "15-19"}, [["1", "0", "0", "—", "0"], ["1", "0", "0", "—", "0"],
                             ["1", "0", "1", "0%", "0"], ["3", "0", "1", "0%", "0"]]),
    ({"provider": "cisco"}, [["1", "1", "1", "50%", "0"], ["1", "1", "1", "50%", "0"]]),
    # Ever enrolled in B1: olena, taras, sofia, nadia.
    ({"cohort": "B1"}, [["1", "1", "1", "50%", "0"], ["0", "1", "0", "100%", "0"],
                        ["1", "1", "1", "50%", "0"], ["2", "3", "2", "60%", "0"]]),
])
def test_certifications_filters(client, login, rw, filters, rows):
    args = dict(filters)
    if "provider" in args:
        args["provider"] = rw.providers[args["provider"]].id
    if "cohort" in args:
        args["cohort"] = rw.cohorts[args["cohort"]].id
    login(rw.admin)
    screen = screen_table(client.get(url("/reports/certifications", **args)).get_data(as_text=True),
                          "certifications-report")
    assert [row[1:] for row in screen[1:]] == rows
    assert read_csv(client.get(url("/reports/certifications.csv", **args), buffered=True)) == screen


def test_head_sees_own_center_and_people_from_elsewhere_enrolled_there(client, login, rw):
    login(rw.head_b)
    screen = donor_screen(client.get(url("/reports/donor")).get_data(as_text=True))
    assert screen[1][2:] == ["3", "0", "2", "1", "1", "1"]
    homes = {row[1]: row[2] for row in screen if row[0] == screen[-1][0]}
    assert homes == {"Alpha": "1", "Beta": "2"}
    assert client.get(url("/reports/donor", center=rw.b.id)).status_code == 200


@pytest.mark.parametrize("path", ["/reports/donor", "/reports/donor.csv", "/reports/donor.xlsx",
                                  "/reports/donor/people", "/reports/certifications",
                                  "/reports/certifications/people.csv"])
def test_head_asking_for_another_center_gets_404(client, login, rw, path):
    login(rw.head_a)
    assert client.get(url(path, center=rw.b.id), buffered=True).status_code == 404
    assert client.get(url(path, center=[rw.a.id, rw.b.id]), buffered=True).status_code == 404


@pytest.mark.parametrize("role", ["mentor", "student"])
def test_mentors_and_students_are_refused(client, login, rw, role):
    login(rw.mentor_a if role == "mentor" else rw.people["olena"])
    for path in ("/reports/donor", "/reports/donor.csv", "/reports/certifications.xlsx",
                 "/reports/donor/people"):
        assert client.get(url(path)).status_code == 403, path


def test_admin_picks_centers(client, login, rw, english):
    login(rw.admin)
    english()
    screen = donor_screen(client.get(url("/reports/donor", center=[rw.a.id, rw.b.id]))
                          .get_data(as_text=True))
    assert screen[1][2] == "5"
    only_a = donor_screen(client.get(url("/reports/donor", center=rw.a.id)).get_data(as_text=True))
    assert only_a[1][2] == "3"
    sheets = read_xlsx(client.get(url("/reports/donor.xlsx", center=rw.a.id)))
    assert sheets["Report"][3] == ["Centers", "Alpha"]


@pytest.mark.parametrize("path, args, status, message", [
    ("/reports/donor", {"preset": "decade"}, 422, "Not a valid choice"),
    ("/reports/donor", {"start": "2026-01-01", "end": "2025-01-01"}, 422, "before the start"),
    ("/reports/donor.csv", {"start": "yesterday"}, 422, "Not a valid date"),
    ("/reports/certifications", {"sex": "robot"}, 422, "Not a valid choice"),
    ("/reports/certifications", {"provider": "999999"}, 422, "Not a valid choice"),
    ("/reports/certifications.xlsx", {"age_band": "1-2"}, 422, "Not a valid choice"),
    ("/reports/certifications", {"cohort": "abc"}, 422, "Not a valid choice"),
    ("/reports/donor", {"center": "x"}, 422, "Invalid choice"),
    ("/reports/donor/people", {"indicator": "money"}, 400, ""),
    ("/reports/donor/people", {"dimension": "sex", "value": "robot"}, 400, ""),
    ("/reports/donor/people", {"indicator": "level", "key": "expert"}, 400, ""),
    ("/reports/donor/people.csv", {"dimension": "shoe_size"}, 400, ""),
    ("/reports/donor/people", {"page": "-1"}, 400, ""),
    ("/reports/certifications/people", {"kind": "maybe"}, 400, ""),
    ("/reports/certifications/people", {"certification": "x"}, 400, ""),
    ("/reports/certifications/people", {"certification": "999999"}, 404, ""),
])
def test_bad_input_is_a_clear_4xx(client, login, rw, english, path, args, status, message):
    login(rw.admin)
    english()
    response = client.get(url(path, **args), buffered=True)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_drill_down_lists_people_with_csv(client, login, rw, english):
    login(rw.admin)
    english()
    args = {"indicator": "sat", "dimension": "sex", "value": "male"}
    html = client.get(url("/reports/donor/people", **args)).get_data(as_text=True)
    screen = screen_table(html, "people")
    assert screen == [
        ["Name", "Home center", "Sex", "Age band", "Disability", "Internally displaced (IDP)",
         "Settlement type", "Learner type"],
        ["Maksym", "Alpha", "Male", "30+", "No", "No", "Urban", "Other learner"],
        ["Taras", "Beta", "Male", "15–19", "Yes", "No", "Rural", "School student"]]
    assert read_csv(client.get(url("/reports/donor/people.csv", **args), buffered=True)) == screen
    cert = rw.certs["clf"].id
    people = screen_table(client.get(url("/reports/certifications/people", kind="pursuing",
                                         certification=cert)).get_data(as_text=True), "people")
    assert [row[0] for row in people[1:]] == ["Andrii", "Sofia"]


def test_every_cell_links_to_its_people(client, login, rw):
    login(rw.admin)
    html = client.get(url("/reports/donor")).get_data(as_text=True)
    links = [part.split('"')[0].replace("&amp;", "&")
             for part in html.split('href="')[1:] if part.startswith("/reports/donor/people")]
    screen = donor_screen(html)
    cells = sum(len(row) - 2 for row in screen[1:])
    assert len(links) == cells
    # Follow a sample of links: each list is as long as its cell says.
    for link, count in zip(links[::29], [c for row in screen[1:] for c in row[2:]][::29]):
        page = client.get(link).get_data(as_text=True)
        assert len(screen_table(page, "people")) - 1 == (int(count) or 1), link


def test_pages_render_in_ukrainian_and_english(client, login, rw, english):
    login(rw.head_a)
    ukrainian = client.get(url("/reports/donor")).get_data(as_text=True)
    assert '<html lang="uk">' in ukrainian and "Стать" in ukrainian and "Жіноча" in ukrainian
    english()
    for path in ("/reports/donor", "/reports/certifications", "/reports/donor/people"):
        page = client.get(url(path)).get_data(as_text=True)
        assert '<html lang="en">' in page
    assert "Female" in client.get(url("/reports/donor")).get_data(as_text=True)


def _more_data(rw):
    """Another participant per center with a credential: more rows, the same statements."""
    for center, cohort in ((rw.a, rw.cohorts["A1"]), (rw.b, rw.cohorts["B1"])):
        for _ in range(3):
            student = make_user(Role.STUDENT, center)
            enroll(student, cohort, status=EnrollmentStatus.COMPLETED, completed_on=date(2025, 6, 1))
            make_pursuit(student, rw.certs["ccna"], stage="passed", result_date=date(2025, 7, 1),
                         credential_id=f"X-{student.id}", verified_at=date(2025, 7, 2))
    db.session.commit()


def test_statement_counts_are_bounded_and_do_not_grow(client, login, rw, page_statements):
    login(rw.admin)
    pages = [url("/reports/donor"), url("/reports/donor/people"),
             url("/reports/certifications", sex="female"),
             url("/reports/certifications/people", kind="passed")]
    before = [page_statements(page) for page in pages]
    _more_data(rw)
    after = [page_statements(page) for page in pages]
    assert before == after
    # The donor report: the user, the center choices, ONE statement for every figure, then
    # the names of the providers and centers it mentions.
    assert after[0] <= 5 and max(after) <= 7, after


def test_the_donor_workbook_is_laid_out_and_typed_as_a_person_would(client, login, rw):
    """In Ukrainian the IDP sheet's name ("Внутрішньо переміщена особа (ВПО)", 33 characters)
    loses its aside instead of being cut mid-word; dates and counts are typed, the header is
    bold and frozen, and the columns fit their words."""
    login(rw.admin)
    response = client.get(url("/reports/donor.xlsx"))
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert "Внутрішньо переміщена особа" in workbook.sheetnames
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    about = workbook.worksheets[0]
    assert about["B2"].value == datetime(2025, 1, 1) and about["B2"].number_format == "yyyy-mm-dd"
    idp = workbook["Внутрішньо переміщена особа"]
    assert idp.freeze_panes == "A2" and idp["A1"].font.b and idp["B1"].font.b
    assert idp["A1"].value == "Внутрішньо переміщена особа (ВПО)"
    assert all(isinstance(cell.value, int) for cell in idp[2][1:])
    assert idp.column_dimensions["A"].width == len("Внутрішньо переміщена особа (ВПО)") + 2


def test_the_certifications_workbook_types_its_pass_rate_as_a_number(client, login, rw):
    login(rw.admin)
    workbook = load_workbook(io.BytesIO(client.get(url("/reports/certifications.xlsx"))
                                        .get_data()))
    sheet = workbook.worksheets[0]
    rates = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert [cell.number_format for cell in rates] == ["0%"] * 4
    assert [round(cell.value, 2) for cell in rates] == [0.67, 1.0, 0.5, 0.67]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b


def test_the_period_is_written_as_the_readers_language_writes_dates(client, login, rw, english):
    login(rw.admin)
    ukrainian = client.get(url("/reports/donor")).get_data(as_text=True)
    assert "Унікальні особи з 1 січ. 2025\u202fр. до 31 груд. 2025\u202fр." in ukrainian
    english()
    for path in ("/reports/donor", "/reports/certifications"):
        assert "Jan 1, 2025" in client.get(url(path)).get_data(as_text=True), path
