"""An organisation with rooms kept in Ohjaamo, a contact, and a group process at its
premises with an upcoming session holding a room, written as booking leaves it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from service import clock
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    OrganisationContact,
    ReservationStatus,
    Room,
    RoomReservation,
    SessionStatus,
    SupervisionSession,
)
from service.services.auth import Principal
from tests import builders

SETUP = dt.timedelta(minutes=10)


@dataclass
class RoomScene:
    organisation_id: uuid.UUID
    rooms: dict[str, uuid.UUID]
    process_id: uuid.UUID
    session_id: uuid.UUID
    contact: Principal
    client: Principal
    supervisor: Principal
    stranger: Principal
    names: list[str]


def room_scene(*capacities: int) -> RoomScene:
    """Rooms "Huone <capacity>" (the first holds the session), a group of three."""
    org = builders.organisation(*capacities)
    org.organisation.name = "Kaupunki"
    process = builders.process(
        builders.supervisor(),
        mode=ProcessMode.GROUP,
        participants=3,
        org=org,
        place=PlaceKind.CLIENT_PREMISES,
    )
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    start = (clock.now() + dt.timedelta(days=9)).replace(second=0, microsecond=0)
    session = SupervisionSession(
        process_id=process.id,
        kind=SessionKind.GROUP,
        status=SessionStatus.BOOKED,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        place_kind=PlaceKind.CLIENT_PREMISES,
        location_id=org.premises.id,
        room_id=org.rooms[0].id,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(
        RoomReservation(
            room_id=org.rooms[0].id,
            session_id=session.id,
            starts_at=start - SETUP,
            ends_at=session.ends_at + SETUP,
            status=ReservationStatus.CONFIRMED,
        )
    )
    db.session.commit()
    people = [process.supervisor.person, *(p.person for p in process.participants)]
    return RoomScene(
        org.organisation.id,
        {room.name: room.id for room in org.rooms},
        process.id,
        session.id,
        builders.principal(contact),
        builders.participant_principal(process),
        builders.supervisor_principal(process),
        builders.principal(builders.person("Ulkopuolinen")),
        [person.name for person in people] + [person.email for person in people],
    )


def room_count(organisation_id: uuid.UUID) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Room).where(Room.organisation_id == organisation_id)
    )


def live_reservations(session_id: uuid.UUID) -> list[RoomReservation]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(RoomReservation).where(
                RoomReservation.session_id == session_id, RoomReservation.active.is_(True)
            )
        )
    )
