"""The agreement's series: propose every session at once, then accept it as a whole or
occurrence by occurrence.

Every occurrence is checked (not just the first few); a collision is reported with the
nearest valid alternatives and stays proposed, never silently dropped or double-booked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from service.domain.errors import InvalidSeries, Reason
from service.domain.intervals import Interval
from service.domain.series import (
    AnnualBreak,
    OccurrenceStatus,
    SeriesOccurrence,
    SeriesPlan,
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
from service.services.access import is_supervisor
from service.services.auth import Principal
from service.services.booking import BookingConflict, confirm_proposed_session
from service.services.errors import AccessDenied, NotFound
from service.services.scheduling import (
    MODE_KINDS,
    OCCUPYING,
    booking_context,
    current_terms,
    load_schedule,
)
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


def propose_series(
    principal: Principal, process_id: uuid.UUID, *, now: dt.datetime
) -> list[ProposedOccurrence]:
    """Replace the process's proposed sessions with a fresh proposal of the remainder."""
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()
    if not is_supervisor(principal, process):
        raise AccessDenied()
    terms = current_terms(process)
    if terms is None or process.status is not ProcessStatus.ACTIVE:
        raise InvalidSeries("A series is proposed once every party has accepted the agreement.")
    kind = MODE_KINDS[process.mode]
    booked = db.session.scalar(
        select(db.func.count())
        .select_from(SupervisionSession)
        .where(
            SupervisionSession.process_id == process.id,
            SupervisionSession.kind == kind,
            SupervisionSession.status.in_(OCCUPYING),
        )
    )
    remaining = terms.session_count - (booked or 0)
    if remaining < 1:
        raise InvalidSeries("Every session of the agreement is already booked.")
    plan = series_plan(terms, remaining)
    first = dt.datetime.combine(plan.start_date, dt.time(0), tzinfo=dt.UTC)
    span = dt.timedelta(days=plan.interval_days * remaining + 120)
    window = Interval(first - dt.timedelta(days=1), first + span)
    context = booking_context(process, kind, window, with_cadence=False)
    schedule = load_schedule(context.profile, window, now, rules=context.rules)
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
    the ones that collide stay proposed and are reported with alternatives."""
    process = db.session.get(SupervisionProcess, process_id)
    if process is None:
        raise NotFound()
    if not is_supervisor(principal, process):
        raise AccessDenied()
    query = (
        select(SupervisionSession.id)
        .where(
            SupervisionSession.process_id == process_id,
            SupervisionSession.status == SessionStatus.PROPOSED,
        )
        .order_by(SupervisionSession.starts_at)
    )
    if session_ids is not None:
        query = query.where(SupervisionSession.id.in_(session_ids))
    chosen = list(db.session.scalars(query))
    db.session.rollback()
    result = SeriesAcceptance()
    for session_id in chosen:
        try:
            confirm_proposed_session(principal, session_id, now=now)
        except BookingConflict as conflict:
            result.conflicts[session_id] = (conflict.reasons, conflict.alternatives)
        else:
            result.booked.append(session_id)
    return result


__all__ = [
    "OccurrenceStatus",
    "ProposedOccurrence",
    "SeriesAcceptance",
    "accept_series",
    "propose_series",
]
