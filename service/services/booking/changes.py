"""Booking use cases: book, reschedule, confirm a proposed session, cancel; each one
transaction.

Double booking is impossible at the database level (PostgreSQL exclusion constraints
on holds; on SQLite an IMMEDIATE transaction), and every rule is re-checked inside the
transaction with the same code that offered the slot. A conflict answers with the
reasons and the next free alternatives. The steps themselves are in ``booking_steps``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field

from sqlalchemy import update

from service.domain.cancellation import CancellationCategory
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import SessionStatus, SupervisionSession, SupervisorHold
from service.services.access import ensure_may_book
from service.services.auth import Principal
from service.services.availability.schedule import MODE_KINDS, BookingContext
from service.services.booking.attempt import attempt
from service.services.booking.steps import (
    CHANGEABLE,
    BookingConflict,
    BookingRejected,
    TooLateToChange,
    add_hold,
    after_change,
    cancellation_terms,
    committed,
    ensure_changeable,
    ensure_open_for,
    hold_bounds,
    load_process,
    load_session,
    record_key,
    release_resources,
    release_rooms,
    replayed_session,
    reserve_room,
)
from service.services.booking.target import BookingTarget
from service.services.calendars.live_check import LiveAnswer
from service.services.errors import StaleRevision
from service.services.transactions import write_transaction

__all__ = [
    "BookSession",
    "BookingConflict",
    "BookingOutcome",
    "BookingRejected",
    "TooLateToChange",
    "book_session",
    "cancel_session",
    "confirm_proposed_session",
    "reschedule_session",
]


@dataclass(frozen=True)
class BookSession:
    process_id: uuid.UUID
    starts_at: dt.datetime
    kind: SessionKind | None = None
    place_kind: PlaceKind | None = None
    location_id: uuid.UUID | None = None
    video_url: str = ""
    # Held, not booked, until this moment: a public inquiry's assessment awaiting the
    # confirmation of the inquirer's email address.
    confirm_by: dt.datetime | None = None

    def fingerprint(self) -> str:
        body = {k: (str(v) if v is not None else None) for k, v in asdict(self).items()}
        body["starts_at"] = self.starts_at.astimezone(dt.UTC).isoformat()
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class BookingOutcome:
    session_id: uuid.UUID
    created: bool = True
    charge_percent: int | None = None
    incidents: list[dict[str, str]] = field(default_factory=list)


def book_session(
    principal: Principal,
    command: BookSession,
    *,
    now: dt.datetime,
    idempotency_key: str | None = None,
) -> BookingOutcome:
    fingerprint = command.fingerprint()
    if idempotency_key and (earlier := replayed_session(principal, idempotency_key, fingerprint)):
        return BookingOutcome(earlier, created=False)
    process = load_process(command.process_id)
    ensure_may_book(principal, process)
    kind = command.kind or MODE_KINDS[process.mode]
    ensure_open_for(process, kind)
    target = BookingTarget(
        command.process_id, kind, command.starts_at, command.place_kind, command.location_id
    )

    def write(context: BookingContext, interval: Interval, live: LiveAnswer) -> BookingOutcome:
        session = SupervisionSession(
            process_id=command.process_id,
            kind=kind,
            status=SessionStatus.AWAITING_CONFIRMATION
            if command.confirm_by
            else SessionStatus.BOOKED,
            starts_at=interval.start,
            ends_at=interval.end,
            place_kind=context.place_kind,
            location_id=context.location_id,
            video_url=command.video_url,
            booked_by_id=principal.person_id,
        )
        db.session.add(session)
        db.session.flush()
        add_hold(session, context.profile.id, context.rules, expires_at=command.confirm_by)
        reserve_room(context, session, interval, now)
        if idempotency_key:
            record_key(principal, idempotency_key, fingerprint, session.id)
        after_change(session, "booking.created", principal, live.incidents)
        return BookingOutcome(session.id, incidents=live.incidents)

    try:
        outcome = attempt(target, now=now, write=write)
    except BookingConflict:
        # The same key may have raced in from another request: its booking is the answer.
        if idempotency_key and (
            earlier := replayed_session(principal, idempotency_key, fingerprint)
        ):
            return BookingOutcome(earlier, created=False)
        raise
    committed("created", outcome.session_id)
    return outcome


def reschedule_session(
    principal: Principal,
    session_id: uuid.UUID,
    new_start: dt.datetime,
    *,
    now: dt.datetime,
    expected_revision: int | None = None,
) -> BookingOutcome:
    session = load_session(session_id)
    ensure_may_book(principal, session.process)
    ensure_changeable(principal, session, now)
    target = BookingTarget.for_session(session, new_start)

    def write(context: BookingContext, interval: Interval, live: LiveAnswer) -> BookingOutcome:
        session = load_session(session_id)
        if expected_revision is not None and session.revision != expected_revision:
            raise StaleRevision()
        if session.status not in CHANGEABLE:
            raise BookingRejected("Only a booked session can be moved.")
        previous_start = session.starts_at
        session.starts_at, session.ends_at = interval.start, interval.end
        session.sequence += 1
        db.session.execute(
            update(SupervisorHold)
            .where(SupervisorHold.session_id == session.id, SupervisorHold.active.is_(True))
            .values(**hold_bounds(interval, context.rules))
        )
        release_rooms(session)
        reserve_room(context, session, interval, now)
        after_change(
            session,
            "booking.moved",
            principal,
            live.incidents,
            previous_start=previous_start.isoformat(),
        )
        return BookingOutcome(session.id, incidents=live.incidents)

    outcome = attempt(target, now=now, write=write)
    committed("moved", outcome.session_id)
    return outcome


def confirm_proposed_session(
    principal: Principal, session_id: uuid.UUID, *, now: dt.datetime
) -> BookingOutcome:
    """Book one proposed occurrence of the agreement's series at its proposed time: the
    supervisor, or the client who books the process's sessions, confirms it.

    The same checks as any booking, except the cadence: the series is the cadence.
    """
    session = load_session(session_id)
    process = session.process
    ensure_may_book(principal, process)
    if session.status is not SessionStatus.PROPOSED:
        raise BookingRejected("Only a proposed session can be confirmed.")
    ensure_open_for(process, session.kind)
    target = BookingTarget.for_session(session, series=True)

    def write(context: BookingContext, interval: Interval, live: LiveAnswer) -> BookingOutcome:
        session = load_session(session_id)
        if session.status is not SessionStatus.PROPOSED:
            raise BookingRejected("Only a proposed session can be confirmed.")
        session.status = SessionStatus.BOOKED
        session.booked_by_id = principal.person_id
        add_hold(session, context.profile.id, context.rules)
        reserve_room(context, session, interval, now)
        after_change(session, "booking.created", principal, live.incidents)
        return BookingOutcome(session.id, incidents=live.incidents)

    outcome = attempt(target, now=now, write=write)
    committed("confirmed", outcome.session_id)
    return outcome


def cancel_session(
    principal: Principal,
    session_id: uuid.UUID,
    category: CancellationCategory,
    *,
    now: dt.datetime,
) -> BookingOutcome:
    """Cancel under the agreement's terms; the charge that applied is recorded."""
    with write_transaction():
        session = load_session(session_id)
        process = session.process
        ensure_may_book(principal, process)
        if session.status not in (
            *CHANGEABLE,
            SessionStatus.AWAITING_CONFIRMATION,
            SessionStatus.PROPOSED,
        ):
            raise BookingRejected("This session cannot be cancelled any more.")
        charge = cancellation_terms(process).charge_percent(session.starts_at, now, category)
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = now
        session.cancellation_reason = category
        session.charge_percent = charge
        session.sequence += 1
        release_resources(session)
        after_change(
            session,
            "booking.cancelled",
            principal,
            [],
            category=str(category),
            charge_percent=charge,
        )
    committed("cancelled", session.id)
    return BookingOutcome(session.id, charge_percent=charge)
