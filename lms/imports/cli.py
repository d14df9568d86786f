"""`flask lms import-students`: the same parsing, preview and commit as the web pages."""
from datetime import date

import click
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.centers.models import Center
from lms.core.extensions import db
from lms.core.refusal import Refused
from lms.imports import services
from lms.imports.models import ImportKind
from lms.imports.parsing import FileRefused, parse
from lms.imports.report import Report


def run_import(kind: ImportKind, file, center_slug: str, commit: bool, language: str | None) -> None:
    """Print every row's status and problems; with `commit`, import when the file is valid."""
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        center = db.session.scalars(sa.select(Center).where(Center.slug == center_slug)).first()
        if center is None:
            raise click.ClickException(_("There is no center %(slug)s.", slug=center_slug))
        data = file.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        try:
            rows = parse(kind, data).rows
        except FileRefused as error:
            raise click.ClickException(str(error.message)) from error
        report = services.VALIDATORS[kind](center, rows, date.today())
        click.echo(format_report(report))
        if not report.valid:
            raise click.ClickException(_("Nothing was imported: the file has problems."))
        if commit:
            _commit(kind, center, getattr(file, "name", "upload.csv"), data)
        else:
            click.echo(_("Preview only: run again with --commit to import."))


def _commit(kind: ImportKind, center: Center, filename: str, data: bytes) -> None:
    try:
        batch = services.stage(kind, center, filename.rsplit("/", 1)[-1], data, None)
        result = services.commit(batch, None, date.today())
    except Refused as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(", ".join(f"{name}: {count}" for name, count in result.items()))
    click.echo(_("Imported."))


def format_report(report: Report) -> str:
    """One line per row (line number, status, problems), the file's problems, the counts."""
    lines = [f"{row.line}: {row.status.label}" + "".join(f"\n    - {p}" for p in row.problems)
             for row in report.rows]
    lines += [f"! {problem}" for problem in report.file_problems]
    lines.append(" · ".join(f"{status.label}: {count}" for status, count in report.counts().items()))
    return "\n".join(lines)
