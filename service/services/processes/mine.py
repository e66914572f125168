"""A supervisee's view of their processes: which they take part in, their sessions, what
waits for them (an agreement to accept, an evaluation to answer), and what a
cancellation would cost before they confirm it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.domain.cancellation import CancellationCategory, CancellationTerms
from service.extensions import db
from service.models import (
    AgreementVersion,
    AttendanceStatus,
    EvaluationRound,
    ProcessParticipant,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.access import is_supervisor, may_book, participant_of, visible_process
from service.services.auth import Principal
from service.services.availability.schedule import current_terms
from service.services.booking.steps import CHANGEABLE, cancellation_terms
from service.services.errors import AccessDenied
from service.services.processes.agreements import agreement_history
from service.services.processes.process_sheet import Blocker, booking_blocker

# The reasons a client gives; the others are the supervisor's or the system's.
CLIENT_REASONS = (
    CancellationCategory.SICKNESS,
    CancellationCategory.SCHEDULE_CONFLICT,
    CancellationCategory.WORK_SITUATION,
    CancellationCategory.OTHER,
)
# The supervisor's own reason first (never charged), then the client's they pass on.
SUPERVISOR_REASONS = (CancellationCategory.SUPERVISOR_CANCELLED, *CLIENT_REASONS)
_UPCOMING = (
    SessionStatus.PROPOSED,
    SessionStatus.AWAITING_CONFIRMATION,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
)


@dataclass(frozen=True)
class SessionLine:
    session: SupervisionSession
    upcoming: bool
    may_change: bool
    may_move: bool
    reported_absent: bool


@dataclass(frozen=True)
class ProcessPage:
    process: SupervisionProcess
    terms: AgreementVersion | None
    may_book: bool
    is_participant: bool
    upcoming: list[SessionLine]
    past: list[SessionLine]
    agreement_to_accept: AgreementVersion | None
    latest_agreement: AgreementVersion | None
    open_rounds: list[EvaluationRound]
    # Why the reader, who books, cannot book (the agreement not in force, or used up).
    blocker: Blocker | None = None


def my_processes(principal: Principal) -> list[SupervisionProcess]:
    """The processes the principal takes part in, newest first."""
    if principal.organisation_id is not None:
        return []
    return list(
        db.session.scalars(
            select(SupervisionProcess)
            .join(ProcessParticipant)
            .where(ProcessParticipant.person_id == principal.person_id)
            .options(selectinload(SupervisionProcess.participants))
            .order_by(SupervisionProcess.created_at.desc())
        )
    )


def agreement_waiting(principal: Principal, process_id: uuid.UUID) -> AgreementVersion | None:
    """The sent version that still waits for this principal's acceptance, if any."""
    for view in agreement_history(principal, process_id):
        if principal.person_id in view.waiting_for:
            return view.version
    return None


def process_page(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> ProcessPage:
    process = visible_process(principal, process_id)
    participant = participant_of(principal, process)
    booker = may_book(principal, process)
    terms = cancellation_terms(process)
    sessions = db.session.scalars(
        select(SupervisionSession)
        .where(SupervisionSession.process_id == process.id)
        .options(selectinload(SupervisionSession.attendance))
        .order_by(SupervisionSession.starts_at)
    ).all()
    upcoming: list[SessionLine] = []
    past: list[SessionLine] = []
    for session in sessions:
        is_upcoming = session.status in _UPCOMING and session.ends_at > now
        absent = participant is not None and any(
            a.participant_id == participant.id and a.status is AttendanceStatus.REPORTED_ABSENT
            for a in session.attendance
        )
        changeable = booker and is_upcoming and session.status in CHANGEABLE
        line = SessionLine(
            session,
            is_upcoming,
            may_change=changeable,
            may_move=changeable and not terms.is_late(session.starts_at, now),
            reported_absent=absent,
        )
        (upcoming if is_upcoming else past).append(line)
    past.reverse()
    history = agreement_history(principal, process_id)
    waiting = next((v.version for v in history if principal.person_id in v.waiting_for), None)
    return ProcessPage(
        process=process,
        terms=current_terms(process),
        may_book=booker,
        is_participant=participant is not None,
        upcoming=upcoming,
        past=past,
        agreement_to_accept=waiting,
        latest_agreement=history[0].version if history else None,
        open_rounds=open_rounds(principal, process, now=now),
        blocker=booking_blocker(principal, process, now=now),
    )


def open_rounds(
    principal: Principal, process: SupervisionProcess, *, now: dt.datetime
) -> list[EvaluationRound]:
    """Evaluation rounds open for this participant's answers now."""
    if participant_of(principal, process) is None:
        return []
    return list(
        db.session.scalars(
            select(EvaluationRound)
            .where(
                EvaluationRound.process_id == process.id,
                EvaluationRound.opens_at <= now,
                (EvaluationRound.closes_at.is_(None)) | (EvaluationRound.closes_at > now),
            )
            .order_by(EvaluationRound.opens_at)
        )
    )


@dataclass(frozen=True)
class CancellationQuote:
    """What cancelling now would cost, for each reason a client may give."""

    session: SupervisionSession
    terms: CancellationTerms
    price_cents: int
    late: bool
    deadline: dt.datetime
    charges: dict[CancellationCategory, int]
    reasons: tuple[CancellationCategory, ...] = CLIENT_REASONS

    def charge_cents(self, category: CancellationCategory) -> int:
        return self.price_cents * self.charges[category] // 100


def cancellation_quote(
    principal: Principal, session: SupervisionSession, *, now: dt.datetime
) -> CancellationQuote:
    if not may_book(principal, session.process):
        raise AccessDenied()
    terms = cancellation_terms(session.process)
    agreed = current_terms(session.process)
    reasons = SUPERVISOR_REASONS if is_supervisor(principal, session.process) else CLIENT_REASONS
    return CancellationQuote(
        session=session,
        terms=terms,
        price_cents=agreed.price_cents if agreed else 0,
        late=terms.is_late(session.starts_at, now),
        deadline=terms.deadline(session.starts_at),
        charges={c: terms.charge_percent(session.starts_at, now, c) for c in reasons},
        reasons=reasons,
    )
