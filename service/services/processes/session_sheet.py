"""Everything the supervisor's page of one session shows: when and where, who takes
part and who came, the private notes and the next small step (the read is audited)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from service.models import AttendanceStatus, SupervisionProcess, SupervisionSession
from service.services.access import is_supervisor
from service.services.auth import Principal
from service.services.booking.sessions import session_for
from service.services.errors import AccessDenied
from service.services.processes.session_records import SessionContent, read_content


@dataclass(frozen=True)
class Member:
    participant_id: uuid.UUID
    name: str
    is_manager: bool
    attendance: AttendanceStatus | None


@dataclass(frozen=True)
class SessionSheet:
    session: SupervisionSession
    process: SupervisionProcess
    zone: str
    members: list[Member]
    content: SessionContent


def session_sheet(principal: Principal, session_id: uuid.UUID) -> SessionSheet:
    session = session_for(principal, session_id)
    process = session.process
    if not is_supervisor(principal, process):
        raise AccessDenied()
    recorded = {row.participant_id: row.status for row in session.attendance}
    members = [
        Member(p.id, p.person.name, p.is_manager, recorded.get(p.id))
        for p in sorted(process.participants, key=lambda p: p.person.name)
    ]
    content = read_content(principal, session_id)
    return SessionSheet(session, process, process.supervisor.timezone, members, content)
