"""The worker's work for processes: their emails, and removing unconfirmed inquiries."""

from __future__ import annotations

from service.services.outbox.work import PeriodicJob, Work
from service.services.processes.inquiries import expire_unconfirmed
from service.services.processes.mail import HANDLERS

WORK = Work(
    handlers=HANDLERS,
    jobs=(PeriodicJob("expired inquiries", "EXPIRED_INQUIRIES_EVERY_SECONDS", expire_unconfirmed),),
)
