"""What a supervisor sees of their own work: the week or month of sessions, busy time
and travel, and their processes by stage. Only their own: the principal's profile
decides, never an id in the address."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from service.domain.agenda import Day, Entry, EntryKind, lay_out, travel_between
from service.domain.availability import local_day_window
from service.domain.intervals import Interval
from service.domain.localtime import zone_of
from service.domain.rules import SessionKind
from service.extensions import db
from service.models import (
    Inquiry,
    InquiryStatus,
    Person,
    ProcessMode,
    ProcessParticipant,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.availability.schedule import booking_rules, external_busy, place_of

STAGE_ORDER = (
    ProcessStatus.INQUIRY,
    ProcessStatus.ASSESSMENT_BOOKED,
    ProcessStatus.ASSESSMENT_HELD,
    ProcessStatus.AGREEMENT_DRAFT,
    ProcessStatus.AGREEMENT_SENT,
    ProcessStatus.ACTIVE,
    ProcessStatus.CLOSED,
    ProcessStatus.DECLINED,
    ProcessStatus.TERMINATED,
)
UPCOMING = (
    SessionStatus.AWAITING_CONFIRMATION,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
)


@dataclass(frozen=True)
class SessionMark:
    """What the calendar shows of a session: no names, the process's code."""

    session_id: uuid.UUID
    process_code: str
    kind: SessionKind
    status: SessionStatus


@dataclass(frozen=True)
class Agenda:
    zone: str
    days: list[Day]


@dataclass(frozen=True)
class ProcessRow:
    process_id: uuid.UUID
    code: str
    mode: ProcessMode
    participants: int
    next_session: dt.datetime | None
    names: tuple[str, ...] = ()
    inquiry_to_answer: bool = False


def agenda(principal: Principal, first: dt.date, last: dt.date) -> Agenda:
    """The supervisor's days from ``first`` to ``last`` (local dates, both included)."""
    profile = own_supervisor_profile(principal)
    zone = zone_of(profile.timezone)
    window = local_day_window(first, last, zone)
    rows = db.session.execute(
        select(SupervisionSession, SupervisionProcess.code)
        .join(SupervisionProcess, SupervisionProcess.id == SupervisionSession.process_id)
        .where(
            SupervisionProcess.supervisor_id == profile.id,
            SupervisionSession.status != SessionStatus.CANCELLED,
            SupervisionSession.starts_at < window.end,
            SupervisionSession.ends_at > window.start,
        )
    ).all()
    sessions = [
        Entry(
            EntryKind.SESSION,
            Interval(session.starts_at, session.ends_at),
            ref=SessionMark(session.id, code, session.kind, session.status),
            place=place_of(session.place_kind, session.location_id),
        )
        for session, code in rows
    ]
    busy = [
        Entry(EntryKind.BUSY, interval)
        for interval in external_busy(profile, window).overlapping(window.start, window.end)
    ]
    travel = travel_between(sessions, zone, booking_rules(profile).travel_minutes)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return Agenda(profile.timezone, lay_out([*sessions, *busy, *travel], days, zone))


def processes_by_stage(
    principal: Principal, *, now: dt.datetime
) -> list[tuple[ProcessStatus, list[ProcessRow]]]:
    """The supervisor's processes grouped by stage, in the order of the lifecycle, each
    with its participants' names (the supervisor's own page) and whether its inquiry
    waits for the supervisor's answer."""
    profile = own_supervisor_profile(principal)
    members = (
        select(func.count(ProcessParticipant.id))
        .where(ProcessParticipant.process_id == SupervisionProcess.id)
        .scalar_subquery()
    )
    upcoming = (
        select(func.min(SupervisionSession.starts_at))
        .where(
            SupervisionSession.process_id == SupervisionProcess.id,
            SupervisionSession.status.in_(UPCOMING),
            SupervisionSession.starts_at >= now,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            SupervisionProcess.id,
            SupervisionProcess.code,
            SupervisionProcess.mode,
            SupervisionProcess.status,
            members,
            upcoming,
        )
        .where(SupervisionProcess.supervisor_id == profile.id)
        .order_by(SupervisionProcess.code)
    ).all()
    names: dict[uuid.UUID, list[str]] = defaultdict(list)
    for process_id, name in db.session.execute(
        select(ProcessParticipant.process_id, Person.name)
        .join(Person, Person.id == ProcessParticipant.person_id)
        .join(SupervisionProcess, SupervisionProcess.id == ProcessParticipant.process_id)
        .where(SupervisionProcess.supervisor_id == profile.id)
        .order_by(Person.name)
    ):
        names[process_id].append(name)
    to_answer = set(
        db.session.scalars(
            select(Inquiry.process_id)
            .join(SupervisionProcess, SupervisionProcess.id == Inquiry.process_id)
            .where(
                SupervisionProcess.supervisor_id == profile.id,
                SupervisionProcess.status.in_(
                    [ProcessStatus.INQUIRY, ProcessStatus.ASSESSMENT_BOOKED]
                ),
                Inquiry.status == InquiryStatus.CONFIRMED,
                Inquiry.accepted_at.is_(None),
            )
        )
    )
    grouped: dict[ProcessStatus, list[ProcessRow]] = defaultdict(list)
    for process_id, code, mode, status, count, next_start in rows:
        grouped[status].append(
            ProcessRow(
                process_id,
                code,
                mode,
                count,
                next_start,
                tuple(names[process_id]),
                process_id in to_answer,
            )
        )
    return [(stage, grouped[stage]) for stage in STAGE_ORDER if grouped[stage]]
