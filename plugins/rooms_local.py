"""The built-in room system for organisations without one: rooms kept in Ohjaamo.

The orderer contact manages the rooms, their bookable hours and closed periods on the
rooms page. A reservation is written in the booking transaction itself and guarded by
the same database constraint as the supervisor's time, so this system only reads: the
core hands it a `RoomStore` in `settings["store"]`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from service.backends import (
    OutwardPolicy,
    ReservationRequest,
    ReservationResult,
    RoomInfo,
    RoomProblem,
    RoomStore,
    RoomSystemError,
    TimeRange,
)
from service.hookspecs import hookimpl


class OhjaamoRooms:
    """`RoomSystem` over the rooms kept in Ohjaamo's database."""

    name: ClassVar[str] = "ohjaamo"

    def __init__(
        self, *, settings: Mapping[str, Any], timeout: float, outward: OutwardPolicy
    ) -> None:
        """Reads the database only; ``outward`` goes unused (no outward requests)."""
        store = settings.get("store")
        if not isinstance(store, RoomStore):
            raise RoomSystemError(RoomProblem.BAD_SETTINGS, "no room store handed in")
        self.store = store

    def list_rooms(self) -> list[RoomInfo]:
        return self.store.rooms()

    def busy(
        self, room_external_ids: Sequence[str], window: TimeRange
    ) -> Mapping[str, list[TimeRange]]:
        return self.store.busy(room_external_ids, window)

    def check_policy(self, room_external_id: str, window: TimeRange, now: dt.datetime) -> list[str]:
        return self.store.policy(room_external_id).problems(window, now)

    def reserve(self, request: ReservationRequest) -> ReservationResult:
        return self.store.reservation(request.idempotency_key)

    def update(self, external_id: str, request: ReservationRequest) -> ReservationResult:
        return self.store.reservation(external_id)

    def release(self, external_id: str) -> None:
        """The booking transaction already gave the room back with the session."""

    def refresh(self, external_id: str) -> ReservationResult:
        return self.store.reservation(external_id)


@hookimpl
def ohjaamo_register_room_systems() -> list[type]:
    return [OhjaamoRooms]
