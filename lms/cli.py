"""`flask lms …` commands: demo data, administrator accounts, backups, the development key."""
import click
from flask.cli import with_appcontext

from lms.core.extensions import db


@click.group("lms")
def lms_cli() -> None:
    """Resource Center LMS administration."""


@lms_cli.command("demo")
@click.option("--size", type=click.Choice(["small", "medium", "large"]), default="small",
              show_default=True, help="small: three demo centers; medium and large: SPEC §7 volumes.")
@with_appcontext
def demo(size: str) -> None:
    """Load demo data (idempotent) and print the demo accounts."""
    from lms.demo.builder import build_demo, demo_accounts

    if size != "small":
        return _scale_demo(size)
    created = build_demo(size=size)
    click.echo("Demo data created." if created else "Demo data already present: nothing changed.")
    click.echo(format_accounts(demo_accounts()))


def _scale_demo(size: str) -> None:
    import time

    from lms.demo.scale import build_scale, center_slug

    started = time.perf_counter()
    counts = build_scale(size)
    if counts is None:
        click.echo(f"The {size} data set is already present: nothing changed.")
        return
    click.echo(f"The {size} data set was built in {time.perf_counter() - started:.0f} s:")
    for table, count in counts.items():
        click.echo(f"  {table:<24} {count:>10,}")
    click.echo(f"Sign in as head@{center_slug(1)}.demo.example, mentor001@…, student00001@… "
               "(password demo-password).")


def format_accounts(rows: list[tuple[str, str, str]]) -> str:
    """The table of demo logins, as printed by `flask lms demo` and `make run`."""
    width = max(len(email) for _role, email, _center in rows)
    lines = [f"{'role':<8} {'email':<{width}}  center", "-" * (width + 30)]
    lines += [f"{role:<8} {email:<{width}}  {center}" for role, email, center in rows]
    lines.append("password for every demo account: demo-password")
    return "\n".join(lines)


@lms_cli.command("secret-key")
@with_appcontext
def secret_key_command() -> None:
    """Write a random development key into the instance folder once (make run calls this)."""
    import os
    import secrets

    from flask import current_app

    from config import SECRET_KEY_FILE

    path = os.path.join(current_app.instance_path, SECRET_KEY_FILE)
    if os.path.exists(path):
        click.echo(f"Development key kept: {path}")
        return
    os.makedirs(current_app.instance_path, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # only its owner reads it
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(48) + "\n")
    click.echo(f"Development key written: {path} (the development configuration reads it)")


@lms_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", "full_name", prompt="Full name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create a cluster administrator."""
    from lms.auth.services import AccountError, create_admin_account

    try:
        user = create_admin_account(email=email, full_name=full_name, password=password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@lms_cli.command("import-students")
@click.argument("file", type=click.File("rb"))
@click.option("--center", "center_slug", required=True, help="The center's short name (slug).")
@click.option("--commit", is_flag=True, help="Import when every row is valid (default: preview).")
@click.option("--language", type=click.Choice(["uk", "en"]), help="Language of the messages.")
@with_appcontext
def import_students(file, center_slug: str, commit: bool, language: str | None) -> None:
    """Preview a students CSV for a center; with --commit, import it (all rows or none)."""
    from lms.imports.cli import run_import
    from lms.imports.models import ImportKind

    run_import(ImportKind.STUDENTS, file, center_slug, commit, language)


@lms_cli.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str | None) -> None:
    """Write a consistent copy of the database to PATH (default: the instance folder)."""
    from flask import current_app

    from lms.core.backup import BackupError, backup, default_path

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        written = backup(url, path or default_path(url, current_app.instance_path))
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {written}")


@lms_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: str, yes: bool) -> None:
    """Replace the whole database with the backup in PATH."""
    from flask import current_app

    from lms.core.backup import BackupError, restore

    if not yes:
        click.confirm("This replaces every row of the database. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the database while it is replaced
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {path}")
