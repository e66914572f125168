"""Handing each message to the handler of its kind, and running periodic jobs.

Periodic jobs run as outbox messages of kind ``periodic``, one per job and interval,
so they are retried like any delivery and run once per interval however many workers
there are.
"""

from __future__ import annotations

import datetime as dt

from service import clock
from service.services.outbox.queue import Delivery
from service.services.outbox.work import PeriodicJob, Work

PERIODIC = "periodic"


class UnknownMessageKind(LookupError):
    """No handler for this kind: it is retried, and ends dead, until one is installed."""


def dispatch(work: Work, delivery: Delivery) -> None:
    if delivery.kind == PERIODIC:
        job = next((job for job in work.jobs if job.name == delivery.payload["job"]), None)
        if job is None:
            raise UnknownMessageKind(f"periodic job {delivery.payload['job']!r}")
        job.run(clock.now())
        return
    handler = work.handlers.get(delivery.kind)
    if handler is None:
        raise UnknownMessageKind(delivery.kind)
    handler(delivery)


def periodic_key(job: PeriodicJob, now: dt.datetime, every_seconds: float) -> str:
    """The same key for every worker within one interval, so one run is written."""
    return f"{PERIODIC}:{job.name}:{int(now.timestamp() // every_seconds)}"
