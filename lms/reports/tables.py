"""The reports as plain tables (headers + rows), shared by CSV and XLSX so both equal the screen."""
from flask_babel import gettext as _

from lms.core.exports import Share, Sheet
from lms.reports.certifications import EXPIRED, FAILED, KINDS, PASSED, PURSUING, CertReport
from lms.reports.donor import DonorReport, Row, Section


def rate(value: float | None) -> str:
    """A pass rate as the screen and the CSV show it: "67%", or "—" without results."""
    return str(Share(value))


def _donor_cells(report: DonorReport, row: Row) -> list[int]:
    return [row.count(column) for column in report.columns]


def donor_flat(report: DonorReport) -> tuple[list[str], list[list]]:
    """The whole donor report as one table: disaggregation, value, then one column per indicator."""
    headers = [_("Disaggregation"), _("Category"), *(c.label for c in report.columns)]
    rows = [[_("Total"), _("Total"), *_donor_cells(report, report.total)]]
    for section in report.sections:
        label = str(section.dimension.label)
        rows.extend([label, row.label, *_donor_cells(report, row)] for row in section.rows)
    return headers, rows


def _donor_sheet(report: DonorReport, section: Section) -> Sheet:
    headers = [str(section.dimension.label), *(c.label for c in report.columns)]
    rows = [[row.label, *_donor_cells(report, row)] for row in section.rows]
    rows.append([_("Total"), *_donor_cells(report, report.total)])
    return Sheet(str(section.dimension.label), headers, rows)  # named by sheet_names


def donor_sheets(report: DonorReport, about: list[list[str]]) -> list[Sheet]:
    """One sheet describing the report, then one per disaggregation with its total row."""
    return [Sheet(_("Report"), [_("Donor report"), ""], about),
            *(_donor_sheet(report, section) for section in report.sections)]


def certifications_table(report: CertReport) -> tuple[list[str], list[list]]:
    """The certifications report as headers and rows, the total last."""
    headers = [_("Certification"), str(KINDS[PURSUING]), str(KINDS[PASSED]), str(KINDS[FAILED]),
               _("Pass rate"), str(KINDS[EXPIRED])]
    rows = [[row.label, row.count(PURSUING), row.count(PASSED), row.count(FAILED),
             Share(row.pass_rate), row.count(EXPIRED)] for row in [*report.rows, report.total]]
    return headers, rows
