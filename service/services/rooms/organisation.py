"""An organisation's rooms as its orderer contact sees them: the rooms, their closed
periods, the room system's state and the upcoming reservations Ohjaamo made there.

Reservations show times, rooms, process codes and status only; never who takes part.
Someone who is not a contact of the organisation is told it does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.backends import RoomProblem
from service.extensions import db
from service.models import (
    Organisation,
    ReservationStatus,
    Room,
    RoomClosure,
    RoomReservation,
    SupervisionProcess,
    SupervisionSession,
)
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.services.auth import Principal
from service.services.booking.steps import CHANGEABLE
from service.services.errors import NotFound
from service.services.orderer.overview import orderer_organisations


@dataclass(frozen=True)
class ReservationLine:
    session_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_name: str
    process_code: str
    confirmed: bool
    changeable: bool


@dataclass(frozen=True)
class RoomsView:
    organisation: Organisation
    rooms: list[Room]
    closures: dict[uuid.UUID, list[RoomClosure]]
    reservations: list[ReservationLine]

    @property
    def local(self) -> bool:
        return self.organisation.room_system == LOCAL_ROOM_SYSTEM

    @property
    def sync_problem(self) -> RoomProblem | None:
        """The last sync's failure as a problem key (an unknown one reads as a bad answer)."""
        error = self.organisation.rooms_sync_error
        if not error:
            return None
        try:
            return RoomProblem(error)
        except ValueError:
            return RoomProblem.BAD_ANSWER


def contact_organisation(principal: Principal, organisation_id: uuid.UUID) -> Organisation:
    """The organisation, if the principal is one of its contacts; otherwise NotFound."""
    for organisation in orderer_organisations(principal):
        if organisation.id == organisation_id:
            return organisation
    raise NotFound()


def contact_room(principal: Principal, organisation_id: uuid.UUID, room_id: uuid.UUID) -> Room:
    organisation = contact_organisation(principal, organisation_id)
    room = db.session.get(Room, room_id)
    if room is None or room.organisation_id != organisation.id:
        raise NotFound()
    return room


def rooms_view(principal: Principal, organisation_id: uuid.UUID, *, now: dt.datetime) -> RoomsView:
    organisation = contact_organisation(principal, organisation_id)
    rooms = list(organisation.rooms)
    closures: dict[uuid.UUID, list[RoomClosure]] = {room.id: [] for room in rooms}
    for closure in db.session.scalars(
        select(RoomClosure)
        .where(RoomClosure.room_id.in_(closures), RoomClosure.ends_at > now)
        .order_by(RoomClosure.starts_at)
    ):
        closures[closure.room_id].append(closure)
    return RoomsView(organisation, rooms, closures, upcoming_reservations(organisation.id, now))


def upcoming_reservations(organisation_id: uuid.UUID, now: dt.datetime) -> list[ReservationLine]:
    rows = db.session.execute(
        select(SupervisionSession, Room.name, SupervisionProcess.code, RoomReservation.status)
        .join(RoomReservation, RoomReservation.session_id == SupervisionSession.id)
        .join(Room, Room.id == RoomReservation.room_id)
        .join(SupervisionProcess, SupervisionProcess.id == SupervisionSession.process_id)
        .where(
            Room.organisation_id == organisation_id,
            RoomReservation.active.is_(True),
            SupervisionSession.overlapping(now),
        )
        .order_by(SupervisionSession.starts_at)
    )
    return [
        ReservationLine(
            session.id,
            session.starts_at,
            session.ends_at,
            room_name,
            code,
            status is ReservationStatus.CONFIRMED,
            session.status in CHANGEABLE and session.starts_at > now,
        )
        for session, room_name, code, status in rows
    ]
