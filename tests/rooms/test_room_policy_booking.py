"""A room's own policy (bookable hours, advance, length) in slot search and at booking,
on both databases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from service.domain.errors import Reason
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import RoomReservation
from service.services.booking.changes import BookingConflict, BookSession, book_session
from service.services.booking.slots import SlotQuery, search_slots
from tests import builders
from tests.builders import NOW, helsinki

HELSINKI = ZoneInfo("Europe/Helsinki")
SETUP = dt.timedelta(minutes=10)


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app


def group_at_premises(**policy: object):
    org = builders.organisation(6)
    for name, value in policy.items():
        setattr(org.rooms[0], name, value)
    db.session.commit()
    process = builders.process(
        builders.supervisor(), participants=4, org=org, place=PlaceKind.CLIENT_PREMISES
    )
    return org, process


def local_clock(moment: dt.datetime) -> dt.time:
    return moment.astimezone(HELSINKI).time()


def test_only_slots_inside_the_rooms_hours_are_offered_and_booked(ctx: Flask) -> None:
    org, process = group_at_premises(bookable_from=dt.time(8), bookable_until=dt.time(12))
    principal = builders.participant_principal(process)
    day = Interval(helsinki(2027, 3, 3, 0), helsinki(2027, 3, 4, 0))
    offered = search_slots(principal, SlotQuery(day, process_id=process.id), NOW)
    assert offered
    assert all(local_clock(slot.start - SETUP) >= dt.time(8) for slot in offered)
    assert all(local_clock(slot.end + SETUP) <= dt.time(12) for slot in offered)
    assert local_clock(offered[-1].start) == dt.time(10)  # 90 minutes and set-up by 12:00

    with pytest.raises(BookingConflict) as caught:
        book_session(principal, BookSession(process.id, helsinki(2027, 3, 3, 13)), now=NOW)
    assert caught.value.reasons == [Reason.NO_ROOM]
    alternatives = caught.value.alternatives
    assert alternatives
    for slot in alternatives:
        assert local_clock(slot.start - SETUP) >= dt.time(8)
        assert local_clock(slot.end + SETUP) <= dt.time(12)
    assert db.session.scalar(select(RoomReservation)) is None

    outcome = book_session(principal, BookSession(process.id, offered[0].start), now=NOW)
    reservation = db.session.scalar(select(RoomReservation))
    assert reservation.room_id == org.rooms[0].id
    assert reservation.session_id == outcome.session_id


@pytest.mark.parametrize(
    "policy", [{"max_advance_days": 1}, {"max_length_minutes": 60}], ids=["advance", "length"]
)
def test_a_room_refusing_the_session_leaves_no_room(ctx: Flask, policy) -> None:
    _, process = group_at_premises(**policy)
    principal = builders.participant_principal(process)
    with pytest.raises(BookingConflict) as caught:
        book_session(principal, BookSession(process.id, helsinki(2027, 3, 3, 10)), now=NOW)
    assert caught.value.reasons == [Reason.NO_ROOM]
    assert db.session.scalar(select(RoomReservation)) is None
