"""`ohjaamo rooms ...`: an organisation's room system, tested and synced by hand."""

from __future__ import annotations

import uuid

import click
from flask.cli import AppGroup

from service import clock
from service.services.errors import NotFound
from service.services.rooms.settings import check_connection
from service.services.rooms.sync import sync_room_systems

rooms_cli = AppGroup("rooms", help="Room systems of orderer organisations.")


@rooms_cli.command("test")
@click.argument("organisation_id", type=click.UUID)
def test_command(organisation_id: uuid.UUID) -> None:
    """List ORGANISATION_ID's rooms in its room system, with a short timeout."""
    try:
        result = check_connection(organisation_id)
    except NotFound:
        raise click.ClickException(f"No organisation {organisation_id}.") from None
    if not result.ok:
        raise click.ClickException(result.message)
    click.echo(result.message)


@rooms_cli.command("sync")
def sync_command() -> None:
    """Refresh every external room system now: rooms, busy time, reservations."""
    failed = 0
    for report in sync_room_systems(clock.now()):
        state = report.error or "ok"
        click.echo(
            f"{report.organisation_id}: {state}, {report.rooms} rooms, {report.busy} busy "
            f"intervals, {report.refreshed} reservations refreshed, {len(report.lost)} lost"
        )
        failed += report.error is not None
    if failed:
        raise click.ClickException(f"{failed} room systems failed.")
