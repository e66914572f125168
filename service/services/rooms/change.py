"""The orderer contact moves an upcoming session at their premises to another room.

The time stays, so the supervisor's side is untouched; the room is judged by the same
code booking uses (``booking_context`` with the session's own reservation left out,
``rooms_free`` for capacity, busy time, closures and set-up time) once to offer the
rooms and again inside the transaction. The old reservation is released and the new
one made as booking makes it: a room kept in Ohjaamo in this transaction, an external
one through the outbox, the session waiting for the room until the system confirms.
The supervisor and each participant get an updated invitation with the new place, as a
booking's invitation is sent before an external system confirms its room.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from service.domain.availability import rooms_free
from service.domain.errors import DomainError
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import Room, SupervisionSession
from service.services import audit
from service.services.auth import Principal
from service.services.availability.schedule import BookingContext
from service.services.booking.mail import ROOM_CHANGED_EVENT, enqueue_emails
from service.services.booking.steps import (
    CHANGEABLE,
    RuleConflict,
    release_rooms,
    reserve_room,
)
from service.services.booking.target import BookingTarget, context_of
from service.services.calendars.push import enqueue_calendar_update
from service.services.errors import NotFound
from service.services.rooms.organisation import contact_organisation
from service.services.transactions import end_read_transaction, write_transaction


class RoomNotChangeable(DomainError):
    code = "room_not_changeable"
    default_message = "Only the room of an upcoming booked session at your premises changes."


class RoomTaken(DomainError):
    code = "room_taken"
    default_message = "That room is not free for the session any more."


@dataclass(frozen=True)
class RoomChoices:
    session: SupervisionSession
    current: Room | None
    free: list[Room]
    needed: int


def _session(
    principal: Principal, organisation_id: uuid.UUID, session_id: uuid.UUID, now: dt.datetime
) -> SupervisionSession:
    contact_organisation(principal, organisation_id)
    session = db.session.get(SupervisionSession, session_id)
    if session is None or session.process.orderer_organisation_id != organisation_id:
        raise NotFound()
    if (
        session.status not in CHANGEABLE
        or session.starts_at <= now
        or session.place_kind is not PlaceKind.CLIENT_PREMISES
    ):
        raise RoomNotChangeable()
    return session


def _context(session: SupervisionSession) -> BookingContext:
    """The session's booking rules without its cadence (its time is not changing)."""
    return context_of(session.process, BookingTarget.for_session(session, series=True))


def _free_room_ids(
    session: SupervisionSession, context: BookingContext, now: dt.datetime
) -> set[str]:
    interval = Interval(session.starts_at, session.ends_at)
    return set(rooms_free(context.request, interval, now)) - {str(session.room_id)}


def room_choices(
    principal: Principal, organisation_id: uuid.UUID, session_id: uuid.UUID, *, now: dt.datetime
) -> RoomChoices:
    """The other rooms free for the session with room for everyone, smallest first."""
    session = _session(principal, organisation_id, session_id, now)
    context = _context(session)
    free = [
        db.session.get_one(Room, uuid.UUID(room_id))
        for room_id in _free_room_ids(session, context, now)
    ]
    free.sort(key=lambda room: (room.capacity, room.name))
    current = db.session.get(Room, session.room_id) if session.room_id else None
    return RoomChoices(session, current, free, context.request.required_capacity)


def change_room(
    principal: Principal,
    organisation_id: uuid.UUID,
    session_id: uuid.UUID,
    room_id: uuid.UUID,
    *,
    now: dt.datetime,
) -> None:
    """Release the session's room and reserve ``room_id``; `RoomTaken` if it does not fit."""
    session = _session(principal, organisation_id, session_id, now)
    supervisor_id = session.process.supervisor_id
    end_read_transaction()
    try:
        with write_transaction(lock_supervisor=supervisor_id):
            session = _session(principal, organisation_id, session_id, now)
            context = _context(session)
            if str(room_id) not in _free_room_ids(session, context, now):
                raise RuleConflict([])
            previous = session.room_id
            release_rooms(session)
            reserve_room(
                context,
                session,
                Interval(session.starts_at, session.ends_at),
                now,
                room_id=room_id,
            )
            session.sequence += 1
            db.session.flush()
            enqueue_calendar_update(session)
            enqueue_emails(session, ROOM_CHANGED_EVENT, session.sequence)
            audit.record(
                "room.changed",
                "session",
                session_id,
                actor_id=principal.person_id,
                previous_room=str(previous) if previous else None,
                room=str(room_id),
            )
    except (RuleConflict, IntegrityError):
        db.session.rollback()
        raise RoomTaken() from None
