"""An orderer contact's rooms and the reservations Ohjaamo made in them.

A reservation is shown as the room system sees it: the room, the time, its state and
the neutral title; never who takes part or what the session is about.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.domain.intervals import Interval
from service.extensions import db
from service.models import (
    ReservationStatus,
    Room,
    RoomReservation,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.access import contact_organisations
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.listing import After, Page, keyset_page
from service.services.session_outward import session_title


@dataclass(frozen=True)
class ReservationView:
    id: uuid.UUID
    room_id: uuid.UUID
    organisation_id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: ReservationStatus
    active: bool
    title: str


def _organisations(principal: Principal, organisation_id: uuid.UUID | None) -> list[uuid.UUID]:
    mine = list(db.session.scalars(contact_organisations(principal)))
    if organisation_id is None:
        return mine
    if organisation_id not in mine:
        raise NotFound()
    return [organisation_id]


def rooms_for(principal: Principal, organisation_id: uuid.UUID | None = None) -> list[Room]:
    """The rooms of the organisations the principal is a contact of (or of one of them)."""
    organisations = _organisations(principal, organisation_id)
    return list(
        db.session.scalars(
            select(Room)
            .where(Room.organisation_id.in_(organisations))
            .order_by(Room.organisation_id, Room.name, Room.id)
        )
    )


def reservations_for(
    principal: Principal,
    window: Interval,
    *,
    organisation_id: uuid.UUID | None = None,
    after: After | None = None,
    limit: int,
) -> Page[ReservationView]:
    """Reservations in those rooms overlapping the window, in time order."""
    organisations = _organisations(principal, organisation_id)
    statement = (
        select(RoomReservation)
        .join(Room, Room.id == RoomReservation.room_id)
        .where(
            Room.organisation_id.in_(organisations),
            RoomReservation.starts_at < window.end,
            RoomReservation.ends_at > window.start,
        )
    )
    page = keyset_page(
        statement,
        RoomReservation.starts_at,
        RoomReservation.id,
        after=after,
        limit=limit,
        at_of=lambda reservation: reservation.starts_at,
    )
    return Page([_view(reservation) for reservation in page.items], page.next)


def _view(reservation: RoomReservation) -> ReservationView:
    room = db.session.get(Room, reservation.room_id)
    code = db.session.scalar(
        select(SupervisionProcess.code)
        .join(SupervisionSession, SupervisionSession.process_id == SupervisionProcess.id)
        .where(SupervisionSession.id == reservation.session_id)
    )
    assert room is not None and code is not None  # both are foreign keys
    return ReservationView(
        id=reservation.id,
        room_id=reservation.room_id,
        organisation_id=room.organisation_id,
        starts_at=reservation.starts_at,
        ends_at=reservation.ends_at,
        status=reservation.status,
        active=reservation.active,
        title=session_title(code),
    )
