"""The rooms a session at a client's premises may take, with their busy time."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from functools import cache

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    String,
    bindparam,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)

from service.domain.availability import Room as RoomCandidate
from service.domain.intervals import Interval, IntervalIndex
from service.domain.localtime import zone_of
from service.domain.room_policy import RoomPolicy
from service.extensions import db
from service.models import Organisation, Room, RoomBusyInterval, RoomClosure, RoomReservation
from service.models.base import UTCDateTime

# Rooms' busy time matters only as far as setup time reaches past the window.
BUSY_MARGIN = dt.timedelta(days=1)

# An id as the database driver returns it, unconverted: a key matching rows to rooms.
_DRIVER_VALUE = String()


def room_candidates(
    organisation_id: uuid.UUID,
    location_id: uuid.UUID | None,
    window: Interval,
    *,
    exclude_session: uuid.UUID | None = None,
) -> tuple[RoomCandidate, ...] | None:
    """The organisation's active rooms at the location (or at none) with their busy time,
    smallest first; None when the organisation keeps no rooms in Ohjaamo (the room is
    then not checked here)."""
    parameters = {
        "organisation_id": organisation_id,
        "low": window.start - BUSY_MARGIN,
        "high": window.end + BUSY_MARGIN,
    }
    if location_id is not None:
        parameters["location_id"] = location_id
    if exclude_session is not None:
        parameters["exclude_session"] = exclude_session
    query = _rooms_query(location_id is not None, exclude_session is not None)
    found: list[tuple[int, str, object, RoomPolicy | None]] = []
    busy: dict[object, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for row in db.session.connection().execute(query, parameters):
        room_id, key, capacity, start, end, *policy = row
        if room_id is None:
            busy[key].append((start, end))
        else:
            found.append((capacity, str(room_id), key, _policy(*policy)))
    if not found:
        return None
    setup = current_app.config["ROOM_SETUP_MINUTES"]
    return tuple(
        RoomCandidate(
            id=room_id,
            capacity=capacity,
            busy=IntervalIndex.from_pairs(busy[key]),
            setup_minutes=setup,
            policy=policy,
        )
        for capacity, room_id, key, policy in sorted(found, key=lambda room: room[:2])
    )


def _policy(
    timezone: str,
    bookable_from: dt.time | None,
    bookable_until: dt.time | None,
    max_advance_days: int | None,
    max_length_minutes: int | None,
) -> RoomPolicy | None:
    """The room's own rules in its organisation's zone; None when it has none."""
    limits = (bookable_from, bookable_until, max_advance_days, max_length_minutes)
    if all(limit is None for limit in limits):
        return None
    return RoomPolicy(zone_of(timezone), *limits)


@cache
def _rooms_query(at_location: bool, excluding_session: bool) -> CompoundSelect:
    """One round trip for the rooms (with their policy and their organisation's zone)
    and the busy time, closures and live reservations of each near the window. Rows of
    busy time name their room by the driver's value of the id (making a UUID of each
    row's id costs more than the query). Built once per shape."""
    room = Room.__table__
    chosen = [room.c.organisation_id == bindparam("organisation_id"), room.c.is_active.is_(True)]
    if at_location:
        location = bindparam("location_id", type_=room.c.location_id.type)
        chosen.append(or_(room.c.location_id == location, room.c.location_id.is_(None)))
    organisation = Organisation.__table__
    policy = (
        organisation.c.timezone,
        room.c.bookable_from,
        room.c.bookable_until,
        room.c.max_advance_days,
        room.c.max_length_minutes,
    )
    reservation = RoomReservation.__table__
    live: list[ColumnElement[bool]] = [reservation.c.active.is_(True)]
    if excluding_session:
        live.append(reservation.c.session_id != bindparam("exclude_session"))

    def busy_of(model: type[RoomBusyInterval | RoomClosure | RoomReservation], *kept):
        table = model.__table__
        return select(
            null(),
            type_coerce(table.c.room_id, _DRIVER_VALUE),
            null(),
            table.c.starts_at,
            table.c.ends_at,
            *[null()] * len(policy),
        ).where(
            table.c.room_id.in_(select(room.c.id).where(*chosen)),
            table.c.ends_at > bindparam("low", type_=UTCDateTime()),
            table.c.starts_at < bindparam("high", type_=UTCDateTime()),
            *kept,
        )

    # The first branch gives the union its column types.
    return union_all(
        select(
            room.c.id,
            type_coerce(room.c.id, _DRIVER_VALUE),
            room.c.capacity,
            type_coerce(null(), UTCDateTime()),
            type_coerce(null(), UTCDateTime()),
            *policy,
        )
        .join_from(room, organisation, organisation.c.id == room.c.organisation_id)
        .where(*chosen),
        busy_of(RoomBusyInterval),
        busy_of(RoomClosure),
        busy_of(RoomReservation, *live),
    )
