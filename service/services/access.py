"""Who may do what with a process: decided here, per object, for pages and API alike.

A principal who may not see a process at all gets `NotFound` from the use cases (the
process does not exist for them); one who sees it but may not act gets `AccessDenied`.
"""

from __future__ import annotations

import uuid

from service.domain.agreements import Party
from service.models import ProcessMode, ProcessParticipant, SupervisionProcess
from service.services.auth import Principal


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
