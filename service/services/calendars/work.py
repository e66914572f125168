"""The worker's work for calendars: sessions written to and removed from supervisors'
calendars, and the periodic sync of their busy time."""

from __future__ import annotations

from service.services.calendars.push import OUTBOX_HANDLERS
from service.services.calendars.sync import sync_due_connections
from service.services.outbox.work import PeriodicJob, Work

WORK = Work(
    handlers=OUTBOX_HANDLERS,
    jobs=(PeriodicJob("calendar sync", "CALENDAR_SYNC_EVERY_SECONDS", sync_due_connections),),
)
