"""A process's lifecycle: who takes part and who orders it, the assessment held,
declining, ending early, closing.

Ending a process cancels its remaining sessions under the agreement's terms, each with
the notices an ordinary cancellation sends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.domain.cancellation import CancellationCategory
from service.domain.errors import DomainError
from service.domain.inquiries import normalised_email
from service.domain.processes import PARTICIPANT_LIMITS, EndReason
from service.domain.rules import SessionKind
from service.extensions import db
from service.models import (
    Organisation,
    OrganisationContact,
    Person,
    ProcessParticipant,
    ProcessStatus,
    SessionStatus,
    SupervisionSession,
)
from service.services import audit
from service.services.access import supervised_process
from service.services.auth import Principal
from service.services.booking.changes import cancel_session
from service.services.errors import NotFound
from service.services.transactions import write_transaction

OPEN_STATUSES = frozenset(
    {
        ProcessStatus.INQUIRY,
        ProcessStatus.ASSESSMENT_BOOKED,
        ProcessStatus.ASSESSMENT_HELD,
        ProcessStatus.AGREEMENT_DRAFT,
        ProcessStatus.AGREEMENT_SENT,
        ProcessStatus.ACTIVE,
    }
)
_BEFORE_AGREEMENT = OPEN_STATUSES - {ProcessStatus.ACTIVE}
_REMAINING = (
    SessionStatus.PROPOSED,
    SessionStatus.AWAITING_CONFIRMATION,
    SessionStatus.WAITING_FOR_ROOM,
    SessionStatus.BOOKED,
)


class ProcessStateError(DomainError):
    code = "process_state"
    default_message = "The process is not at a stage that allows this."


class ParticipantProblem(DomainError):
    code = "participant_problem"
    default_message = "The participant cannot be added."


@dataclass(frozen=True)
class NewParticipant:
    name: str
    email: str
    language: str = "fi"
    is_manager: bool = False
    is_group_contact: bool = False
    organisation_id: uuid.UUID | None = None


def add_participant(principal: Principal, process_id: uuid.UUID, new: NewParticipant) -> uuid.UUID:
    """Add a supervisee (the person is found by email or created)."""
    with write_transaction():
        process = supervised_process(principal, process_id)
        if process.status not in _BEFORE_AGREEMENT and process.status is not ProcessStatus.ACTIVE:
            raise ProcessStateError()
        email = normalised_email(new.email)
        if email is None or not new.name.strip():
            raise ParticipantProblem("A participant needs a name and a valid email address.")
        limit = PARTICIPANT_LIMITS[process.mode].maximum
        if len(process.participants) >= limit:
            raise ParticipantProblem(f"A {process.mode} process has at most {limit} participants.")
        person = db.session.scalar(select(Person).where(Person.email == email))
        if person is None:
            person = Person(name=new.name.strip(), email=email, language=new.language)
            db.session.add(person)
            db.session.flush()
        if any(p.person_id == person.id for p in process.participants):
            raise ParticipantProblem("This person already takes part in the process.")
        participant = ProcessParticipant(
            person=person,
            is_manager=new.is_manager,
            is_group_contact=new.is_group_contact,
            organisation_id=new.organisation_id,
        )
        process.participants.append(participant)
        db.session.flush()
        audit.record(
            "process.participant_added", "process", process.id, actor_id=principal.person_id
        )
        return participant.id


def set_orderer(
    principal: Principal,
    process_id: uuid.UUID,
    organisation_id: uuid.UUID | None,
    contact_id: uuid.UUID | None,
) -> None:
    """Who orders and pays: an organisation and one of its contacts, or no one (the
    supervisee pays privately)."""
    with write_transaction():
        process = supervised_process(principal, process_id)
        if process.status not in _BEFORE_AGREEMENT:
            raise ProcessStateError("The orderer changes with a new agreement version only.")
        if organisation_id is None:
            process.orderer_organisation_id = None
            process.orderer_contact_id = None
            return
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound()
        contact = db.session.get(OrganisationContact, (organisation_id, contact_id))
        if contact_id is not None and contact is None:
            raise ParticipantProblem("The orderer contact must be a contact of the organisation.")
        process.orderer_organisation_id = organisation_id
        process.orderer_contact_id = contact_id
        audit.record("process.orderer_set", "process", process.id, actor_id=principal.person_id)


def mark_assessment_held(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> None:
    with write_transaction():
        process = supervised_process(principal, process_id)
        if process.status not in (ProcessStatus.INQUIRY, ProcessStatus.ASSESSMENT_BOOKED):
            raise ProcessStateError()
        assessment = db.session.scalar(
            select(SupervisionSession).where(
                SupervisionSession.process_id == process.id,
                SupervisionSession.kind == SessionKind.INITIAL_ASSESSMENT,
                SupervisionSession.status == SessionStatus.BOOKED,
            )
        )
        if assessment is not None:
            if assessment.starts_at > now:
                raise ProcessStateError("The assessment has not taken place yet.")
            assessment.status = SessionStatus.HELD
        process.status = ProcessStatus.ASSESSMENT_HELD
        audit.record("process.assessment_held", "process", process.id, actor_id=principal.person_id)


def decline_process(
    principal: Principal, process_id: uuid.UUID, reason: EndReason, *, now: dt.datetime
) -> None:
    """Either side decides not to start, before the agreement binds."""
    _end(principal, process_id, reason, now, ProcessStatus.DECLINED, _BEFORE_AGREEMENT)


def terminate_process(
    principal: Principal, process_id: uuid.UUID, reason: EndReason, *, now: dt.datetime
) -> None:
    """End early, at any open stage, for a reason category."""
    _end(principal, process_id, reason, now, ProcessStatus.TERMINATED, OPEN_STATUSES)


def close_process(principal: Principal, process_id: uuid.UUID, *, now: dt.datetime) -> None:
    """The planned end, after the final evaluation."""
    _end(
        principal,
        process_id,
        EndReason.GOALS_REACHED,
        now,
        ProcessStatus.CLOSED,
        frozenset({ProcessStatus.ACTIVE}),
    )


def _end(
    principal: Principal,
    process_id: uuid.UUID,
    reason: EndReason,
    now: dt.datetime,
    status: ProcessStatus,
    allowed: frozenset[ProcessStatus],
) -> None:
    process = supervised_process(principal, process_id)
    if process.status not in allowed:
        raise ProcessStateError()
    remaining = list(
        db.session.scalars(
            select(SupervisionSession.id).where(
                SupervisionSession.process_id == process_id,
                SupervisionSession.status.in_(_REMAINING),
                SupervisionSession.starts_at > now,
            )
        )
    )
    db.session.rollback()
    for session_id in remaining:
        cancel_session(principal, session_id, CancellationCategory.PROCESS_ENDED, now=now)
    with write_transaction():
        process = supervised_process(principal, process_id)
        process.status = status
        process.end_reason = reason
        process.closed_at = now
        audit.record(
            f"process.{status}", "process", process.id, actor_id=principal.person_id, reason=reason
        )
