"""The `ohjaamo` command: Flask's CLI over `create_app`, plus Ohjaamo's own commands."""

from __future__ import annotations

import importlib
import uuid

import click
from flask import current_app
from flask.cli import FlaskGroup

from service import clock, create_app, settings
from service.plugins import describe_plugins

# Each command's module is imported when the command is named (click's lazy-loading
# recipe): `ohjaamo worker` then loads neither the API nor Alembic.
_COMMANDS: dict[str, str] = {
    "tokens": "service.cli.tokens:tokens_cli",
    "feeds": "service.cli.feeds:feeds_cli",
    "processes": "service.cli.processes:processes_cli",
    "sign-in-link": "service.cli.processes:sign_in_link_command",
    "worker": "service.cli.outbox:worker_command",
    "outbox": "service.cli.outbox:outbox_cli",
    "rooms": "service.cli.rooms:rooms_cli",
    "backup": "service.cli.operations:backup_command",
    "restore": "service.cli.operations:restore_command",
    "keys": "service.cli.operations:keys_cli",
    "users": "service.cli.users:users_cli",
}


class _OhjaamoGroup(FlaskGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = _COMMANDS.get(cmd_name)
        if where is None:
            if cmd_name == "db":
                _add_database_copy()
            return super().get_command(ctx, cmd_name)
        module, name = where.split(":")
        command: click.Command = getattr(importlib.import_module(module), name)
        return command


def _add_database_copy() -> None:
    """`ohjaamo db copy` beside Flask-Migrate's `db upgrade`, in the `db` group the app
    registers (through which Flask runs it in the app's context)."""
    # The Flask-Migrate stubs leave out its cli module.
    from flask_migrate.cli import db  # type: ignore[import-not-found]

    from service.cli.operations import copy_command

    db.add_command(copy_command)


@click.group(cls=_OhjaamoGroup, create_app=create_app)
def cli() -> None:
    """Ohjaamo: booking and process service for work supervision."""


@cli.command("init", with_appcontext=False)
def init_command() -> None:
    """Create the instance folder with a fresh secret key and encryption key."""
    folder = settings.instance_path()
    written = settings.write_instance_file(folder)
    if written is None:
        click.echo(f"{folder / settings.INSTANCE_FILE} exists; left as it is.")
    else:
        click.echo(f"Wrote {written} (keep it secret; back it up with the database).")


@cli.command("demo")
def demo_command() -> None:
    """Load Finnish demo data and print how to sign in."""
    from service.services.operations.demo import load_demo

    result = load_demo()
    if not result.created:
        click.echo("Demo data is already loaded.")
    click.echo("Sign in at " + current_app.config["PUBLIC_BASE_URL"] + " as:")
    for line in result.sign_in:
        click.echo(f"  {line}")


@cli.command("plugins")
def plugins_command() -> None:
    """List the registered plugins and the hooks each implements."""
    for plugin in describe_plugins(current_app.extensions["ohjaamo.plugins"]):
        click.echo(f"{plugin['name']}: {', '.join(plugin['hooks'])}")


@cli.group("calendar")
def calendar_cli() -> None:
    """Supervisors' external calendars."""


@calendar_cli.command("sync")
@click.option("--connection", "connection_id", type=click.UUID, help="Only this connection.")
def calendar_sync_command(connection_id: uuid.UUID | None) -> None:
    """Sync calendar connections now (all of them unless --connection is given)."""
    from sqlalchemy import select

    from service.backends import CalendarError
    from service.extensions import db
    from service.models import CalendarConnection
    from service.services.calendars.sync import sync_connection

    ids = (
        [connection_id]
        if connection_id
        else list(db.session.scalars(select(CalendarConnection.id).order_by(CalendarConnection.id)))
    )
    db.session.rollback()
    failures = 0
    for each in ids:
        with click.progressbar(length=1, label=f"Calendar connection {each}") as bar:

            def advance(done: int, total: int, bar=bar) -> None:
                bar.length = total
                bar.update(1)

            try:
                report = sync_connection(each, clock.now(), progress=advance)
            except CalendarError as failure:
                failures += 1
                click.echo(f"\n  failed: {failure.message}", err=True)
                continue
        click.echo(
            f"  {report.calendars} calendars, {report.changed} changed, "
            f"{report.deleted} deleted, {len(report.remote_changes)} session events changed"
        )
    if failures:
        raise SystemExit(1)


def main() -> None:
    cli(prog_name="ohjaamo")
