"""Everything the worker is given to do, gathered from the features' ``work`` modules.

The worker imports no feature: `create_app` hands it this whole (in
``app.extensions["ohjaamo.work"]``), and a new message kind or periodic job is one
line in its feature's ``work`` module.
"""

from __future__ import annotations

from service.services.availability.work import WORK as AVAILABILITY
from service.services.booking.work import WORK as BOOKING
from service.services.calendars.work import WORK as CALENDARS
from service.services.notify.work import WORK as NOTIFY
from service.services.outbox.admin import purge_delivered
from service.services.outbox.work import PeriodicJob, Work
from service.services.privacy.work import WORK as PRIVACY
from service.services.processes.work import WORK as PROCESSES
from service.services.rooms.work import WORK as ROOMS

OUTBOX = Work(jobs=(PeriodicJob("outbox purge", "OUTBOX_PURGE_EVERY_SECONDS", purge_delivered),))


def all_work() -> Work:
    return AVAILABILITY + BOOKING + CALENDARS + NOTIFY + OUTBOX + PRIVACY + PROCESSES + ROOMS
