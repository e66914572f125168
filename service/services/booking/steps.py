"""The steps every booking transaction is made of: what book, move and confirm share.

Each use case in ``booking.py`` reads outside its transaction (rules, plugins, the live
calendar answer), then inside ``write_transaction`` re-checks with ``recheck`` and
writes the session, its hold, its room, its outbox message and audit record. A refused
transaction becomes a ``BookingConflict`` with the next free alternatives.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service import metrics
from service.backends import BookingProposal
from service.domain.availability import (
    BookedSession,
    check_slot,
    next_alternatives,
    rooms_free,
)
from service.domain.cancellation import CancellationTerms
from service.domain.errors import DomainError, Reason
from service.domain.intervals import Interval
from service.domain.rules import BookingRules, SessionKind
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
from service.models.organisation import LOCAL_ROOM_SYSTEM
from service.plugins import booking_problems
from service.services import audit
from service.services.access import is_supervisor
from service.services.auth import Principal
from service.services.availability.holds import release_lapsed, release_session_holds
from service.services.availability.schedule import (
    MODE_KINDS,
    BookingBasis,
    BookingContext,
    current_terms,
    load_schedule,
)
from service.services.booking.target import AROUND
from service.services.calendars.push import enqueue_calendar_update
from service.services.errors import IdempotencyKeyReused, NotFound
from service.services.notify.webhooks import enqueue_booking_event
from service.services.outbox import queue as outbox
from service.services.transactions import end_read_transaction

log = logging.getLogger("ohjaamo.booking")
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


class RuleConflict(Exception):
    """Raised inside the transaction; alternatives are computed after the rollback."""

    def __init__(self, reasons: list[Reason]) -> None:
        self.reasons = reasons


def load_process(process_id: uuid.UUID) -> SupervisionProcess:
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()
    return process


def load_session(session_id: uuid.UUID) -> SupervisionSession:
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound()
    return session


def cancellation_terms(process: SupervisionProcess) -> CancellationTerms:
    terms = current_terms(process)
    if terms is None:
        return CancellationTerms()
    return CancellationTerms(
        free_hours=terms.free_cancellation_hours,
        late_charge_percent=terms.late_cancellation_charge_percent,
        sickness_exception=terms.sickness_exception,
    )


def ensure_open_for(process: SupervisionProcess, kind: SessionKind) -> None:
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


def ensure_changeable(principal: Principal, session: SupervisionSession, now: dt.datetime) -> None:
    """Only a booked session moves; after the free period only the supervisor moves it."""
    if session.status not in CHANGEABLE:
        raise BookingRejected("Only a booked session can be moved.")
    if is_supervisor(principal, session.process):
        return
    if cancellation_terms(session.process).is_late(session.starts_at, now):
        raise TooLateToChange()


def ask_plugins(basis: BookingBasis, interval: Interval) -> None:
    proposal = BookingProposal(
        supervisor_id=basis.profile.id,
        process_id=basis.process.id,
        kind=str(basis.kind),
        start=interval.start,
        end=interval.end,
        place_kind=str(basis.place_kind),
        room_id=None,
        participant_count=len(basis.process.participants),
    )
    problems = booking_problems(current_app.extensions["ohjaamo.plugins"], proposal)
    if problems:
        raise BookingRejected("; ".join(problems), problems=problems)


def recheck(
    context: BookingContext,
    interval: Interval,
    now: dt.datetime,
    live_busy: list[Interval],
    *,
    siblings: Iterable[BookedSession] = (),
) -> None:
    """Inside the transaction: lapsed holds freed, then every rule checked again by the
    domain, on a schedule that holds what the calendars answered just now (``live_busy``)
    and ``siblings`` (sessions not holding time yet, a series' proposed ones)."""
    release_lapsed(now, context.profile.id)
    window = Interval(interval.start - AROUND, interval.end + AROUND)
    schedule = (
        load_schedule(
            context.profile,
            window,
            now,
            rules=context.rules,
            exclude_session=context.exclude_session,
        )
        .with_sessions(siblings)
        .with_busy(live_busy)
    )
    reasons = check_slot(schedule, context.request, interval, now)
    if reasons:
        raise RuleConflict(reasons)


def hold_bounds(interval: Interval, rules: BookingRules) -> dict[str, dt.datetime]:
    held = rules.hold(interval)
    return {"starts_at": held.start, "ends_at": held.end}


def add_hold(
    session: SupervisionSession,
    supervisor_id: uuid.UUID,
    rules: BookingRules,
    *,
    expires_at: dt.datetime | None = None,
) -> None:
    """The session's claim on its supervisor; the exclusion constraint guards it. A hold
    with ``expires_at`` lapses then unless confirmed."""
    interval = Interval(session.starts_at, session.ends_at)
    db.session.add(
        SupervisorHold(
            supervisor_id=supervisor_id,
            session_id=session.id,
            expires_at=expires_at,
            **hold_bounds(interval, rules),
        )
    )


def reserve_room(
    context: BookingContext,
    session: SupervisionSession,
    interval: Interval,
    now: dt.datetime,
    *,
    room_id: uuid.UUID | None = None,
) -> None:
    """Claim the smallest free room that fits, or the room ``room_id`` if it is free and
    fits. Rooms kept in Ohjaamo are confirmed in this transaction; a room in an external
    system waits for the worker to reserve it."""
    rooms = context.request.rooms
    if rooms is None:
        return
    free = set(rooms_free(context.request, interval, now))
    if room_id is not None:
        free &= {str(room_id)}
    if not free:
        raise RuleConflict([Reason.NO_ROOM])
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


def release_rooms(session: SupervisionSession) -> None:
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


def release_resources(session: SupervisionSession) -> None:
    """A session that will not take place gives back its supervisor's time and rooms."""
    release_session_holds(session.id)
    release_rooms(session)


def after_change(
    session: SupervisionSession,
    event: str,
    principal: Principal,
    incidents: list[dict[str, str]],
    **details: object,
) -> None:
    """The outbox messages (the change, calendar push, webhooks) and audit record every
    booking change writes in its transaction. They carry identifiers, times and categories
    only. A booking awaiting its email confirmation
    tells no one yet: confirming it writes the message."""
    db.session.flush()
    if session.status is not SessionStatus.AWAITING_CONFIRMATION:
        payload: dict[str, object] = {"session_id": str(session.id), "sequence": session.sequence}
        if "previous_start" in details:
            payload["previous_start"] = details["previous_start"]
        outbox.enqueue(event, payload, f"{event}:{session.id}:{session.sequence}")
        enqueue_calendar_update(session)
        previous = details.get("previous_start")
        enqueue_booking_event(session, event, str(previous) if previous is not None else None)
    audit.record(event, "session", session.id, actor_id=principal.person_id, **details)
    for incident in incidents:
        audit.record(
            "calendar.live_check_failed",
            "calendar_connection",
            uuid.UUID(incident["connection"]),
            error=incident["error"],
        )
    db.session.flush()


def committed(change: str, session_id: uuid.UUID) -> None:
    """Count and log a booking change once its transaction has committed."""
    metrics.booking_changed(change)
    log.info("booking %s: session %s", change, session_id, extra={"session_id": str(session_id)})


def refusal(
    error: RuleConflict | IntegrityError,
    context: BookingContext,
    start: dt.datetime,
    now: dt.datetime,
) -> BookingConflict:
    """A refused transaction (already rolled back) as the person sees it: the re-check's
    reasons, or an overlapping hold the database refused (a booking that won a race),
    with the next free times under the same rules."""
    reasons = error.reasons if isinstance(error, RuleConflict) else [Reason.SESSION_CONFLICT]
    metrics.booking_conflict(str(reasons[0]) if reasons else "unknown")
    log.info(
        "booking refused: %s",
        ", ".join(str(reason) for reason in reasons),
        extra={"process_id": str(context.process.id)},
    )
    alternatives = next_free_times(context, start, now)
    end_read_transaction()
    return BookingConflict(reasons, alternatives)


def next_free_times(context: BookingContext, start: dt.datetime, now: dt.datetime) -> list[Slot]:
    """The next free times from ``start`` under the context's rules (rooms included)."""
    window = Interval(start, start + AROUND)
    schedule = load_schedule(
        context.profile, window, now, rules=context.rules, exclude_session=context.exclude_session
    )
    count = current_app.config["CONFLICT_ALTERNATIVES"]
    return next_alternatives(schedule, context.request, start, now, count)


def replayed_session(principal: Principal, key: str, fingerprint: str) -> uuid.UUID | None:
    """The session an earlier request with this key created; another body is refused."""
    record = db.session.get(IdempotencyRecord, (str(principal.person_id), key))
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return record.resource_id


def record_key(principal: Principal, key: str, fingerprint: str, session_id: uuid.UUID) -> None:
    db.session.add(
        IdempotencyRecord(
            principal=str(principal.person_id),
            key=key,
            request_hash=fingerprint,
            resource_type="session",
            resource_id=session_id,
        )
    )
