"""External rooms reserved after the booking commits: the worker's side of it.

The booking transaction writes a pending ``RoomReservation`` and a ``room.reserve``
message; ``handle_reserve`` asks the organisation's room system and applies the answer:
confirmed books the session, pending keeps it waiting for the room (the periodic
refresh asks again), and a refusal - or failures past ``ROOM_RESERVE_MAX_ATTEMPTS`` -
cancels the session free of charge and tells the supervisor and every participant,
with the next free times. Nobody is left believing they have a room they do not.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from flask import current_app

from service.backends import (
    ReservationRequest,
    ReservationResult,
    ReservationStatus,
    RoomSystemError,
)
from service.domain.cancellation import CancellationCategory
from service.extensions import db
from service.models import ReservationStatus as StoredStatus
from service.models import Room, RoomReservation, SessionStatus, SupervisionSession
from service.services import audit
from service.services.availability.holds import release_session_holds
from service.services.booking.mail import enqueue_emails
from service.services.booking.steps import CHANGEABLE, next_free_times, release_rooms
from service.services.booking.target import BookingTarget, context_of
from service.services.calendars.push import enqueue_calendar_update
from service.services.notify.webhooks import enqueue_room_confirmed
from service.services.outbox import queue as outbox
from service.services.outbox.queue import Delivery
from service.services.rooms.access import RoomAccount, account_of
from service.services.rooms.local import reservation_key
from service.services.session_outward import session_title
from service.services.transactions import end_read_transaction, write_transaction

log = logging.getLogger(__name__)

RESERVE_KIND = "room.reserve"
RELEASE_KIND = "room.release"
ROOM_UNAVAILABLE_EVENT = "room_unavailable"


def handle_reserve(delivery: Delivery) -> None:
    """Handler of ``room.reserve``; raises a retryable ``RoomSystemError`` to be retried."""
    reservation_id = uuid.UUID(delivery.payload["reservation_id"])
    found = _reservation_and_account(reservation_id)
    if found is None:
        return
    account, request = found
    try:
        result = account.open().reserve(request)
    except RoomSystemError as failure:
        _record_error(reservation_id, failure)
        attempts = current_app.config["ROOM_RESERVE_MAX_ATTEMPTS"]
        if failure.retryable and delivery.attempts < attempts:
            raise
        result = ReservationResult(ReservationStatus.REJECTED, None, failure.message)
        apply_result(reservation_id, result, delivery.now, failed=True)
        return
    apply_result(reservation_id, result, delivery.now)


def handle_release(delivery: Delivery) -> None:
    """Handler of ``room.release``: give the room back in the room system."""
    reservation = db.session.get(RoomReservation, uuid.UUID(delivery.payload["reservation_id"]))
    if reservation is None or reservation.external_id is None:
        end_read_transaction()
        return
    external_id = reservation.external_id
    account = account_of(db.session.get_one(Room, reservation.room_id).organisation)
    end_read_transaction()
    account.open().release(external_id)


OUTBOX_HANDLERS = {RESERVE_KIND: handle_reserve, RELEASE_KIND: handle_release}


def _reservation_and_account(
    reservation_id: uuid.UUID,
) -> tuple[RoomAccount, ReservationRequest] | None:
    reservation = db.session.get(RoomReservation, reservation_id)
    if reservation is None or not reservation.active:
        end_read_transaction()
        return None
    if reservation.status is not StoredStatus.PENDING or reservation.external_id:
        end_read_transaction()
        return None
    room = db.session.get_one(Room, reservation.room_id)
    session = db.session.get_one(SupervisionSession, reservation.session_id)
    title = session_title(session.process.code)
    request = ReservationRequest(
        room_external_id=room.external_id or str(room.id),
        start=reservation.starts_at,
        end=reservation.ends_at,
        title=title,
        idempotency_key=reservation_key(reservation.id),
        revised_at=reservation.updated_at,
    )
    account = account_of(room.organisation)
    end_read_transaction()
    return account, request


def apply_result(
    reservation_id: uuid.UUID,
    result: ReservationResult,
    now: dt.datetime,
    *,
    failed: bool = False,
) -> None:
    """Write the room system's answer. A reservation released meanwhile (the session
    was moved or cancelled while the answer was on its way) is given back at once."""
    with write_transaction():
        reservation = db.session.get(RoomReservation, reservation_id)
        if reservation is None:
            return
        if result.external_id and result.status is not ReservationStatus.REJECTED:
            reservation.external_id = result.external_id
        if not reservation.active:
            if reservation.external_id and result.status is not ReservationStatus.REJECTED:
                outbox.enqueue(
                    RELEASE_KIND,
                    {"reservation_id": str(reservation.id)},
                    f"{RELEASE_KIND}:{reservation.id}",
                )
            return
        session = db.session.get_one(SupervisionSession, reservation.session_id)
        if result.status is ReservationStatus.CONFIRMED:
            newly = reservation.status is not StoredStatus.CONFIRMED
            reservation.status, reservation.last_error = StoredStatus.CONFIRMED, None
            if session.status is SessionStatus.WAITING_FOR_ROOM:
                session.status = SessionStatus.BOOKED
            if newly:
                enqueue_room_confirmed(session, reservation)
            audit.record("room.confirmed", "session", session.id)
        elif result.status is ReservationStatus.PENDING:
            reservation.status = StoredStatus.PENDING
        else:
            stored = StoredStatus.FAILED if failed else StoredStatus.REJECTED
            room_lost(reservation, session, stored, result.message or "", now)


def room_lost(
    reservation: RoomReservation,
    session: SupervisionSession,
    status: StoredStatus,
    message: str,
    now: dt.datetime,
) -> None:
    """Inside a write transaction: the room is not the session's. The session is
    cancelled free of charge, its time given back, its calendar event removed, and the
    supervisor and each participant get one email with the next free times."""
    reservation.status, reservation.active = status, False
    reservation.last_error = message[:1000] or None
    audit.record("room.lost", "session", session.id, status=str(status))
    if session.status not in CHANGEABLE:
        return
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.cancellation_reason = CancellationCategory.ROOM_UNAVAILABLE
    session.charge_percent = 0
    session.sequence += 1
    release_session_holds(session.id)
    release_rooms(session)
    db.session.flush()
    start = max(session.ends_at, now)
    target = BookingTarget(
        session.process_id, session.kind, start, session.place_kind, session.location_id
    )
    context = context_of(session.process, target)
    alternatives = [slot.start.isoformat() for slot in next_free_times(context, start, now)]
    enqueue_emails(session, ROOM_UNAVAILABLE_EVENT, session.sequence, alternatives=alternatives)
    enqueue_calendar_update(session)


def _record_error(reservation_id: uuid.UUID, failure: RoomSystemError) -> None:
    log.warning("room reservation %s failed: %s", reservation_id, failure)
    with write_transaction():
        reservation = db.session.get(RoomReservation, reservation_id)
        if reservation is not None:
            reservation.last_error = str(failure.problem)
