"""`LocalRoomStore`: the rooms kept in Ohjaamo, read for the built-in `ohjaamo` system.

A room's id is its external id there; a reservation is the `RoomReservation` row the
booking transaction wrote, found by its id or its idempotency key.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import select, true

from service.backends import (
    ReservationResult,
    ReservationStatus,
    RoomInfo,
    RoomPolicy,
    TimeRange,
)
from service.extensions import db
from service.models import ReservationStatus as StoredStatus
from service.models import Room, RoomClosure, RoomReservation

RESERVATION_KEY_PREFIX = "ohjaamo-room-"


def reservation_key(reservation_id: uuid.UUID) -> str:
    """The idempotency key of a reservation: the same for every try, and the CalDAV
    object's UID (so a retry after a lost answer writes the same object)."""
    return f"{RESERVATION_KEY_PREFIX}{reservation_id}"


class LocalRoomStore:
    def __init__(self, organisation_id: uuid.UUID) -> None:
        self.organisation_id = organisation_id

    def _rooms(self) -> list[Room]:
        return list(
            db.session.scalars(
                select(Room).where(
                    Room.organisation_id == self.organisation_id, Room.is_active.is_(True)
                )
            )
        )

    def rooms(self) -> list[RoomInfo]:
        return [
            RoomInfo(
                external_id=str(room.id),
                name=room.name,
                capacity=room.capacity,
                building=room.building or None,
                floor=room.floor or None,
                accessible=room.accessible,
                equipment=tuple(room.equipment or ()),
            )
            for room in self._rooms()
        ]

    def policy(self, room_external_id: str) -> RoomPolicy:
        room = db.session.get(Room, uuid.UUID(room_external_id))
        if room is None:
            return RoomPolicy()
        return RoomPolicy(
            timezone=room.organisation.timezone,
            bookable_from=room.bookable_from,
            bookable_until=room.bookable_until,
            max_advance_days=room.max_advance_days,
            max_length_minutes=room.max_length_minutes,
        )

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        found: dict[str, list[TimeRange]] = {room_id: [] for room_id in room_external_ids}
        ids = [uuid.UUID(room_id) for room_id in room_external_ids]
        for model, live in ((RoomClosure, true()), (RoomReservation, RoomReservation.active)):
            rows = db.session.execute(
                select(model.room_id, model.starts_at, model.ends_at).where(
                    model.room_id.in_(ids),
                    model.starts_at < window.end,
                    model.ends_at > window.start,
                    live,
                )
            )
            for room_id, start, end in rows:
                found[str(room_id)].append(TimeRange(start, end))
        return found

    def reservation(self, key: str) -> ReservationResult:
        try:
            reservation_id = uuid.UUID(key.removeprefix(RESERVATION_KEY_PREFIX))
        except ValueError:
            return ReservationResult(ReservationStatus.REJECTED, None, "unknown reservation")
        found = db.session.get(RoomReservation, reservation_id)
        if found is None or not found.active:
            return ReservationResult(ReservationStatus.REJECTED, key, "released")
        status = (
            ReservationStatus.CONFIRMED
            if found.status is StoredStatus.CONFIRMED
            else ReservationStatus.PENDING
        )
        return ReservationResult(status, str(found.id))
