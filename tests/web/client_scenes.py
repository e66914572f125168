"""Processes for the supervisee and orderer pages, set around the test's clock: pages
ask `clock.now()`, so sessions, slots and evaluations here are relative to now."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from service import clock
from service.domain.agreements import DEFAULT_REPORT_ITEMS
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    Agreement,
    AgreementVersion,
    Attendance,
    AttendanceStatus,
    EvaluationKind,
    EvaluationRound,
    Goal,
    GoalKind,
    OrganisationContact,
    Person,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    VersionStatus,
)
from service.services.auth import Principal
from tests import builders


@dataclass
class ClientScene:
    process_id: uuid.UUID
    supervisor: Principal
    client: Principal
    orderer: Principal
    stranger: Principal
    other_process_id: uuid.UUID


def _orderer_contact(process: SupervisionProcess, org: builders.OrganisationSetup) -> Person:
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    process.orderer_contact_id = contact.id
    db.session.commit()
    return contact


def client_process(
    mode: ProcessMode = ProcessMode.INDIVIDUAL, participants: int = 1
) -> ClientScene:
    """An active remote process ordered by an organisation, with a contact, a stranger,
    and another supervisor's process the client has nothing to do with."""
    today = clock.now().astimezone(builders.HELSINKI).date()
    org = builders.organisation(8)
    org.organisation.name = "Hyvinvointialue"
    profile = builders.supervisor(min_notice_minutes=60)
    process = builders.process(
        profile,
        mode=mode,
        participants=participants,
        org=org,
        place=PlaceKind.REMOTE,
        starts_on=today,
        planned_end_on=today + dt.timedelta(days=365),
        orderer_report_items=[str(item) for item in DEFAULT_REPORT_ITEMS],
    )
    contact = _orderer_contact(process, org)
    other = builders.process(builders.supervisor())
    stranger = builders.person("Ulkopuolinen")
    return ClientScene(
        process.id,
        builders.supervisor_principal(process),
        builders.participant_principal(process),
        builders.principal(contact),
        builders.principal(stranger),
        other.id,
    )


def session(
    process_id: uuid.UUID,
    starts_in: dt.timedelta,
    status: SessionStatus = SessionStatus.BOOKED,
    *,
    present: int = 0,
) -> uuid.UUID:
    """A session written as the booking would have left it (holds are not needed by the
    pages that read, cancel or report absence)."""
    process = db.session.get(SupervisionProcess, process_id)
    start = (clock.now() + starts_in).replace(second=0, microsecond=0)
    row = SupervisionSession(
        process_id=process_id,
        kind=SessionKind(str(process.mode)),
        status=status,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=90),
        place_kind=PlaceKind.REMOTE,
        charge_percent=100 if status is SessionStatus.HELD else None,
    )
    for participant in process.participants[:present]:
        row.attendance.append(
            Attendance(participant_id=participant.id, status=AttendanceStatus.PRESENT)
        )
    db.session.add(row)
    db.session.commit()
    return row.id


def sent_version(process_id: uuid.UUID) -> int:
    """A second agreement version, sent and waiting for every party."""
    agreement = db.session.query(Agreement).filter_by(process_id=process_id).one()
    first = agreement.versions[0]
    values = {
        c.key: getattr(first, c.key)
        for c in AgreementVersion.__table__.columns
        if c.key
        not in {"id", "number", "status", "created_at", "agreement_id", "accepted_at", "sent_at"}
    }
    version = AgreementVersion(
        agreement=agreement, number=2, status=VersionStatus.SENT, sent_at=clock.now(), **values
    )
    db.session.add(version)
    db.session.commit()
    return version.number


def open_evaluation(process_id: uuid.UUID, *titles: str) -> uuid.UUID:
    """An interim evaluation open now, with the process's goals."""
    for position, title in enumerate(titles):
        db.session.add(
            Goal(process_id=process_id, kind=GoalKind.ORGANISATION, title=title, position=position)
        )
    now = clock.now()
    evaluation = EvaluationRound(
        process_id=process_id,
        kind=EvaluationKind.INTERIM,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )
    db.session.add(evaluation)
    db.session.commit()
    return evaluation.id
