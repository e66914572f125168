"""Rooms in: the worker keeps a local copy of each external room system.

For every organisation whose rooms live elsewhere: the rooms are mirrored (a room gone
remotely is taken out of use), their busy time replaces the cache slot search reads,
and every reservation Ohjaamo holds there is asked for its status, so a pending one
that was approved books its session and one declined or deleted remotely is found
and told (``room_lost``). A failing system is recorded on the organisation and the
next one is synced all the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, select

from service.backends import ReservationResult, RoomInfo, RoomSystemError, TimeRange
from service.domain.intervals import Interval, subtract
from service.extensions import db
from service.models import Organisation, Room, RoomBusyInterval, RoomReservation
from service.models import ReservationStatus as StoredStatus
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.services.rooms.access import account_of, load_organisation
from service.services.rooms.reservations import apply_result
from service.services.transactions import end_read_transaction, write_transaction

log = logging.getLogger(__name__)


@dataclass
class RoomSyncReport:
    organisation_id: uuid.UUID
    rooms: int = 0
    busy: int = 0
    refreshed: int = 0
    lost: list[uuid.UUID] = field(default_factory=list)
    error: str | None = None


def sync_room_systems(now: dt.datetime) -> list[RoomSyncReport]:
    """The periodic job: every organisation with an external room system."""
    ids = db.session.scalars(
        select(Organisation.id).where(Organisation.room_system != LOCAL_ROOM_SYSTEM)
    ).all()
    end_read_transaction()
    return [sync_organisation_rooms(organisation_id, now) for organisation_id in ids]


def sync_organisation_rooms(organisation_id: uuid.UUID, now: dt.datetime) -> RoomSyncReport:
    report = RoomSyncReport(organisation_id)
    account = account_of(load_organisation(organisation_id))
    end_read_transaction()
    days = current_app.config["ROOM_SYNC_DAYS_AHEAD"]
    window = TimeRange(now, now + dt.timedelta(days=days))
    try:
        system = account.open()
        rooms = system.list_rooms()
        room_ids = _mirror(organisation_id, rooms, report)
        busy = system.busy([external for external, _ in room_ids], window)
        _cache(room_ids, busy, window, now, report)
        for reservation_id, external_id in _held(organisation_id, now):
            result = system.refresh(external_id)
            _apply_refresh(reservation_id, result, now, report)
    except RoomSystemError as failure:
        log.warning("room system of %s failed: %s", organisation_id, failure)
        report.error = str(failure.problem)
    with write_transaction():
        organisation = load_organisation(organisation_id)
        organisation.rooms_sync_error = report.error
        if report.error is None:
            organisation.rooms_synced_at = now
    return report


def _mirror(
    organisation_id: uuid.UUID, rooms: list[RoomInfo], report: RoomSyncReport
) -> list[tuple[str, uuid.UUID]]:
    """Rooms as the system lists them. A new room whose system does not say its
    capacity waits, out of use, for the orderer to set it."""
    kept: list[tuple[str, uuid.UUID]] = []
    with write_transaction():
        known = {
            room.external_id: room
            for room in db.session.scalars(
                select(Room).where(Room.organisation_id == organisation_id)
            )
        }
        listed = {info.external_id for info in rooms}
        for external_id, known_room in known.items():
            if external_id not in listed:
                known_room.is_active = False
        for info in rooms:
            room = known.get(info.external_id)
            if room is None:
                room = Room(
                    organisation_id=organisation_id,
                    external_id=info.external_id,
                    capacity=info.capacity or 1,
                    is_active=info.capacity is not None,
                )
                db.session.add(room)
            elif info.capacity:
                room.capacity, room.is_active = info.capacity, True
            room.name = info.name[:200]
            room.building, room.floor = info.building or "", info.floor or ""
            room.accessible = bool(info.accessible)
            room.equipment = list(info.equipment)
            db.session.flush()
            kept.append((info.external_id, room.id))
        report.rooms = len(kept)
    return kept


def _cache(
    room_ids: list[tuple[str, uuid.UUID]],
    busy: Mapping[str, list[TimeRange]],
    window: TimeRange,
    now: dt.datetime,
    report: RoomSyncReport,
) -> None:
    """Replace each room's cached busy time. Ohjaamo's own live reservations are taken
    out: they are held locally already, and a session moved by less than its length
    must not collide with its own reservation."""
    with write_transaction():
        for external_id, room_id in room_ids:
            own = [
                Interval(start, end)
                for start, end in db.session.execute(
                    select(RoomReservation.starts_at, RoomReservation.ends_at).where(
                        RoomReservation.room_id == room_id, RoomReservation.active.is_(True)
                    )
                )
            ]
            spans = [Interval(span.start, span.end) for span in busy.get(external_id, ())]
            db.session.execute(delete(RoomBusyInterval).where(RoomBusyInterval.room_id == room_id))
            for span in subtract(spans, own):
                db.session.add(
                    RoomBusyInterval(
                        room_id=room_id, starts_at=span.start, ends_at=span.end, fetched_at=now
                    )
                )
                report.busy += 1


def _held(organisation_id: uuid.UUID, now: dt.datetime) -> list[tuple[uuid.UUID, str]]:
    rows = db.session.execute(
        select(RoomReservation.id, RoomReservation.external_id)
        .join(Room, Room.id == RoomReservation.room_id)
        .where(
            Room.organisation_id == organisation_id,
            RoomReservation.active.is_(True),
            RoomReservation.external_id.is_not(None),
            RoomReservation.status.in_([StoredStatus.PENDING, StoredStatus.CONFIRMED]),
            RoomReservation.ends_at > now,
        )
    ).all()
    end_read_transaction()
    return [(row[0], row[1]) for row in rows if row[1] is not None]  # as the query asks


def _apply_refresh(
    reservation_id: uuid.UUID, result: ReservationResult, now: dt.datetime, report: RoomSyncReport
) -> None:
    apply_result(reservation_id, result, now)
    report.refreshed += 1
    reservation = db.session.get(RoomReservation, reservation_id)
    if reservation is not None and not reservation.active:
        report.lost.append(reservation.session_id)
    end_read_transaction()
