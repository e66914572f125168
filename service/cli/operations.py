"""Operators' commands: ``ohjaamo backup``, ``ohjaamo restore``, ``ohjaamo db copy``
and ``ohjaamo keys rotate`` (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from service.services.operations import backups, database_copy, key_rotation
from service.services.operations.health import head_revisions


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the SQLite database to TARGET while the service runs (a new file)."""
    try:
        facts = backups.backup(target)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {facts.path} ({facts.size_bytes} bytes, revision {facts.revision}).")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that holds data without asking.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup SOURCE. Stop the service and the
    worker first."""
    try:
        backups.inspect_backup(source)
        if backups.holds_data() and not yes:
            click.confirm("The database holds data; replace all of it with the backup?", abort=True)
        revision = backups.restore(source)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {source} (revision {revision}).")
    if revision not in head_revisions():
        click.echo("The backup is of an older schema: run `ohjaamo db upgrade` next.")


@click.command("copy")
@click.option(
    "--to",
    "target_url",
    required=True,
    help="SQLAlchemy URL of a migrated, empty database: postgresql+psycopg://user@host/db",
)
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def copy_command(target_url: str, batch_size: int) -> None:
    """Copy every row of the current database into another, verified table by table.
    Stop the service and the worker first, so nothing changes during the copy."""
    try:
        copied = database_copy.copy_database(target_url, batch_size=batch_size)
    except (database_copy.CopyRefused, database_copy.CopyMismatch) as error:
        raise click.ClickException(f"{error} Nothing was copied.") from None
    for table in copied:
        click.echo(f"{table.table:32} {table.rows:8} rows  sha256 {table.checksum[:16]}")
    total = sum(table.rows for table in copied)
    click.echo(f"Copied {total} rows in {len(copied)} tables; counts and checksums match.")


keys_cli = AppGroup("keys", help="The encryption keys of notes, answers and stored secrets.")


@keys_cli.command("rotate")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1))
def rotate_command(batch_size: int) -> None:
    """Re-encrypt everything stored under an older key with the first key of
    ENCRYPTION_KEYS. Safe to run while the service runs, and to run again."""
    report = key_rotation.rotate_keys(batch_size=batch_size)
    for column, count in sorted(report.rotated.items()):
        click.echo(f"{column:45} {count:8} re-encrypted")
    click.echo(
        f"Re-encrypted {report.total_rotated} values; "
        f"{report.already_newest} were already under the newest key."
    )
    if report.unreadable:
        for where in report.unreadable:
            click.echo(f"  no listed key opens {where}", err=True)
        raise click.ClickException(
            f"{len(report.unreadable)} values are under a key that is not in "
            "ENCRYPTION_KEYS; keep the old keys until they are found."
        )
    if len(current_app.config["ENCRYPTION_KEYS"]) > 1:
        click.echo("Nothing is left under an older key: the older keys may now be removed.")
