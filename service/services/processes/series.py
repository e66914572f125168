"""The agreement's series: propose every session at once, then accept it as a whole or
occurrence by occurrence.

Every occurrence is checked (not just the first few); a collision is reported with the
nearest valid alternatives and stays proposed, never silently dropped or double-booked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace

from sqlalchemy import delete, select

from service.domain.availability import BookedSession, Schedule
from service.domain.errors import InvalidSeries, Reason
from service.domain.intervals import Interval
from service.domain.localtime import local_date, zone_of
from service.domain.rules import SessionKind, earliest_start
from service.domain.series import (
    AnnualBreak,
    OccurrenceStatus,
    SeriesOccurrence,
    SeriesPlan,
    first_series_date,
    plan_series,
)
from service.domain.slots import Slot
from service.extensions import db
from service.models import (
    AgreementVersion,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services import audit
from service.services.access import supervised_process
from service.services.auth import Principal
from service.services.availability.schedule import (
    MODE_KINDS,
    BookingContext,
    booking_context,
    current_terms,
    load_schedule,
    sessions_used,
)
from service.services.booking.attempt import attempt
from service.services.booking.changes import BookingConflict, confirm_proposed_session
from service.services.booking.steps import ensure_open_for
from service.services.booking.target import BookingTarget
from service.services.calendars.live_check import LiveAnswer
from service.services.transactions import write_transaction

DEFAULT_START = dt.time(9, 0)


@dataclass(frozen=True)
class ProposedOccurrence:
    session_id: uuid.UUID
    occurrence: SeriesOccurrence


@dataclass
class SeriesAcceptance:
    booked: list[uuid.UUID] = field(default_factory=list)
    conflicts: dict[uuid.UUID, tuple[list[Reason], list[Slot]]] = field(default_factory=dict)
    times: dict[uuid.UUID, Interval] = field(default_factory=dict)  # of every session tried


def interval_days(terms: AgreementVersion) -> int:
    """The series' spacing: the middle of the agreed gap, on whole weeks when the gap
    allows (so sessions keep their weekday)."""
    middle = (terms.min_gap_days + terms.max_gap_days) // 2
    weekly = round(middle / 7) * 7
    return weekly if terms.min_gap_days <= weekly <= terms.max_gap_days else middle


def series_plan(terms: AgreementVersion, remaining: int) -> SeriesPlan:
    breaks: tuple[AnnualBreak, ...] = ()
    if terms.break_from and terms.break_until:
        start = tuple(int(part) for part in terms.break_from.split("-"))
        end = tuple(int(part) for part in terms.break_until.split("-"))
        breaks = (AnnualBreak(start, end),)  # type: ignore[arg-type]
    return SeriesPlan(
        start_date=terms.starts_on,
        interval_days=interval_days(terms),
        local_time=terms.preferred_start or DEFAULT_START,
        count=remaining,
        weekday=terms.preferred_weekday,
        breaks=breaks,
    )


def series_schedule(
    process: SupervisionProcess,
    kind: SessionKind,
    plan: SeriesPlan,
    now: dt.datetime,
    *,
    through: dt.datetime | None = None,
) -> tuple[BookingContext, Schedule]:
    """The rules and the supervisor's schedule over the whole span of ``plan`` (and on
    to ``through``, the last proposed session, wherever it was moved)."""
    count = plan.count or 1
    first = dt.datetime.combine(plan.start_date, dt.time(0), tzinfo=dt.UTC)
    end = first + dt.timedelta(days=plan.interval_days * count + 120)
    if through is not None:
        end = max(end, through + dt.timedelta(days=plan.interval_days + 30))
    window = Interval(first - dt.timedelta(days=1), end)
    context = booking_context(process, kind, window, with_cadence=False)
    return context, load_schedule(context.profile, window, now, rules=context.rules)


def propose_series(
    principal: Principal, process_id: uuid.UUID, *, now: dt.datetime
) -> list[ProposedOccurrence]:
    """Replace the process's proposed sessions with a fresh proposal of the remainder."""
    process = supervised_process(principal, process_id)
    terms = current_terms(process)
    if terms is None or process.status is not ProcessStatus.ACTIVE:
        raise InvalidSeries(
            "A series is proposed once every party has accepted the agreement.",
            problem="agreement_not_accepted",
        )
    kind = MODE_KINDS[process.mode]
    remaining = terms.session_count - sessions_used(process)
    if remaining < 1:
        raise InvalidSeries(
            "Every session of the agreement is already booked.", problem="all_booked"
        )
    plan = series_plan(terms, remaining)
    profile = process.supervisor
    earliest = earliest_start(now, profile.min_notice_minutes).astimezone(zone_of(profile.timezone))
    plan = replace(plan, start_date=first_series_date(plan.start_date, plan.local_time, earliest))
    context, schedule = series_schedule(process, kind, plan, now)
    occurrences = plan_series(plan, schedule, context.request, now)
    place_kind, location_id = context.place_kind, context.location_id
    proposed = []
    with write_transaction(lock_supervisor=process.supervisor_id):
        db.session.execute(
            delete(SupervisionSession).where(
                SupervisionSession.process_id == process_id,
                SupervisionSession.status == SessionStatus.PROPOSED,
            )
        )
        for occurrence in occurrences:
            session = SupervisionSession(
                process_id=process_id,
                kind=kind,
                status=SessionStatus.PROPOSED,
                starts_at=occurrence.proposed.start,
                ends_at=occurrence.proposed.end,
                place_kind=place_kind,
                location_id=location_id,
                series_index=occurrence.index,
            )
            db.session.add(session)
            db.session.flush()
            proposed.append(ProposedOccurrence(session.id, occurrence))
    return proposed


def accept_series(
    principal: Principal,
    process_id: uuid.UUID,
    *,
    now: dt.datetime,
    session_ids: list[uuid.UUID] | None = None,
) -> SeriesAcceptance:
    """Book the proposed sessions (all, or the chosen ones), each in its own transaction;
    the ones that collide stay proposed and are reported with alternatives. A chosen id
    that is not a proposed session of the process refuses the whole request."""
    supervised_process(principal, process_id)
    query = (
        select(SupervisionSession.id, SupervisionSession.starts_at, SupervisionSession.ends_at)
        .where(
            SupervisionSession.process_id == process_id,
            SupervisionSession.status == SessionStatus.PROPOSED,
        )
        .order_by(SupervisionSession.starts_at)
    )
    if session_ids is not None:
        query = query.where(SupervisionSession.id.in_(session_ids))
    times = {row.id: Interval(row.starts_at, row.ends_at) for row in db.session.execute(query)}
    db.session.rollback()
    if session_ids is not None and set(times) != set(session_ids):
        raise InvalidSeries(
            "Only the process's proposed sessions can be accepted.", problem="not_proposed"
        )
    result = SeriesAcceptance(times=times)
    for session_id in times:
        try:
            confirm_proposed_session(principal, session_id, now=now)
        except BookingConflict as conflict:
            result.conflicts[session_id] = (conflict.reasons, conflict.alternatives)
        else:
            result.booked.append(session_id)
    return result


def move_proposed_session(
    principal: Principal,
    process_id: uuid.UUID,
    session_id: uuid.UUID,
    new_start: dt.datetime,
    *,
    now: dt.datetime,
) -> None:
    """Move one proposed occurrence to another time (an alternative to its collision).

    Checked at write time as a booking is, and also against the series' other proposed
    sessions and its dates (never into a break), so the moved occurrence fits on review.
    Nothing is booked and nobody is told: the supervisor accepts it afterwards.
    """
    process = supervised_process(principal, process_id)
    session = _proposed_session(process_id, session_id)
    ensure_open_for(process, session.kind)
    terms = current_terms(process)
    if terms is None or not series_plan(terms, 1).allows(
        local_date(new_start, zone_of(process.supervisor.timezone))
    ):
        raise InvalidSeries("The time is outside the series' dates.", problem="outside_series")
    target = BookingTarget.for_session(session, new_start, series=True)

    def siblings(context: BookingContext) -> list[BookedSession]:
        return [
            BookedSession(Interval(other.starts_at, other.ends_at), context.request.place)
            for other in proposed_sessions(process_id)
            if other.id != session_id
        ]

    def write(context: BookingContext, interval: Interval, live: LiveAnswer) -> None:
        session = _proposed_session(process_id, session_id)
        previous_start = session.starts_at
        session.starts_at, session.ends_at = interval.start, interval.end
        audit.record(
            "series.occurrence_moved",
            "session",
            session.id,
            actor_id=principal.person_id,
            previous_start=previous_start.isoformat(),
        )

    attempt(target, now=now, write=write, siblings=siblings)


def proposed_sessions(process_id: uuid.UUID) -> list[SupervisionSession]:
    """The process's proposed sessions, earliest first."""
    return list(
        db.session.scalars(
            select(SupervisionSession)
            .where(
                SupervisionSession.process_id == process_id,
                SupervisionSession.status == SessionStatus.PROPOSED,
            )
            .order_by(SupervisionSession.starts_at)
        )
    )


def _proposed_session(process_id: uuid.UUID, session_id: uuid.UUID) -> SupervisionSession:
    session = db.session.get(SupervisionSession, session_id)
    if (
        session is None
        or session.process_id != process_id
        or session.status is not SessionStatus.PROPOSED
    ):
        raise InvalidSeries(
            "Only a proposed session of the series can be moved.", problem="not_proposed"
        )
    return session


__all__ = [
    "OccurrenceStatus",
    "ProposedOccurrence",
    "SeriesAcceptance",
    "accept_series",
    "move_proposed_session",
    "propose_series",
]
