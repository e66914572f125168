"""The `ohjaamo` command: Flask's CLI over `create_app`, plus Ohjaamo's own commands."""

from __future__ import annotations

import importlib

import click
from flask import current_app
from flask.cli import FlaskGroup

from service import create_app, settings
from service.plugins import describe_plugins

# Each command's module is imported when the command is named (click's lazy-loading
# recipe): `ohjaamo worker` then loads neither the API nor Alembic.
_COMMANDS: dict[str, str] = {
    "tokens": "service.cli.tokens:tokens_cli",
    "feeds": "service.cli.feeds:feeds_cli",
    "calendar": "service.cli.calendars:calendar_cli",
    "processes": "service.cli.processes:processes_cli",
    "sign-in-link": "service.cli.processes:sign_in_link_command",
    "worker": "service.cli.outbox:worker_command",
    "outbox": "service.cli.outbox:outbox_cli",
    "rooms": "service.cli.rooms:rooms_cli",
    "backup": "service.cli.operations:backup_command",
    "restore": "service.cli.operations:restore_command",
    "keys": "service.cli.operations:keys_cli",
    "users": "service.cli.users:users_cli",
    "supervisors": "service.cli.supervisors:supervisors_cli",
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


def main() -> None:
    cli(prog_name="ohjaamo")
