"""Who may do what with a process: decided here, per object, for pages and API alike."""

from __future__ import annotations

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
