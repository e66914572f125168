"""Who may see and do what with a process: every rule, decided here per object, for
pages, API and commands alike.

A principal who may not see a process at all gets `NotFound` from the use cases (the
process does not exist for them); one who sees it but may not act gets `AccessDenied`.

What each party may read (tests/processes/test_access_matrix.py holds the use cases to
this and this to its table):

| what                      | supervisor | participant | manager | orderer |
|---------------------------|------------|-------------|---------|---------|
| the process, its agreement, its sessions' times | yes | yes | yes | yes |
| a session's private notes | yes        | no          | no      | no      |
| a session's next step     | yes        | yes         | yes     | no      |
| a person's answers        | yes        | their own   | their own | no    |
| counts and invoicing      | yes        | no          | no      | yes     |
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import joinedload, selectinload

from service.domain.agreements import Party
from service.extensions import db
from service.models import (
    Organisation,
    OrganisationContact,
    ProcessMode,
    ProcessParticipant,
    SupervisionProcess,
    SupervisorProfile,
)
from service.services.auth import Principal
from service.services.errors import AccessDenied, NotFound

# Loader options for a process whose parties are checked next: the supervisor in the
# same query, the participants in one more (the orderer's contacts only when asked).
WITH_PARTIES = (
    joinedload(SupervisionProcess.supervisor),
    selectinload(SupervisionProcess.participants),
)


def is_supervisor(principal: Principal, process: SupervisionProcess) -> bool:
    return principal.organisation_id is None and process.supervisor.person_id == principal.person_id


def participant_of(principal: Principal, process: SupervisionProcess) -> ProcessParticipant | None:
    if principal.organisation_id is not None:
        return None
    return next((p for p in process.participants if p.person_id == principal.person_id), None)


def is_orderer(principal: Principal, process: SupervisionProcess) -> bool:
    """A contact of the ordering organisation, or a token acting for it."""
    organisation = process.orderer_organisation
    if organisation is None:
        return False
    if principal.organisation_id is not None:
        return principal.organisation_id == organisation.id
    return any(contact.person_id == principal.person_id for contact in organisation.contacts)


def may_view_sessions(principal: Principal, process: SupervisionProcess) -> bool:
    """Times, places and states of sessions: the parties and the orderer (never content)."""
    return (
        is_supervisor(principal, process)
        or participant_of(principal, process) is not None
        or is_orderer(principal, process)
    )


may_view_process = may_view_sessions
"""The process itself and its agreement: the same parties as its sessions."""


def visible_processes_clause(principal: Principal) -> ColumnElement[bool]:
    """`may_view_process` as a WHERE clause on SupervisionProcess, for lists: the same
    three ways in (supervisor, participant, orderer), an organisation token by its
    organisation only."""
    if principal.organisation_id is not None:
        return SupervisionProcess.orderer_organisation_id == principal.organisation_id
    return or_(
        SupervisionProcess.supervisor_id.in_(
            select(SupervisorProfile.id).where(SupervisorProfile.person_id == principal.person_id)
        ),
        SupervisionProcess.id.in_(
            select(ProcessParticipant.process_id).where(
                ProcessParticipant.person_id == principal.person_id
            )
        ),
        SupervisionProcess.orderer_organisation_id.in_(contact_organisations(principal)),
    )


def contact_organisations(principal: Principal) -> Select[uuid.UUID]:
    """The organisations the principal acts for as an orderer contact (as `is_orderer`
    decides), as a subquery: an organisation token's own, or every organisation the
    person is a contact of."""
    if principal.organisation_id is not None:
        return select(Organisation.id).where(Organisation.id == principal.organisation_id)
    return select(OrganisationContact.organisation_id).where(
        OrganisationContact.person_id == principal.person_id
    )


def may_read_notes(principal: Principal, process: SupervisionProcess) -> bool:
    """A session's private notes: the supervisor's alone (every read is audited)."""
    return is_supervisor(principal, process)


def may_read_next_step(principal: Principal, process: SupervisionProcess) -> bool:
    """The next small step agreed at a session: the supervisor and the participants,
    never the orderer."""
    return is_supervisor(principal, process) or participant_of(principal, process) is not None


def may_view_report(principal: Principal, process: SupervisionProcess) -> bool:
    """Counts and invoicing figures: the supervisor and the orderer."""
    return is_supervisor(principal, process) or is_orderer(principal, process)


def may_read_answers(
    principal: Principal, process: SupervisionProcess, person_id: uuid.UUID
) -> bool:
    """A person's evaluation answers: that person and the supervisor, no one else (a
    manager is a participant like any other here)."""
    if is_supervisor(principal, process):
        return True
    participant = participant_of(principal, process)
    return participant is not None and participant.person_id == person_id


def party_of(principal: Principal, process: SupervisionProcess) -> Party | None:
    """The role in which the principal accepts the agreement, if they are a party."""
    if is_supervisor(principal, process):
        return Party.SUPERVISOR
    participant = participant_of(principal, process)
    if participant is not None:
        return Party.MANAGER if participant.is_manager else Party.SUPERVISEE
    if principal.organisation_id is None and process.orderer_contact_id == principal.person_id:
        return Party.ORDERER
    return None


def ensure_may_book(principal: Principal, process: SupervisionProcess) -> None:
    """NotFound for whom the process does not exist; AccessDenied for a party or orderer
    who sees it but may not book."""
    if not may_view_process(principal, process):
        raise NotFound()
    if not may_book(principal, process):
        raise AccessDenied()


def may_book(principal: Principal, process: SupervisionProcess) -> bool:
    """The supervisor books any session; in an individual process the supervisee does;
    in a group the group's contact, in a work community also the manager."""
    if is_supervisor(principal, process):
        return True
    participant = participant_of(principal, process)
    if participant is None:
        return False
    if process.mode is ProcessMode.INDIVIDUAL:
        return True
    if process.mode is ProcessMode.WORK_COMMUNITY and participant.is_manager:
        return True
    return participant.is_group_contact


def role_in(principal: Principal, process: SupervisionProcess) -> Party | None:
    """How the principal sees the process: its party role, or orderer for anyone acting
    for the ordering organisation (an organisation token included)."""
    party = party_of(principal, process)
    if party is None and is_orderer(principal, process):
        return Party.ORDERER
    return party


def visible_process(principal: Principal, process_id: uuid.UUID) -> SupervisionProcess:
    """The process, if the principal is one of its parties or its orderer."""
    process = db.session.get(SupervisionProcess, process_id, options=WITH_PARTIES)
    if process is None or not may_view_process(principal, process):
        raise NotFound()
    return process


def supervised_process(principal: Principal, process_id: uuid.UUID) -> SupervisionProcess:
    """The process, for a change only its supervisor may make."""
    process = visible_process(principal, process_id)
    if not is_supervisor(principal, process):
        raise AccessDenied()
    return process
