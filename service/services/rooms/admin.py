"""The orderer contact keeps the organisation's rooms: rooms kept in Ohjaamo with their
rules and closed periods, and the capacity of a room mirrored from a room system (one
the system lists without a capacity stays out of use until it is given).

Input is read and checked whole before the transaction begins, so bad input writes
nothing. Each change is audit-logged with the contact as the actor.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from service.domain.errors import DomainError
from service.domain.room_input import capacity_of, closure_values, room_values
from service.extensions import db
from service.models import Room, RoomClosure
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.services import audit
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.rooms.organisation import contact_organisation, contact_room
from service.services.transactions import end_read_transaction, write_transaction


class RoomsKeptElsewhere(DomainError):
    """Rooms of an organisation with its own room system are changed in that system."""

    code = "rooms_kept_elsewhere"
    default_message = "This organisation's rooms are kept in its own room system."


class RoomKeptInOhjaamo(DomainError):
    code = "room_kept_in_ohjaamo"
    default_message = "A room kept in Ohjaamo is edited with all its details."


def _local_only(principal: Principal, organisation_id: uuid.UUID) -> None:
    organisation = contact_organisation(principal, organisation_id)
    if organisation.room_system != LOCAL_ROOM_SYSTEM:
        raise RoomsKeptElsewhere()


def _apply(room: Room, raw: Mapping[str, str]) -> None:
    values = room_values(raw)
    room.name, room.capacity = values.name, values.capacity
    room.building, room.floor = values.building, values.floor
    room.accessible, room.equipment = values.accessible, list(values.equipment)
    room.bookable_from, room.bookable_until = values.bookable_from, values.bookable_until
    room.max_advance_days = values.max_advance_days
    room.max_length_minutes = values.max_length_minutes
    room.is_active = values.is_active


def add_room(principal: Principal, organisation_id: uuid.UUID, raw: Mapping[str, str]) -> uuid.UUID:
    _local_only(principal, organisation_id)
    room_values(raw)
    end_read_transaction()
    with write_transaction():
        room = Room(organisation_id=organisation_id)
        _apply(room, raw)
        db.session.add(room)
        db.session.flush()
        audit.record("room.added", "room", room.id, actor_id=principal.person_id)
        return room.id


def update_room(
    principal: Principal, organisation_id: uuid.UUID, room_id: uuid.UUID, raw: Mapping[str, str]
) -> None:
    _local_only(principal, organisation_id)
    contact_room(principal, organisation_id, room_id)
    room_values(raw)
    end_read_transaction()
    with write_transaction():
        _apply(db.session.get_one(Room, room_id), raw)
        audit.record("room.changed", "room", room_id, actor_id=principal.person_id)


def set_capacity(
    principal: Principal, organisation_id: uuid.UUID, room_id: uuid.UUID, text: str
) -> None:
    """The capacity of a mirrored room; giving one puts the room in use."""
    room = contact_room(principal, organisation_id, room_id)
    if room.organisation.room_system == LOCAL_ROOM_SYSTEM:
        raise RoomKeptInOhjaamo()
    capacity = capacity_of(text)
    end_read_transaction()
    with write_transaction():
        room = db.session.get_one(Room, room_id)
        room.capacity, room.is_active = capacity, True
        audit.record("room.capacity_set", "room", room_id, actor_id=principal.person_id)


def add_closure(
    principal: Principal, organisation_id: uuid.UUID, room_id: uuid.UUID, raw: Mapping[str, str]
) -> uuid.UUID:
    _local_only(principal, organisation_id)
    room = contact_room(principal, organisation_id, room_id)
    values = closure_values(raw, room.organisation.timezone)
    end_read_transaction()
    with write_transaction():
        closure = RoomClosure(
            room_id=room_id,
            starts_at=values.period.start,
            ends_at=values.period.end,
            reason=values.reason,
        )
        db.session.add(closure)
        db.session.flush()
        audit.record("room.closure_added", "room", room_id, actor_id=principal.person_id)
        return closure.id


def remove_closure(
    principal: Principal, organisation_id: uuid.UUID, room_id: uuid.UUID, closure_id: uuid.UUID
) -> None:
    _local_only(principal, organisation_id)
    contact_room(principal, organisation_id, room_id)
    closure = db.session.get(RoomClosure, closure_id)
    if closure is None or closure.room_id != room_id:
        raise NotFound()
    end_read_transaction()
    with write_transaction():
        db.session.delete(db.session.get(RoomClosure, closure_id))
        audit.record("room.closure_removed", "room", room_id, actor_id=principal.person_id)
