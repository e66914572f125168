"""Group sessions at client premises booked against a real room system."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import (
    ProcessMode,
    Room,
    RoomReservation,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.booking.changes import BookSession, book_session
from service.services.rooms.settings import save_room_system
from service.services.rooms.sync import sync_organisation_rooms
from tests import builders
from tests.builders import NOW, OrganisationSetup, helsinki
from tests.outbox.helpers import deliver_all

WEDNESDAY_10 = helsinki(2027, 3, 3, 10)
SETUP = dt.timedelta(minutes=10)


def external_organisation(
    system: str, settings: dict, secret: str | None
) -> tuple[OrganisationSetup, SupervisionProcess]:
    """An organisation using `system`, its rooms synced, and a group process of four."""
    org = builders.organisation(room_system="ohjaamo")
    save_room_system(org.organisation.id, system, settings, secret)
    sync_organisation_rooms(org.organisation.id, NOW)
    process = builders.process(
        builders.supervisor(),
        mode=ProcessMode.GROUP,
        participants=4,
        org=org,
        place=PlaceKind.CLIENT_PREMISES,
    )
    return org, process


def book_group(process: SupervisionProcess, start: dt.datetime = WEDNESDAY_10):
    who = builders.supervisor_principal(process)
    return book_session(who, BookSession(process.id, start), now=NOW)


def session_of(outcome) -> SupervisionSession:
    db.session.rollback()
    return db.session.get(SupervisionSession, outcome.session_id)


def reservation_of(outcome) -> RoomReservation:
    return db.session.scalar(
        select(RoomReservation)
        .where(RoomReservation.session_id == outcome.session_id)
        .order_by(RoomReservation.created_at.desc())
    )


def room_named(org: OrganisationSetup, name: str) -> Room:
    return db.session.scalar(
        select(Room).where(Room.organisation_id == org.organisation.id, Room.name == name)
    )


def run_worker(app: Flask) -> None:
    deliver_all(app)
