"""The worker's work for rooms: reservations made and released in organisations' room
systems, and the periodic reading of their rooms."""

from __future__ import annotations

from service.services.outbox.work import PeriodicJob, Work
from service.services.rooms.reservations import OUTBOX_HANDLERS
from service.services.rooms.sync import sync_room_systems

WORK = Work(
    handlers=OUTBOX_HANDLERS,
    jobs=(PeriodicJob("room sync", "ROOM_SYNC_EVERY_SECONDS", sync_room_systems),),
)
