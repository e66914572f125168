"""``ohjaamo worker`` and ``ohjaamo outbox list|retry|purge``."""

from __future__ import annotations

import datetime as dt
import uuid

import click
from flask.cli import AppGroup

from service import clock
from service.logs import configure_logging
from service.models import OutboxState
from service.services.outbox import admin as outbox_admin
from service.services.worker.loop import Worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Stop when nothing is due instead of waiting.")
@click.option("--name", default=None, help="Name in the lease columns (default host:pid:random).")
def worker_command(once: bool, name: str | None) -> None:
    """Deliver the outbox and run the periodic jobs until SIGTERM or Ctrl-C."""
    from service import create_app

    app = create_app(http=False)
    configure_logging(app.config, level=app.config["WORKER_LOG_LEVEL"])
    worker = Worker(app, name=name)
    worker.install_signal_handlers()
    worker.run(once=once)


outbox_cli = AppGroup("outbox", help="Look at the outbox, try dead messages again, purge old ones.")


@outbox_cli.command("list")
@click.option("--state", type=click.Choice([state.value for state in OutboxState]))
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
def list_command(state: str | None, limit: int) -> None:
    """The newest messages (identifiers and errors only, never content)."""
    messages = outbox_admin.list_messages(OutboxState(state) if state else None, limit)
    for message in messages:
        error = (message.last_error or "").splitlines()[0][:80] if message.last_error else ""
        click.echo(
            f"{message.id}  {message.state.value:9}  {message.kind:20}  "
            f"attempts={message.attempts}  due={message.due_at.isoformat()}  {error}".rstrip()
        )
    if not messages:
        click.echo("No messages.")


@outbox_cli.command("retry")
@click.argument("message_ids", nargs=-1, type=click.UUID)
@click.option("--all-dead", is_flag=True, help="Every dead message.")
def retry_command(message_ids: tuple[uuid.UUID, ...], all_dead: bool) -> None:
    """Make dead messages due now, with a fresh count of attempts."""
    if bool(message_ids) == all_dead:
        raise click.UsageError("give message ids or --all-dead (not both)")
    count = outbox_admin.retry(None if all_dead else list(message_ids))
    click.echo(f"{count} message(s) will be tried again.")
    if message_ids and count < len(message_ids):
        raise click.ClickException(
            f"{len(message_ids) - count} id(s) are unknown, delivered or being delivered"
        )


@outbox_cli.command("purge")
@click.option("--older-than-days", default=30, show_default=True, type=click.IntRange(min=0))
@click.option("--dead", is_flag=True, help="Dead messages too.")
def purge_command(older_than_days: int, dead: bool) -> None:
    """Delete delivered (and with --dead, dead) messages older than the given days."""
    count = outbox_admin.purge(clock.now() - dt.timedelta(days=older_than_days), dead=dead)
    click.echo(f"Purged {count} message(s).")
