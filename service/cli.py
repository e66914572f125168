"""The `ohjaamo` command: Flask's CLI over `create_app`, plus Ohjaamo's own commands."""

from __future__ import annotations

import datetime as dt
import uuid

import click
from flask import current_app
from flask.cli import FlaskGroup
from flask_migrate.cli import db as db_cli

from service import create_app, settings
from service.api.commands import tokens_cli
from service.feed_commands import feeds_cli
from service.operations_cli import backup_command, copy_command, keys_cli, restore_command
from service.outbox_commands import outbox_cli, worker_command
from service.plugins import describe_plugins
from service.process_cli import processes_cli, sign_in_link_command
from service.room_cli import rooms_cli
from service.user_cli import users_cli


@click.group(cls=FlaskGroup, create_app=create_app)
def cli() -> None:
    """Ohjaamo: booking and process service for work supervision."""


cli.add_command(tokens_cli)
cli.add_command(feeds_cli)
cli.add_command(processes_cli)
cli.add_command(sign_in_link_command)
cli.add_command(worker_command)
cli.add_command(outbox_cli)
cli.add_command(rooms_cli)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(keys_cli)
db_cli.add_command(copy_command)  # `ohjaamo db copy`, beside Flask-Migrate's `db upgrade`
cli.add_command(users_cli)


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
    from service.services.demo import load_demo

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
    from service.services.calendar_sync import sync_connection

    ids = (
        [connection_id]
        if connection_id
        else list(db.session.scalars(select(CalendarConnection.id).order_by(CalendarConnection.id)))
    )
    db.session.rollback()
    failures = 0
    for each in ids:
        with click.progressbar(length=1, label=f"Calendar connection {each}") as bar:

            def advance(done: int, total: int, bar=bar) -> None:  # type: ignore[no-untyped-def]
                bar.length = total
                bar.update(1)

            try:
                report = sync_connection(each, dt.datetime.now(dt.UTC), progress=advance)
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
