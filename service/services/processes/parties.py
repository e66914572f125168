"""Forming a process: the supervisor starts one without a public inquiry, takes
participants off, gives them their roles (the manager, the group's contact), and names
the orderer organisation and its contact, new or existing.

Adding a participant is `lifecycle.add_participant`. Who takes part and who orders is
settled before the agreement binds: a later change comes with a new agreement version.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from service.domain.errors import InvalidFields
from service.domain.inquiries import normalised_email
from service.domain.processes import ProcessMode, new_process_code
from service.extensions import db
from service.models import (
    Attendance,
    Location,
    Organisation,
    OrganisationContact,
    Person,
    ProcessParticipant,
    ProcessStatus,
    SupervisionProcess,
)
from service.services import audit
from service.services.access import supervised_process
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.errors import NotFound
from service.services.processes.lifecycle import (
    OPEN_STATUSES,
    ParticipantProblem,
    ProcessStateError,
)
from service.services.transactions import write_transaction

FORMING = OPEN_STATUSES - {ProcessStatus.ACTIVE}
NAME_LENGTH = 200


def start_process(principal: Principal, mode: ProcessMode) -> uuid.UUID:
    """A process the supervisor forms themselves (an orderer called, say): it begins
    where an inquiry would, before the initial assessment, with nobody in it yet."""
    with write_transaction():
        profile = own_supervisor_profile(principal)
        process = SupervisionProcess(
            code=new_process_code(),
            mode=ProcessMode(mode),
            status=ProcessStatus.INQUIRY,
            supervisor_id=profile.id,
        )
        db.session.add(process)
        db.session.flush()
        audit.record("process.started", "process", process.id, actor_id=principal.person_id)
        return process.id


def _forming(principal: Principal, process_id: uuid.UUID) -> SupervisionProcess:
    process = supervised_process(principal, process_id)
    if process.status not in FORMING:
        raise ProcessStateError("Who takes part is settled before the agreement binds.")
    return process


def _participant(process: SupervisionProcess, participant_id: uuid.UUID) -> ProcessParticipant:
    found = next((p for p in process.participants if p.id == participant_id), None)
    if found is None:
        raise NotFound()
    return found


def remove_participant(
    principal: Principal, process_id: uuid.UUID, participant_id: uuid.UUID
) -> None:
    """Take a participant off a process being formed (nobody's attendance is lost)."""
    with write_transaction():
        process = _forming(principal, process_id)
        participant = _participant(process, participant_id)
        recorded = db.session.scalar(
            select(Attendance.session_id)
            .where(Attendance.participant_id == participant.id)
            .limit(1)
        )
        if recorded is not None:
            raise ParticipantProblem("A participant with recorded attendance stays.")
        process.participants.remove(participant)
        audit.record(
            "process.participant_removed", "process", process.id, actor_id=principal.person_id
        )


def set_participant_roles(
    principal: Principal,
    process_id: uuid.UUID,
    participant_id: uuid.UUID,
    *,
    is_manager: bool,
    is_group_contact: bool,
) -> None:
    """The manager flag (a work community's manager takes part and accepts as manager)
    and the group's contact (one per process: the member who books for the group)."""
    with write_transaction():
        process = _forming(principal, process_id)
        participant = _participant(process, participant_id)
        participant.is_manager = is_manager
        if is_group_contact:
            for other in process.participants:
                other.is_group_contact = False
        participant.is_group_contact = is_group_contact
        audit.record(
            "process.participant_roles", "process", process.id, actor_id=principal.person_id
        )


@dataclass(frozen=True)
class OrdererChoice:
    """The orderer of a process: an existing organisation (``organisation_id``) or a new
    one by name, with an existing contact (``contact_id``) or a new one by name and
    email. A new organisation may bring the address of its premises."""

    organisation_id: uuid.UUID | None = None
    organisation_name: str = ""
    business_id: str = ""
    premises_street: str = ""
    premises_postal_code: str = ""
    premises_city: str = ""
    contact_id: uuid.UUID | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_language: str = "fi"


def _checked(choice: OrdererChoice) -> None:
    problems = {}
    if choice.organisation_id is None:
        name = choice.organisation_name.strip()
        if not name:
            problems["organisation_name"] = "required"
        elif len(name) > NAME_LENGTH:
            problems["organisation_name"] = "too_long"
        if len(choice.business_id.strip()) > 16:
            problems["business_id"] = "too_long"
        for field, limit in (
            ("premises_street", 200),
            ("premises_postal_code", 10),
            ("premises_city", 100),
        ):
            if len(getattr(choice, field).strip()) > limit:
                problems[field] = "too_long"
    if choice.contact_id is None:
        if not choice.contact_name.strip():
            problems["contact_name"] = "required"
        elif len(choice.contact_name.strip()) > NAME_LENGTH:
            problems["contact_name"] = "too_long"
        if normalised_email(choice.contact_email) is None:
            problems["contact_email"] = "invalid_email"
    if problems:
        raise InvalidFields(problems)


def _new_organisation(choice: OrdererChoice) -> Organisation:
    organisation = Organisation(
        name=choice.organisation_name.strip(), business_id=choice.business_id.strip() or None
    )
    db.session.add(organisation)
    db.session.flush()
    street = choice.premises_street.strip()
    if street or choice.premises_city.strip():
        db.session.add(
            Location(
                organisation_id=organisation.id,
                name=organisation.name,
                street=street,
                postal_code=choice.premises_postal_code.strip(),
                city=choice.premises_city.strip(),
            )
        )
    return organisation


def _contact(organisation: Organisation, choice: OrdererChoice) -> uuid.UUID:
    if choice.contact_id is not None:
        if not any(c.person_id == choice.contact_id for c in organisation.contacts):
            raise ParticipantProblem("The orderer contact must be a contact of the organisation.")
        return choice.contact_id
    email = normalised_email(choice.contact_email)
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(
            name=choice.contact_name.strip(), email=email, language=choice.contact_language
        )
        db.session.add(person)
        db.session.flush()
    if not any(c.person_id == person.id for c in organisation.contacts):
        organisation.contacts.append(OrganisationContact(person=person))
    return person.id


def name_orderer(principal: Principal, process_id: uuid.UUID, choice: OrdererChoice) -> None:
    """Who orders and pays, while the process is formed. A new organisation or contact
    is written with it; an existing organisation must be one the supervisor already
    works with."""
    _checked(choice)
    with write_transaction():
        process = _forming(principal, process_id)
        organisation: Organisation | None
        if choice.organisation_id is None:
            organisation = _new_organisation(choice)
        else:
            organisation = next(
                (o for o in orderer_choices(principal) if o.id == choice.organisation_id), None
            )
        if organisation is None:
            raise NotFound()
        process.orderer_organisation_id = organisation.id
        process.orderer_contact_id = _contact(organisation, choice)
        audit.record("process.orderer_set", "process", process.id, actor_id=principal.person_id)


def clear_orderer(principal: Principal, process_id: uuid.UUID) -> None:
    """No orderer: the supervisee pays privately."""
    with write_transaction():
        process = _forming(principal, process_id)
        process.orderer_organisation_id = None
        process.orderer_contact_id = None
        audit.record("process.orderer_set", "process", process.id, actor_id=principal.person_id)


def orderer_choices(principal: Principal) -> list[Organisation]:
    """The organisations that order the supervisor's processes, by name: the existing
    orderers offered for a new process."""
    profile = own_supervisor_profile(principal)
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(SupervisionProcess.orderer_organisation_id).where(
                        SupervisionProcess.supervisor_id == profile.id
                    )
                )
            )
            .order_by(Organisation.name)
        )
    )


def participants_of(principal: Principal, process_id: uuid.UUID) -> list[ProcessParticipant]:
    """Who takes part, by name and address: for the supervisor only."""
    return list(supervised_process(principal, process_id).participants)


def participant_of_process(
    principal: Principal, process_id: uuid.UUID, participant_id: uuid.UUID
) -> ProcessParticipant:
    return _participant(supervised_process(principal, process_id), participant_id)
