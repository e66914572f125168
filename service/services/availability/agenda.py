"""What a supervisor sees of their own work: the week or month of sessions, busy time,
travel and days off, and their processes by stage, with their own clients' names and
organisations. Only their own: the principal's profile decides, never an id in the
address. Names stay on these pages: calendars, rooms and emails to others carry the
neutral title."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select

from service.domain.agenda import Day, Entry, EntryKind, lay_out, travel_between
from service.domain.availability import local_day_window
from service.domain.holidays_fi import holiday_names
from service.domain.intervals import Interval
from service.domain.localtime import zone_of
from service.domain.rules import SessionKind
from service.domain.working_hours import OverrideKind
from service.extensions import db
from service.models import (
    Inquiry,
    InquiryStatus,
    Organisation,
    Person,
    ProcessMode,
    ProcessParticipant,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
)
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.availability.schedule import (
    booking_rules,
    external_busy,
    holidays_around,
    place_of,
)

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
class ProcessName:
    """A process as its supervisor knows it: the client's name (a group's members'
    first names) and the organisation."""

    name: str
    organisation: str


@dataclass(frozen=True)
class SessionMark:
    """What the supervisor's calendar shows of a session."""

    session_id: uuid.UUID
    process_id: uuid.UUID
    process_code: str
    kind: SessionKind
    status: SessionStatus
    name: ProcessName


@dataclass(frozen=True)
class Agenda:
    zone: str
    days: list[Day]
    # Public holidays and the supervisor's own days off, with their names.
    days_off: dict[dt.date, str]


@dataclass(frozen=True)
class ProcessRow:
    process_id: uuid.UUID
    code: str
    mode: ProcessMode
    participants: int
    next_session: dt.datetime | None
    name: ProcessName
    inquiry_to_answer: bool = False


# A group's name lists this many first names, then how many more there are.
NAMES_SHOWN = 3


def process_names(process_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, ProcessName]:
    """The processes' names as their supervisor knows them (callers check that the
    processes are the principal's own)."""
    if not process_ids:
        return {}
    rows = db.session.execute(
        select(
            SupervisionProcess.id,
            SupervisionProcess.mode,
            Person.name,
            Organisation.name,
        )
        .outerjoin(ProcessParticipant, ProcessParticipant.process_id == SupervisionProcess.id)
        .outerjoin(Person, Person.id == ProcessParticipant.person_id)
        .outerjoin(
            Organisation,
            Organisation.id
            == func.coalesce(
                SupervisionProcess.orderer_organisation_id, ProcessParticipant.organisation_id
            ),
        )
        .where(SupervisionProcess.id.in_(process_ids))
        .order_by(ProcessParticipant.is_group_contact.desc(), ProcessParticipant.id)
    ).all()
    people: dict[uuid.UUID, list[str]] = defaultdict(list)
    organisations: dict[uuid.UUID, list[str]] = defaultdict(list)
    modes: dict[uuid.UUID, ProcessMode] = {}
    for process_id, mode, person, organisation in rows:
        modes[process_id] = mode
        if person:
            people[process_id].append(person)
        if organisation and organisation not in organisations[process_id]:
            organisations[process_id].append(organisation)
    names = {}
    for process_id, mode in modes.items():
        members = people[process_id]
        if mode is ProcessMode.INDIVIDUAL or len(members) <= 1:
            name = ", ".join(members)
        else:
            first = [member.split()[0] for member in members[:NAMES_SHOWN]]
            more = len(members) - NAMES_SHOWN
            name = ", ".join(first) + (f" +{more}" if more > 0 else "")
        names[process_id] = ProcessName(name, ", ".join(organisations[process_id]))
    return names


def _days_off(
    profile: SupervisorProfile, days: list[dt.date], window: Interval, language: str
) -> dict[dt.date, str]:
    public = holidays_around(window)
    off = {day: "" for day in days if day in public}
    off.update(holiday_names(off, language))
    for override in profile.overrides:
        if override.kind is OverrideKind.OFF and days[0] <= override.on_date <= days[-1]:
            off.setdefault(override.on_date, override.label)
    return off


def agenda(principal: Principal, first: dt.date, last: dt.date, *, language: str = "fi") -> Agenda:
    """The supervisor's days from ``first`` to ``last`` (local dates, both included);
    holidays are named in ``language``."""
    profile = own_supervisor_profile(principal)
    zone = zone_of(profile.timezone)
    window = local_day_window(first, last, zone)
    rows = db.session.execute(
        select(SupervisionSession, SupervisionProcess.code)
        .join(SupervisionProcess, SupervisionProcess.id == SupervisionSession.process_id)
        .where(
            SupervisionProcess.supervisor_id == profile.id,
            SupervisionSession.status != SessionStatus.CANCELLED,
            SupervisionSession.overlapping(window.start, window.end),
        )
    ).all()
    names = process_names({session.process_id for session, _code in rows})
    sessions = [
        Entry(
            EntryKind.SESSION,
            Interval(session.starts_at, session.ends_at),
            ref=SessionMark(
                session.id,
                session.process_id,
                code,
                session.kind,
                session.status,
                names.get(session.process_id, ProcessName("", "")),
            ),
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
    return Agenda(
        profile.timezone,
        lay_out([*sessions, *busy, *travel], days, zone),
        _days_off(profile, days, window, language),
    )


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
    names = process_names([row[0] for row in rows])
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
        name = names.get(process_id, ProcessName("", ""))
        grouped[status].append(
            ProcessRow(process_id, code, mode, count, next_start, name, process_id in to_answer)
        )
    return [(stage, grouped[stage]) for stage in STAGE_ORDER if grouped[stage]]
