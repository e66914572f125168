"""Booking use cases: book, reschedule, cancel, each one transaction.

Double booking is impossible at the database level (PostgreSQL exclusion constraints
on holds; on SQLite an IMMEDIATE transaction), and every rule is re-checked inside the
transaction with the same code that offered the slot. A conflict answers with the
reasons and the next free alternatives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field, replace

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from service.backends import BookingProposal
from service.domain.availability import Schedule, check_slot, next_alternatives, rooms_free
from service.domain.cancellation import CancellationCategory, CancellationTerms
from service.domain.errors import DomainError, Reason, sort_reasons
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.domain.slots import Slot
from service.extensions import db
from service.models import (
    IdempotencyRecord,
    Organisation,
    ProcessStatus,
    ReservationStatus,
    RoomReservation,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
)
from service.plugins import booking_problems
from service.services import audit, outbox
from service.services.access import is_supervisor, may_book
from service.services.auth import Principal
from service.services.errors import AccessDenied, IdempotencyKeyReused, NotFound, StaleRevision
from service.services.live_check import ask_calendars
from service.services.scheduling import (
    MODE_KINDS,
    BookingContext,
    booking_context,
    current_terms,
    hold_interval,
    load_schedule,
)
from service.services.transactions import write_transaction

LOCAL_ROOM_SYSTEM = "ohjaamo"
CHANGEABLE = (SessionStatus.BOOKED, SessionStatus.WAITING_FOR_ROOM)


class BookingConflict(DomainError):
    code = "booking_conflict"
    default_message = "That time can no longer be booked."

    def __init__(self, reasons: list[Reason], alternatives: list[Slot]) -> None:
        super().__init__(
            reasons=[str(r) for r in reasons],
            alternatives=[
                {"start": slot.start.isoformat(), "end": slot.end.isoformat()}
                for slot in alternatives
            ],
        )
        self.reasons = reasons
        self.alternatives = alternatives


class BookingRejected(DomainError):
    """The process or a plugin rule does not allow this booking at all."""

    code = "booking_rejected"
    default_message = "This booking is not allowed."


class TooLateToChange(DomainError):
    code = "too_late_to_change"
    default_message = "The free cancellation period has passed; ask your supervisor."


@dataclass(frozen=True)
class BookSession:
    process_id: uuid.UUID
    starts_at: dt.datetime
    kind: SessionKind | None = None
    place_kind: PlaceKind | None = None
    location_id: uuid.UUID | None = None
    video_url: str = ""

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


class _Conflict(Exception):
    """Raised inside the transaction; alternatives are computed after the rollback."""

    def __init__(self, reasons: list[Reason]) -> None:
        self.reasons = reasons


def book_session(
    principal: Principal,
    command: BookSession,
    *,
    now: dt.datetime,
    idempotency_key: str | None = None,
) -> BookingOutcome:
    fingerprint = command.fingerprint()
    if idempotency_key and (replay := _replay(principal, idempotency_key, fingerprint)):
        return replay
    process = _process(command.process_id)
    if not may_book(principal, process):
        raise AccessDenied()
    kind = command.kind or MODE_KINDS[process.mode]
    _ensure_open_for(process, kind)
    context = _context(process, kind, command.starts_at, command.place_kind, command.location_id)
    interval = context.interval_at(command.starts_at)
    _ask_plugins(context, interval)
    live = ask_calendars(context.profile, hold_interval(interval, context.rules))
    try:
        with write_transaction(lock_supervisor=process.supervisor_id):
            process = _process(command.process_id)
            context = _context(
                process, kind, command.starts_at, command.place_kind, command.location_id
            )
            schedule = _recheck(context, interval, now, live.busy)
            session = SupervisionSession(
                process_id=process.id,
                kind=kind,
                status=SessionStatus.BOOKED,
                starts_at=interval.start,
                ends_at=interval.end,
                place_kind=context.place_kind,
                location_id=context.location_id,
                video_url=command.video_url,
                booked_by_id=principal.person_id,
            )
            db.session.add(session)
            db.session.flush()
            db.session.add(
                SupervisorHold(
                    supervisor_id=process.supervisor_id,
                    session_id=session.id,
                    **_bounds(hold_interval(interval, context.rules)),
                )
            )
            _reserve_room(context, schedule, session, interval)
            db.session.flush()
            if idempotency_key:
                db.session.add(
                    IdempotencyRecord(
                        principal=str(principal.person_id),
                        key=idempotency_key,
                        request_hash=fingerprint,
                        resource_type="session",
                        resource_id=session.id,
                    )
                )
            _after_change(session, "booking.created", principal, live.incidents)
            db.session.flush()
            outcome = BookingOutcome(session.id, incidents=live.incidents)
    except (_Conflict, IntegrityError) as error:
        db.session.rollback()
        # The same key may have raced in from another request: its booking is the answer.
        raced = isinstance(error, IntegrityError) and idempotency_key
        if raced and (replay := _replay(principal, idempotency_key, fingerprint)):
            return replay
        raise _answer(error, process.id, kind, command, now) from None
    return outcome


def reschedule_session(
    principal: Principal,
    session_id: uuid.UUID,
    new_start: dt.datetime,
    *,
    now: dt.datetime,
    expected_revision: int | None = None,
) -> BookingOutcome:
    session = _session(session_id)
    process = session.process
    if not may_book(principal, process):
        raise AccessDenied()
    _ensure_changeable(principal, session, now)
    context = _context(
        process,
        session.kind,
        new_start,
        session.place_kind,
        session.location_id,
        exclude=session.id,
    )
    interval = context.interval_at(new_start)
    _ask_plugins(context, interval)
    live = ask_calendars(context.profile, hold_interval(interval, context.rules))
    command = BookSession(
        process.id, new_start, session.kind, session.place_kind, session.location_id
    )
    try:
        with write_transaction(lock_supervisor=process.supervisor_id):
            session = _session(session_id)
            if expected_revision is not None and session.revision != expected_revision:
                raise StaleRevision()
            if session.status not in CHANGEABLE:
                raise BookingRejected("Only a booked session can be moved.")
            context = _context(
                process,
                session.kind,
                new_start,
                session.place_kind,
                session.location_id,
                exclude=session.id,
            )
            schedule = _recheck(context, interval, now, live.busy)
            previous_start = session.starts_at
            session.starts_at, session.ends_at = interval.start, interval.end
            session.sequence += 1
            db.session.execute(
                update(SupervisorHold)
                .where(SupervisorHold.session_id == session.id, SupervisorHold.active.is_(True))
                .values(**_bounds(hold_interval(interval, context.rules)))
            )
            _release_rooms(session)
            _reserve_room(context, schedule, session, interval)
            db.session.flush()
            _after_change(
                session,
                "booking.moved",
                principal,
                live.incidents,
                previous_start=previous_start.isoformat(),
            )
            db.session.flush()
            outcome = BookingOutcome(session.id, incidents=live.incidents)
    except (_Conflict, IntegrityError) as error:
        raise _answer(error, process.id, session.kind, command, now, exclude=session_id) from None
    return outcome


def confirm_proposed_session(
    principal: Principal, session_id: uuid.UUID, *, now: dt.datetime
) -> BookingOutcome:
    """Book one proposed occurrence of the agreement's series at its proposed time.

    The same checks as any booking, except the cadence: the series is the cadence.
    """
    session = _session(session_id)
    process = session.process
    if not is_supervisor(principal, process):
        raise AccessDenied()
    if session.status is not SessionStatus.PROPOSED:
        raise BookingRejected("Only a proposed session can be confirmed.")
    _ensure_open_for(process, session.kind)
    start, place_kind, location_id = session.starts_at, session.place_kind, session.location_id
    context = _series_context(process, session, start, place_kind, location_id)
    interval = context.interval_at(start)
    _ask_plugins(context, interval)
    live = ask_calendars(context.profile, hold_interval(interval, context.rules))
    command = BookSession(process.id, start, session.kind, place_kind, location_id)
    try:
        with write_transaction(lock_supervisor=process.supervisor_id):
            session = _session(session_id)
            if session.status is not SessionStatus.PROPOSED:
                raise BookingRejected("Only a proposed session can be confirmed.")
            context = _series_context(process, session, start, place_kind, location_id)
            schedule = _recheck(context, interval, now, live.busy)
            session.status = SessionStatus.BOOKED
            session.booked_by_id = principal.person_id
            db.session.add(
                SupervisorHold(
                    supervisor_id=process.supervisor_id,
                    session_id=session.id,
                    **_bounds(hold_interval(interval, context.rules)),
                )
            )
            _reserve_room(context, schedule, session, interval)
            db.session.flush()
            _after_change(session, "booking.created", principal, live.incidents)
            db.session.flush()
            outcome = BookingOutcome(session.id, incidents=live.incidents)
    except (_Conflict, IntegrityError) as error:
        raise _answer(error, process.id, session.kind, command, now, exclude=session_id) from None
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
        session = _session(session_id)
        process = session.process
        if not may_book(principal, process):
            raise AccessDenied()
        if session.status not in (
            *CHANGEABLE,
            SessionStatus.AWAITING_CONFIRMATION,
            SessionStatus.PROPOSED,
        ):
            raise BookingRejected("This session cannot be cancelled any more.")
        terms = cancellation_terms(process)
        charge = terms.charge_percent(session.starts_at, now, category)
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = now
        session.cancellation_reason = category
        session.charge_percent = charge
        session.sequence += 1
        db.session.execute(
            update(SupervisorHold)
            .where(SupervisorHold.session_id == session.id)
            .values(active=False)
        )
        _release_rooms(session)
        db.session.flush()
        _after_change(
            session,
            "booking.cancelled",
            principal,
            [],
            category=str(category),
            charge_percent=charge,
        )
    return BookingOutcome(session.id, charge_percent=charge)


def cancellation_terms(process: SupervisionProcess) -> CancellationTerms:
    terms = current_terms(process)
    if terms is None:
        return CancellationTerms()
    return CancellationTerms(
        free_hours=terms.free_cancellation_hours,
        late_charge_percent=terms.late_cancellation_charge_percent,
        sickness_exception=terms.sickness_exception,
    )


def _process(process_id: uuid.UUID) -> SupervisionProcess:
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()
    return process


def _session(session_id: uuid.UUID) -> SupervisionSession:
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound()
    return session


def _ensure_open_for(process: SupervisionProcess, kind: SessionKind) -> None:
    if kind is SessionKind.INITIAL_ASSESSMENT:
        if process.status not in (ProcessStatus.INQUIRY, ProcessStatus.ASSESSMENT_BOOKED):
            raise BookingRejected("The initial assessment is booked at the start of a process.")
        return
    if kind is not MODE_KINDS[process.mode]:
        raise BookingRejected(
            f"A {process.mode} process books {MODE_KINDS[process.mode]} sessions."
        )
    if process.status is not ProcessStatus.ACTIVE:
        raise BookingRejected("Sessions are booked once every party has accepted the agreement.")


def _ensure_changeable(principal: Principal, session: SupervisionSession, now: dt.datetime) -> None:
    if session.status not in CHANGEABLE:
        raise BookingRejected("Only a booked session can be moved.")
    if is_supervisor(principal, session.process):
        return
    if cancellation_terms(session.process).is_late(session.starts_at, now):
        raise TooLateToChange()


def _context(
    process: SupervisionProcess,
    kind: SessionKind,
    around: dt.datetime,
    place_kind: PlaceKind | None,
    location_id: uuid.UUID | None,
    *,
    exclude: uuid.UUID | None = None,
    with_cadence: bool = True,
) -> BookingContext:
    window = Interval(around - dt.timedelta(days=1), around + dt.timedelta(days=1))
    return booking_context(
        process,
        kind,
        window,
        place_kind=place_kind,
        location_id=location_id,
        exclude_session=exclude,
        around=around if exclude else None,
        with_cadence=with_cadence,
    )


def _series_context(
    process: SupervisionProcess,
    session: SupervisionSession,
    start: dt.datetime,
    place_kind: PlaceKind,
    location_id: uuid.UUID | None,
) -> BookingContext:
    """The series is the cadence, and the supervisor plans it beyond the clients' horizon."""
    context = _context(
        process,
        session.kind,
        start,
        place_kind,
        location_id,
        exclude=session.id,
        with_cadence=False,
    )
    return replace(context, rules=replace(context.rules, max_advance_days=None))


def _bounds(interval: Interval) -> dict[str, dt.datetime]:
    return {"starts_at": interval.start, "ends_at": interval.end}


def _ask_plugins(context: BookingContext, interval: Interval) -> None:
    proposal = BookingProposal(
        supervisor_id=context.profile.id,
        process_id=context.process.id,
        kind=str(context.kind),
        start=interval.start,
        end=interval.end,
        place_kind=str(context.place_kind),
        room_id=None,
        participant_count=len(context.process.participants),
    )
    problems = booking_problems(current_app.extensions["ohjaamo.plugins"], proposal)
    if problems:
        raise BookingRejected("; ".join(problems), problems=problems)


def _recheck(
    context: BookingContext, interval: Interval, now: dt.datetime, live_busy: list[Interval]
) -> Schedule:
    """Inside the transaction: lapsed holds freed, then every rule checked again."""
    db.session.execute(
        update(SupervisorHold)
        .where(
            SupervisorHold.supervisor_id == context.profile.id,
            SupervisorHold.active.is_(True),
            SupervisorHold.expires_at <= now,
        )
        .values(active=False)
    )
    window = Interval(interval.start - dt.timedelta(days=1), interval.end + dt.timedelta(days=1))
    schedule = load_schedule(
        context.profile, window, now, rules=context.rules, exclude_session=context.exclude_session
    )
    reasons = check_slot(schedule, context.request, interval, now)
    padded = hold_interval(interval, schedule.rules)
    if any(busy.overlaps(padded) for busy in live_busy):
        reasons = sort_reasons([*reasons, Reason.BUSY])
    if reasons:
        raise _Conflict(reasons)
    return schedule


def _reserve_room(
    context: BookingContext, schedule: Schedule, session: SupervisionSession, interval: Interval
) -> None:
    """Claim the smallest free room that fits. Rooms kept in Ohjaamo are confirmed in this
    transaction; a room in an external system waits for the worker to reserve it."""
    rooms = context.request.rooms
    if rooms is None:
        return
    free = set(rooms_free(schedule, context.request, interval))
    if not free:
        raise _Conflict([Reason.NO_ROOM])
    chosen = min((room for room in rooms if room.id in free), key=lambda room: room.capacity)
    setup = dt.timedelta(minutes=chosen.setup_minutes)
    organisation = db.session.get(Organisation, context.process.orderer_organisation_id)
    local = organisation is None or organisation.room_system == LOCAL_ROOM_SYSTEM
    reservation = RoomReservation(
        room_id=uuid.UUID(chosen.id),
        session_id=session.id,
        starts_at=interval.start - setup,
        ends_at=interval.end + setup,
        status=ReservationStatus.CONFIRMED if local else ReservationStatus.PENDING,
    )
    db.session.add(reservation)
    session.room_id = reservation.room_id
    if not local:
        session.status = SessionStatus.WAITING_FOR_ROOM
        db.session.flush()
        outbox.enqueue(
            "room.reserve",
            {"reservation_id": str(reservation.id)},
            f"room.reserve:{reservation.id}",
        )


def _release_rooms(session: SupervisionSession) -> None:
    reservations = db.session.scalars(
        select(RoomReservation).where(
            RoomReservation.session_id == session.id, RoomReservation.active.is_(True)
        )
    ).all()
    for reservation in reservations:
        reservation.active = False
        if reservation.external_id:
            outbox.enqueue(
                "room.release",
                {"reservation_id": str(reservation.id)},
                f"room.release:{reservation.id}",
            )
        reservation.status = ReservationStatus.RELEASED
    db.session.flush()


def _after_change(
    session: SupervisionSession,
    event: str,
    principal: Principal,
    incidents: list[dict[str, str]],
    **details: object,
) -> None:
    """The outbox message and audit record every booking change writes in its transaction."""
    outbox.enqueue(
        event,
        {"session_id": str(session.id), "sequence": session.sequence},
        f"{event}:{session.id}:{session.sequence}",
    )
    audit.record(event, "session", session.id, actor_id=principal.person_id, **details)
    for incident in incidents:
        audit.record(
            "calendar.live_check_failed",
            "calendar_connection",
            uuid.UUID(incident["connection"]),
            error=incident["error"],
        )


def _answer(
    error: Exception,
    process_id: uuid.UUID,
    kind: SessionKind,
    command: BookSession,
    now: dt.datetime,
    *,
    exclude: uuid.UUID | None = None,
) -> BookingConflict:
    """A refused transaction as the person sees it: the re-check's reasons, or an
    overlapping hold the database refused (a booking that won a race)."""
    reasons = error.reasons if isinstance(error, _Conflict) else [Reason.SESSION_CONFLICT]
    return _conflict(process_id, kind, command, reasons, now, exclude=exclude)


def _conflict(
    process_id: uuid.UUID,
    kind: SessionKind,
    command: BookSession,
    reasons: list[Reason],
    now: dt.datetime,
    *,
    exclude: uuid.UUID | None = None,
) -> BookingConflict:
    db.session.rollback()
    process = _process(process_id)
    context = _context(
        process, kind, command.starts_at, command.place_kind, command.location_id, exclude=exclude
    )
    window = Interval(command.starts_at, command.starts_at + dt.timedelta(days=1))
    schedule = load_schedule(context.profile, window, now, exclude_session=exclude)
    count = current_app.config["CONFLICT_ALTERNATIVES"]
    alternatives = next_alternatives(schedule, context.request, command.starts_at, now, count)
    db.session.rollback()
    return BookingConflict(reasons, alternatives)


def _replay(principal: Principal, key: str, fingerprint: str) -> BookingOutcome | None:
    record = db.session.get(IdempotencyRecord, (str(principal.person_id), key))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return BookingOutcome(record.resource_id, created=False)
