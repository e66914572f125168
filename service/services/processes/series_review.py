"""The supervisor's review of the proposed series: every proposed session checked again
now, the way the proposal checked it.

Collisions are recomputed on each look rather than stored: a calendar synced, a
booking made or a holiday added since the proposal changes them, and a stored verdict
would go stale exactly when the supervisor needs it. The check reads the database only
(the busy cache, holds, rules), as slot search does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from service.domain.intervals import Interval
from service.domain.localtime import local_date
from service.domain.series import Proposal, break_moves, check_occurrences
from service.models import ProcessStatus, SupervisionProcess
from service.services.access import supervised_process
from service.services.auth import Principal
from service.services.availability.schedule import MODE_KINDS, current_terms, sessions_used
from service.services.processes.series import (
    ProposedOccurrence,
    proposed_sessions,
    series_plan,
    series_schedule,
)


@dataclass(frozen=True)
class SeriesReview:
    process: SupervisionProcess
    zone: str  # the supervisor's
    session_count: int | None  # as agreed; None before the agreement binds
    booked: int  # of the agreement's sessions used (booked, held, missed, charged)
    occurrences: list[ProposedOccurrence]

    @property
    def may_propose(self) -> bool:
        return self.session_count is not None and self.process.status is ProcessStatus.ACTIVE


def review_series(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> SeriesReview:
    """The process's proposed sessions with each one's standing today: fits, moved out
    of a break by the plan, or collides (with reasons and alternatives)."""
    process = supervised_process(principal, process_id)
    terms = current_terms(process)
    kind = MODE_KINDS[process.mode]
    zone = process.supervisor.timezone
    booked = sessions_used(process)
    count = terms.session_count if terms else None
    stored = proposed_sessions(process_id)
    if terms is None or not stored:
        return SeriesReview(process, zone, count, booked, [])
    indices = [s.series_index if s.series_index is not None else i for i, s in enumerate(stored)]
    plan = series_plan(terms, max(indices) + 1)
    context, schedule = series_schedule(process, kind, plan, now, through=stored[-1].ends_at)
    moves = break_moves(plan, schedule.holidays)
    proposals = []
    for index, session in zip(indices, stored, strict=True):
        moved = moves.get(index)
        on_moved_date = moved is not None and moved[0] == local_date(
            session.starts_at, schedule.zone
        )
        proposals.append(
            Proposal(
                index,
                Interval(session.starts_at, session.ends_at),
                moved[1] if moved and on_moved_date else None,
            )
        )
    checked = check_occurrences(plan, proposals, schedule, context.request, now)
    return SeriesReview(
        process,
        zone,
        count,
        booked,
        [ProposedOccurrence(s.id, o) for s, o in zip(stored, checked, strict=True)],
    )
