"""A process as its supervisor runs it: the people (by name: these are the supervisor's
own clients), the orderer, the agreement's versions, the sessions, goals and evaluations,
and the steps of the lifecycle open now, or why a step is not open yet and what comes
first. The supervisee's page asks `booking_blocker` why booking is not open.

Each step names the use case behind it; the pages show a step's action only when it is
open, so what a page offers is what the use case would accept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select

from service.domain.localtime import local_date, zone_of
from service.domain.rules import SessionKind, earliest_start
from service.extensions import db
from service.models import (
    EvaluationAnswer,
    EvaluationRound,
    Goal,
    Inquiry,
    InquiryStatus,
    Organisation,
    Person,
    ProcessParticipant,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    VersionStatus,
)
from service.services.access import may_book, supervised_process
from service.services.auth import Principal
from service.services.availability.schedule import agreement_limits, current_terms
from service.services.booking.steps import CHANGEABLE
from service.services.processes.agreements import (
    agreement_history,
    latest_version,
    required_people,
    sending_problems,
)
from service.services.processes.inquiries import inquiry_of
from service.services.processes.lifecycle import final_evaluation
from service.services.processes.parties import FORMING, orderer_choices

_UPCOMING = (
    SessionStatus.PROPOSED,
    SessionStatus.AWAITING_CONFIRMATION,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
)
_ENDED = (ProcessStatus.CLOSED, ProcessStatus.DECLINED, ProcessStatus.TERMINATED)


@dataclass(frozen=True)
class Step:
    """One step of the lifecycle: ``open`` with its action on the page, or not open yet
    with ``why`` (a code the page words), the people it waits for and a moment."""

    code: str
    open: bool = True
    why: str | None = None
    people: tuple[str, ...] = ()
    at: dt.datetime | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParticipantLine:
    participant: ProcessParticipant
    name: str
    email: str
    organisation: str | None


@dataclass(frozen=True)
class VersionLine:
    number: int
    status: VersionStatus
    sent_at: dt.datetime | None
    accepted: list[tuple[str, str]]
    waiting: list[str]
    waiting_ids: list[uuid.UUID]


@dataclass(frozen=True)
class SessionLine:
    session: SupervisionSession
    upcoming: bool
    may_change: bool
    may_scale: bool
    scaled: bool


@dataclass(frozen=True)
class RoundLine:
    round: EvaluationRound
    answered_by: int


@dataclass(frozen=True)
class ProcessSheet:
    process: SupervisionProcess
    inquiry: Inquiry | None
    participants: list[ParticipantLine]
    orderer: Organisation | None
    orderer_contact: Person | None
    versions: list[VersionLine]
    sessions: list[SessionLine]
    goals: list[Goal]
    rounds: list[RoundLine]
    steps: list[Step]
    forming: bool
    orderers: list[Organisation] = field(default_factory=list)


def _names(people_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not people_ids:
        return {}
    rows = db.session.execute(select(Person.id, Person.name).where(Person.id.in_(people_ids)))
    return {person_id: name for person_id, name in rows}


def _versions(principal: Principal, process: SupervisionProcess) -> list[VersionLine]:
    history = agreement_history(principal, process.id)
    ids = [p for view in history for p in view.waiting_for]
    ids += [a.person_id for view in history for a in view.acceptances]
    names = _names(ids)
    return [
        VersionLine(
            number=view.version.number,
            status=view.version.status,
            sent_at=view.version.sent_at,
            accepted=[(names.get(a.person_id, ""), str(a.party)) for a in view.acceptances],
            waiting=[names.get(person_id, "") for person_id in view.waiting_for],
            waiting_ids=list(view.waiting_for),
        )
        for view in history
    ]


def _sessions(process: SupervisionProcess, now: dt.datetime) -> list[SessionLine]:
    sessions = db.session.scalars(
        select(SupervisionSession)
        .where(SupervisionSession.process_id == process.id)
        .order_by(SupervisionSession.starts_at)
    ).all()
    scaled = set(
        db.session.scalars(
            select(EvaluationRound.session_id).where(
                EvaluationRound.process_id == process.id, EvaluationRound.session_id.is_not(None)
            )
        )
    )
    active = process.status is ProcessStatus.ACTIVE
    lines = []
    for session in sessions:
        upcoming = session.status in _UPCOMING and session.ends_at > now
        lines.append(
            SessionLine(
                session=session,
                upcoming=upcoming,
                may_change=upcoming and session.status in (*CHANGEABLE, SessionStatus.PROPOSED),
                may_scale=active
                and session.kind is not SessionKind.INITIAL_ASSESSMENT
                and session.id not in scaled
                and session.status in (*CHANGEABLE, SessionStatus.HELD),
                scaled=session.id in scaled,
            )
        )
    return lines


def _rounds(process: SupervisionProcess) -> list[RoundLine]:
    rows = db.session.execute(
        select(EvaluationRound, func.count(func.distinct(EvaluationAnswer.person_id)))
        .outerjoin(EvaluationAnswer, EvaluationAnswer.round_id == EvaluationRound.id)
        .where(EvaluationRound.process_id == process.id)
        .group_by(EvaluationRound.id)
        .order_by(EvaluationRound.opens_at)
    ).all()
    return [RoundLine(evaluation, count) for evaluation, count in rows]


def _assessment(process: SupervisionProcess) -> SupervisionSession | None:
    return db.session.scalar(
        select(SupervisionSession).where(
            SupervisionSession.process_id == process.id,
            SupervisionSession.kind == SessionKind.INITIAL_ASSESSMENT,
            SupervisionSession.status.in_(
                (SessionStatus.BOOKED, SessionStatus.AWAITING_CONFIRMATION)
            ),
        )
    )


def _steps(
    process: SupervisionProcess,
    inquiry: Inquiry | None,
    versions: list[VersionLine],
    supervisor_id: uuid.UUID,
    now: dt.datetime,
) -> list[Step]:
    status = process.status
    if status in _ENDED:
        return [Step("ended", open=False, why=str(status), at=process.closed_at)]
    steps: list[Step] = []
    if status in (ProcessStatus.INQUIRY, ProcessStatus.ASSESSMENT_BOOKED):
        if inquiry is not None and inquiry.status is InquiryStatus.AWAITING_CONFIRMATION:
            return [
                Step(
                    "answer_inquiry",
                    open=False,
                    why="email_unconfirmed",
                    people=(inquiry.person.name,),
                    at=inquiry.expires_at,
                )
            ]
        if inquiry is not None and inquiry.accepted_at is None:
            steps.append(Step("answer_inquiry"))
            steps.append(Step("assessment_held", open=False, why="answer_first"))
            return steps
        assessment = _assessment(process)
        if assessment is not None and assessment.starts_at > now:
            steps.append(
                Step("assessment_held", open=False, why="assessment_ahead", at=assessment.starts_at)
            )
        else:
            steps.append(Step("assessment_held"))
        steps.append(Step("draft_agreement", open=False, why="after_assessment"))
        steps.append(Step("decline"))
        return steps
    if status in FORMING:
        latest = latest_version(process.id)
        if latest is None:
            steps.append(Step("draft_agreement"))
        elif latest.status is VersionStatus.DRAFT:
            problems = sending_problems(process, latest)
            steps.append(
                Step(
                    "send_agreement",
                    open=not problems,
                    why="cannot_send" if problems else None,
                    problems=tuple(problems.values()),
                )
            )
        sent = next((v for v in versions if v.status is VersionStatus.SENT), None)
        if sent is not None:
            steps.append(
                Step(
                    "book_sessions",
                    open=False,
                    why="agreement_waiting",
                    people=tuple(sent.waiting),
                )
            )
            if supervisor_id in sent.waiting_ids:
                steps.append(Step("accept_agreement"))
        steps.append(Step("decline"))
        return steps
    # Active: the sessions, the evaluations and the end.
    steps.append(Step("book_sessions"))
    latest = latest_version(process.id)
    if latest is not None and latest.status is VersionStatus.SENT:
        sent = versions[0]
        steps.append(
            Step("new_version", open=False, why="agreement_waiting", people=tuple(sent.waiting))
        )
    final = final_evaluation(process.id)
    if final is not None and final.opens_at > now:
        steps.append(Step("close", open=False, why="final_ahead", at=final.opens_at))
    else:
        steps.append(Step("close"))
    steps.append(Step("terminate"))
    return steps


def process_sheet(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> ProcessSheet:
    """Everything the supervisor's page of one process shows; only its supervisor."""
    process = supervised_process(principal, process_id)
    db.session.refresh(process, attribute_names=["participants"])
    inquiry = inquiry_of(process.id)
    organisations = {
        o.id: o.name
        for o in db.session.scalars(
            select(Organisation).where(
                Organisation.id.in_({p.organisation_id for p in process.participants})
            )
        )
    }
    participants = [
        ParticipantLine(
            participant=p,
            name=p.person.name,
            email=p.person.email,
            organisation=organisations.get(p.organisation_id) if p.organisation_id else None,
        )
        for p in process.participants
    ]
    versions = _versions(principal, process)
    goals = list(
        db.session.scalars(
            select(Goal)
            .where(Goal.process_id == process.id, Goal.is_active.is_(True))
            .order_by(Goal.position)
        )
    )
    return ProcessSheet(
        process=process,
        inquiry=inquiry,
        participants=participants,
        orderer=process.orderer_organisation,
        orderer_contact=process.orderer_contact,
        versions=versions,
        sessions=_sessions(process, now),
        goals=goals,
        rounds=_rounds(process),
        steps=_steps(process, inquiry, versions, process.supervisor.person_id, now),
        forming=process.status in FORMING,
        orderers=orderer_choices(principal) if process.status in FORMING else [],
    )


@dataclass(frozen=True)
class Blocker:
    """Why a participant who books cannot book (more): a code, how many acceptances the
    agreement still waits for, and the agreement's session count or planned end."""

    why: str
    waiting: int = 0
    session_count: int = 0
    ended_on: dt.date | None = None


def booking_blocker(
    principal: Principal,
    process: SupervisionProcess,
    *,
    now: dt.datetime,
    moving: uuid.UUID | None = None,
) -> Blocker | None:
    """None when the reader may book now, or is not the one who books. A process under
    way blocks once its agreement's sessions are used up (not for ``moving`` one of
    them, which does not count against itself) or no date before its planned end can
    be booked any more: the page says so rather than showing empty weeks."""
    if not may_book(principal, process):
        return None
    if process.status is ProcessStatus.ACTIVE:
        return _agreement_blocker(process, now, moving)
    if process.status in _ENDED:
        return Blocker("ended")
    latest = latest_version(process.id)
    if latest is None or latest.status is VersionStatus.DRAFT:
        return Blocker("agreement_being_prepared")
    accepted = {a.person_id for a in latest.acceptances}
    waiting = [p for p in required_people(process) if p not in accepted]
    return Blocker("agreement_waiting", len(waiting))


def _agreement_blocker(
    process: SupervisionProcess, now: dt.datetime, moving: uuid.UUID | None
) -> Blocker | None:
    terms = current_terms(process)
    if terms is None:
        return None
    profile = process.supervisor
    earliest = earliest_start(now, profile.min_notice_minutes)
    if local_date(earliest, zone_of(profile.timezone)) > terms.planned_end_on:
        return Blocker("agreement_ended", ended_on=terms.planned_end_on)
    if moving is None and agreement_limits(process, terms).used_up:
        return Blocker("sessions_used_up", session_count=terms.session_count)
    return None
