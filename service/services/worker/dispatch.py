"""What the worker does with each kind of message, and which jobs it runs periodically.

Both tables are the one place to wire new work in. A message kind is one line in
``HANDLERS`` (a function taking a ``Delivery``; raise to retry). A periodic job is one
line in ``PERIODIC_JOBS`` naming the setting that holds its interval in seconds (0
turns it off) and a function taking ``now``. Periodic jobs run as outbox messages of
kind ``periodic``, one per job and interval, so they are retried like any delivery and
run once per interval however many workers there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from service import clock
from service.services.availability.holds import release_lapsed_holds
from service.services.booking.mail import (
    BOOKING_EMAIL,
    deliver_booking_email,
    fan_out_booking_change,
)
from service.services.booking.reminders import enqueue_reminders
from service.services.calendars.push import OUTBOX_HANDLERS as CALENDAR_HANDLERS
from service.services.calendars.sync import sync_due_connections
from service.services.notify.webhook_delivery import deliver_webhook
from service.services.notify.webhooks import WEBHOOK, purge_delivery_log
from service.services.outbox.admin import purge_delivered
from service.services.outbox.queue import Delivery
from service.services.privacy.retention import purge_closed_content
from service.services.processes.inquiries import expire_unconfirmed
from service.services.processes.mail import HANDLERS as PROCESS_MAIL_HANDLERS
from service.services.rooms.reservations import OUTBOX_HANDLERS as ROOM_HANDLERS
from service.services.rooms.sync import sync_room_systems

Handler = Callable[[Delivery], None]
PERIODIC = "periodic"


class UnknownMessageKind(LookupError):
    """No handler for this kind: it is retried, and ends dead, until one is installed."""


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_setting: str
    run: Callable[[dt.datetime], object]


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("reminders", "REMINDERS_EVERY_SECONDS", enqueue_reminders),
    PeriodicJob("lapsed holds", "LAPSED_HOLDS_EVERY_SECONDS", release_lapsed_holds),
    PeriodicJob("outbox purge", "OUTBOX_PURGE_EVERY_SECONDS", purge_delivered),
    PeriodicJob("calendar sync", "CALENDAR_SYNC_EVERY_SECONDS", sync_due_connections),
    PeriodicJob("expired inquiries", "EXPIRED_INQUIRIES_EVERY_SECONDS", expire_unconfirmed),
    PeriodicJob("retention purge", "RETENTION_PURGE_EVERY_SECONDS", purge_closed_content),
    PeriodicJob("webhook log purge", "WEBHOOK_LOG_PURGE_EVERY_SECONDS", purge_delivery_log),
    PeriodicJob("room sync", "ROOM_SYNC_EVERY_SECONDS", sync_room_systems),
)


def run_periodic_job(delivery: Delivery) -> None:
    jobs = {job.name: job for job in PERIODIC_JOBS}
    job = jobs.get(delivery.payload["job"])
    if job is None:
        raise UnknownMessageKind(f"periodic job {delivery.payload['job']!r}")
    job.run(clock.now())


HANDLERS: dict[str, Handler] = {
    "booking.created": fan_out_booking_change,
    "booking.moved": fan_out_booking_change,
    "booking.cancelled": fan_out_booking_change,
    BOOKING_EMAIL: deliver_booking_email,
    PERIODIC: run_periodic_job,
    WEBHOOK: deliver_webhook,
    **PROCESS_MAIL_HANDLERS,
    **CALENDAR_HANDLERS,
    **ROOM_HANDLERS,
}


def dispatch(delivery: Delivery) -> None:
    handler = HANDLERS.get(delivery.kind)
    if handler is None:
        raise UnknownMessageKind(delivery.kind)
    handler(delivery)


def periodic_key(job: PeriodicJob, now: dt.datetime, every_seconds: float) -> str:
    """The same key for every worker within one interval, so one run is written."""
    return f"{PERIODIC}:{job.name}:{int(now.timestamp() // every_seconds)}"
