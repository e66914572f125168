"""``ohjaamo calendar sync``: supervisors' calendars read now, and the sessions waiting
to be written into a newly chosen receiving calendar written now, with progress bars."""

from __future__ import annotations

import uuid

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from service import clock
from service.backends import CalendarError
from service.extensions import db
from service.models import CalendarConnection
from service.services.calendars.backfill import waiting_writes
from service.services.calendars.sync import SyncReport, sync_connection
from service.services.outbox import leases as outbox_leases
from service.services.outbox.leases import LeaseSettings
from service.services.worker.loop import Worker, worker_name

calendar_cli = AppGroup("calendar", help="Supervisors' external calendars.")


@calendar_cli.command("sync")
@click.option("--connection", "connection_id", type=click.UUID, help="Only this connection.")
def calendar_sync_command(connection_id: uuid.UUID | None) -> None:
    """Sync calendar connections now (all of them unless --connection is given), and
    write the sessions still waiting to reach a newly chosen receiving calendar."""
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
        _tell(report)
        failures += _write_waiting_sessions(each)
    if failures:
        raise SystemExit(1)


def _tell(report: SyncReport) -> None:
    click.echo(
        f"  {report.calendars} calendars, {report.changed} changed, "
        f"{report.deleted} deleted, {len(report.remote_changes)} session events changed"
    )
    if report.unreadable:
        click.echo(f"  {len(report.unreadable)} events could not be read and block no time:")
    for found in report.unreadable:  # the address and the reason; titles are the supervisor's
        click.echo(f"    {found.href}: {found.message}")


def _write_waiting_sessions(connection_id: uuid.UUID) -> int:
    """Deliver the connection's waiting session writes as the worker would (leased, so
    no worker delivers them beside this); how many failed (they are retried later)."""
    waiting = waiting_writes(connection_id)
    db.session.rollback()
    if not waiting:
        return 0
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = Worker(app, name=f"calendar-sync:{worker_name()}")
    settings = LeaseSettings.from_config(app.config)
    with click.progressbar(length=len(waiting), label="Writing sessions to the calendar") as bar:
        while batch := outbox_leases.claim(worker.name, clock.now(), settings, only=waiting):
            for delivery in batch:
                worker.deliver(delivery)
                waiting.remove(delivery.id)
                bar.update(1)
    still = set(waiting_writes(connection_id)) & set(waiting)
    db.session.rollback()
    failed = len(still)
    if failed:
        click.echo(f"  {failed} sessions could not be written yet; the worker tries again.")
    return failed
