"""Booking use cases on both databases: book, conflict with alternatives, idempotency,
reschedule, cancellation terms, rooms and the live calendar check."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.backends import OutwardPolicy, TimeRange
from service.domain.cancellation import CancellationCategory
from service.domain.errors import Reason
from service.domain.rules import PlaceKind
from service.extensions import db
from service.hookspecs import hookimpl
from service.models import (
    AuditEvent,
    CalendarConnection,
    ConnectedCalendar,
    OutboxMessage,
    ProcessMode,
    ProcessStatus,
    ReservationStatus,
    RoomReservation,
    SessionStatus,
    SupervisionSession,
    SupervisorHold,
)
from service.services.booking.changes import (
    BookingConflict,
    BookingRejected,
    BookSession,
    TooLateToChange,
    book_session,
    cancel_session,
    reschedule_session,
)
from service.services.errors import AccessDenied, IdempotencyKeyReused, NotFound
from tests import builders
from tests.builders import NOW, helsinki

WEDNESDAY_10 = helsinki(2027, 3, 3, 10)


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app


def book(process, start=WEDNESDAY_10, who=None, **kwargs):
    who = who or builders.participant_principal(process)
    return book_session(who, BookSession(process.id, start), now=NOW, **kwargs)


def active_holds(session_id):
    return db.session.scalars(
        select(SupervisorHold).where(
            SupervisorHold.session_id == session_id, SupervisorHold.active.is_(True)
        )
    ).all()


def test_booking_creates_session_hold_outbox_and_audit(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    outcome = book(process)
    session = db.session.get(SupervisionSession, outcome.session_id)
    assert session.status is SessionStatus.BOOKED
    assert (session.starts_at, session.ends_at) == (
        WEDNESDAY_10,
        WEDNESDAY_10 + dt.timedelta(minutes=90),
    )
    [hold] = active_holds(session.id)
    assert hold.ends_at == session.ends_at + dt.timedelta(minutes=15)  # the gap after it
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "booking.created"
    assert message.payload == {"session_id": str(session.id), "sequence": 0}
    assert db.session.scalar(select(AuditEvent.action)) == "booking.created"


def test_a_taken_slot_is_a_conflict_with_bookable_alternatives(ctx: Flask) -> None:
    profile = builders.supervisor()
    first, second = builders.process(profile), builders.process(profile)
    book(first)
    with pytest.raises(BookingConflict) as caught:
        book(second, WEDNESDAY_10 + dt.timedelta(minutes=30))
    assert caught.value.reasons == [Reason.SESSION_CONFLICT]
    alternatives = caught.value.alternatives
    assert len(alternatives) == 3
    assert all(slot.start >= WEDNESDAY_10 for slot in alternatives)
    assert book(second, alternatives[0].start).created
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_the_gap_after_a_session_is_kept(ctx: Flask) -> None:
    profile = builders.supervisor()
    first, second = builders.process(profile), builders.process(profile)
    book(first)
    right_after = WEDNESDAY_10 + dt.timedelta(minutes=90)
    with pytest.raises(BookingConflict):
        book(second, right_after)
    assert book(second, right_after + dt.timedelta(minutes=30)).created


def test_rules_are_checked_at_booking(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    with pytest.raises(BookingConflict) as evening:
        book(process, helsinki(2027, 3, 3, 17))
    assert Reason.OUTSIDE_WORKING_HOURS in evening.value.reasons
    with pytest.raises(BookingConflict) as tomorrow:
        book(process, helsinki(2027, 3, 2, 9))  # 23 hours ahead: under the notice
    assert Reason.TOO_SOON in tomorrow.value.reasons
    assert db.session.scalar(select(func.count()).select_from(SupervisionSession)) == 0


def test_same_idempotency_key_and_body_returns_the_same_booking(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    first = book(process, idempotency_key="key-1")
    again = book(process, idempotency_key="key-1")
    assert again.session_id == first.session_id
    assert (first.created, again.created) == (True, False)
    with pytest.raises(IdempotencyKeyReused):
        book(process, WEDNESDAY_10 + dt.timedelta(hours=3), idempotency_key="key-1")
    assert db.session.scalar(select(func.count()).select_from(SupervisionSession)) == 1


def test_only_the_parties_may_book(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), mode=ProcessMode.GROUP, participants=3)
    stranger = builders.principal(builders.person())
    with pytest.raises(NotFound):
        book(process, who=stranger)
    with pytest.raises(AccessDenied):
        book(process, who=builders.participant_principal(process, 1))
    assert book(process, who=builders.supervisor_principal(process)).created


def test_sessions_wait_for_an_accepted_agreement(ctx: Flask) -> None:
    process = builders.process(builders.supervisor(), status=ProcessStatus.AGREEMENT_SENT)
    with pytest.raises(BookingRejected):
        book(process)


def test_reschedule_moves_the_hold_and_raises_the_sequence(ctx: Flask) -> None:
    profile = builders.supervisor()
    process, other = builders.process(profile), builders.process(profile)
    outcome = book(process)
    later = helsinki(2027, 3, 4, 13)
    reschedule_session(builders.participant_principal(process), outcome.session_id, later, now=NOW)
    session = db.session.get(SupervisionSession, outcome.session_id)
    assert (session.starts_at, session.sequence) == (later, 1)
    [hold] = active_holds(session.id)
    assert hold.starts_at == later
    assert book(other, WEDNESDAY_10).created  # the old time is free again
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.created_at)).all()
    assert kinds == ["booking.created", "booking.moved", "booking.created"]


def test_a_stale_revision_is_refused(ctx: Flask) -> None:
    from service.services.errors import StaleRevision

    process = builders.process(builders.supervisor())
    outcome = book(process)
    with pytest.raises(StaleRevision):
        reschedule_session(
            builders.participant_principal(process),
            outcome.session_id,
            helsinki(2027, 3, 4, 13),
            now=NOW,
            expected_revision=99,
        )


def test_the_client_may_not_move_after_the_free_period_but_the_supervisor_may(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    outcome = book(process)
    late = WEDNESDAY_10 - dt.timedelta(hours=47)
    with pytest.raises(TooLateToChange):
        reschedule_session(
            builders.participant_principal(process),
            outcome.session_id,
            helsinki(2027, 3, 5, 10),
            now=late,
        )
    reschedule_session(
        builders.supervisor_principal(process),
        outcome.session_id,
        helsinki(2027, 3, 5, 10),
        now=late,
    )


@pytest.mark.parametrize(
    ("hours_before", "category", "charge"),
    [
        (72, CancellationCategory.SCHEDULE_CONFLICT, 0),
        (24, CancellationCategory.SCHEDULE_CONFLICT, 100),
        (24, CancellationCategory.SICKNESS, 0),
        (2, CancellationCategory.SUPERVISOR_CANCELLED, 0),
    ],
)
def test_cancellation_follows_the_agreement_terms(
    ctx: Flask, hours_before: int, category: CancellationCategory, charge: int
) -> None:
    process = builders.process(builders.supervisor())
    outcome = book(process)
    when = WEDNESDAY_10 - dt.timedelta(hours=hours_before)
    result = cancel_session(
        builders.participant_principal(process), outcome.session_id, category, now=when
    )
    assert result.charge_percent == charge
    session = db.session.get(SupervisionSession, outcome.session_id)
    assert (session.status, session.cancellation_reason, session.charge_percent) == (
        SessionStatus.CANCELLED,
        category,
        charge,
    )
    assert active_holds(session.id) == []
    assert book(process, WEDNESDAY_10).created  # the time is free again


def test_on_site_booking_reserves_the_smallest_room_that_fits(ctx: Flask) -> None:
    org = builders.organisation(3, 6, 12)
    process = builders.process(
        builders.supervisor(), participants=4, org=org, place=PlaceKind.CLIENT_PREMISES
    )
    outcome = book(process)
    reservation = db.session.scalar(select(RoomReservation))
    assert reservation.room_id == org.rooms[1].id  # 6 seats for 4 + the supervisor
    assert reservation.status is ReservationStatus.CONFIRMED
    setup = dt.timedelta(minutes=10)
    assert reservation.starts_at == WEDNESDAY_10 - setup
    session = db.session.get(SupervisionSession, outcome.session_id)
    assert session.room_id == reservation.room_id


def test_no_room_big_enough_is_a_conflict(ctx: Flask) -> None:
    org = builders.organisation(3)
    process = builders.process(
        builders.supervisor(), participants=4, org=org, place=PlaceKind.CLIENT_PREMISES
    )
    with pytest.raises(BookingConflict) as caught:
        book(process)
    assert Reason.NO_ROOM in caught.value.reasons
    assert caught.value.alternatives == []


class CalendarStub:
    """A calendar backend plugin: the contract the live check talks to."""

    name = "test-calendar"
    busy: ClassVar[list[TimeRange]] = []
    fail: ClassVar[bool] = False

    def __init__(
        self,
        *,
        url: str,
        username: str,
        password: str,
        timeout: float,
        outward: OutwardPolicy,
        timezone: str = "UTC",
    ) -> None:
        self.timeout = timeout

    def free_busy(self, calendar_urls, window):
        if CalendarStub.fail:
            raise TimeoutError("calendar did not answer")
        return [r for r in CalendarStub.busy if r.overlaps(window)]


class CalendarPlugin:
    @hookimpl
    def ohjaamo_register_calendar_backends(self):
        return [CalendarStub]


def connect_calendar(app: Flask, profile) -> None:
    app.extensions["ohjaamo.plugins"].register(CalendarPlugin(), name="test-calendar")
    connection = CalendarConnection(
        supervisor_id=profile.id, backend="test-calendar", url="http://127.0.0.1:9/"
    )
    connection.calendars.append(ConnectedCalendar(url="http://127.0.0.1:9/cal/"))
    db.session.add(connection)
    db.session.commit()


def test_the_live_check_catches_an_event_added_since_the_last_sync(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    connect_calendar(ctx, process.supervisor)
    CalendarStub.fail = False
    CalendarStub.busy = [TimeRange(WEDNESDAY_10, WEDNESDAY_10 + dt.timedelta(minutes=30))]
    with pytest.raises(BookingConflict) as caught:
        book(process)
    assert Reason.BUSY in caught.value.reasons


def test_a_calendar_that_does_not_answer_does_not_stop_the_booking(ctx: Flask) -> None:
    process = builders.process(builders.supervisor())
    connect_calendar(ctx, process.supervisor)
    CalendarStub.fail = True
    outcome = book(process)
    assert outcome.incidents and outcome.incidents[0]["error"] == "TimeoutError"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "calendar.live_check_failed" in actions


def test_travel_time_between_the_office_and_client_premises_is_kept(ctx: Flask) -> None:
    from service.models import Location, TravelTime

    profile = builders.supervisor()
    office = Location(supervisor_id=profile.id, name="Vastaanotto")
    db.session.add(office)
    db.session.commit()
    org = builders.organisation(10)
    db.session.add(
        TravelTime(
            supervisor_id=profile.id,
            from_location_id=office.id,
            to_location_id=org.premises.id,
            minutes=90,
        )
    )
    db.session.commit()
    at_office = builders.process(profile, place=PlaceKind.OFFICE, location_id=office.id)
    on_site = builders.process(profile, org=org, place=PlaceKind.CLIENT_PREMISES)
    book(at_office)  # 10:00-11:30 at the office
    an_hour_later = WEDNESDAY_10 + dt.timedelta(minutes=150)
    with pytest.raises(BookingConflict) as caught:
        book(on_site, an_hour_later)
    assert Reason.TRAVEL_TIME in caught.value.reasons
    # travel (90) on top of the 15-minute gap: 13:15 at the earliest, 13:30 on the grid
    assert book(on_site, an_hour_later + dt.timedelta(minutes=60)).created
