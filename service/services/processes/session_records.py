"""What happens at a session: attendance, the supervisor's private notes and the next
small step, a no-show marked under the agreement's terms.

Notes and next steps are encrypted at rest; only the supervisor reads notes (each read
audit-logged), and the next small step is shared with the session's participants.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from service.crypto import vault
from service.domain.errors import DomainError, InvalidFields
from service.extensions import db
from service.models import (
    Attendance,
    AttendanceStatus,
    SessionStatus,
    SupervisionSession,
)
from service.services import audit
from service.services.access import (
    is_supervisor,
    may_read_next_step,
    may_read_notes,
    participant_of,
    visible_process,
)
from service.services.auth import Principal
from service.services.booking.steps import cancellation_terms, release_resources
from service.services.errors import AccessDenied, NotFound, StaleRevision
from service.services.transactions import write_transaction

MAX_NOTES = 20_000
MAX_NEXT_STEP = 1_000
_RECORDABLE = (SessionStatus.BOOKED, SessionStatus.HELD, SessionStatus.NO_SHOW)


class SessionNotOver(DomainError):
    code = "session_not_over"
    default_message = "Attendance is recorded once the session has begun."


@dataclass(frozen=True)
class SessionContent:
    notes: str | None
    next_step: str | None


def _supervised_session(principal: Principal, session_id: uuid.UUID) -> SupervisionSession:
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound()
    process = visible_process(principal, session.process_id)
    if not is_supervisor(principal, process):
        raise AccessDenied()
    return session


def record_attendance(
    principal: Principal,
    session_id: uuid.UUID,
    statuses: Mapping[uuid.UUID, AttendanceStatus],
    *,
    now: dt.datetime,
    expected_revision: int | None = None,
) -> SessionStatus:
    """Record who came. Someone present makes the session held (charged in full); no
    one present makes it a no-show, charged as the agreement's late cancellation.
    With `expected_revision`, a session changed since it was read is refused."""
    with write_transaction():
        session = _supervised_session(principal, session_id)
        if expected_revision is not None and session.revision != expected_revision:
            raise StaleRevision()
        if session.status not in _RECORDABLE:
            raise InvalidFields({"session": "not_recordable"})
        if session.starts_at > now:
            raise SessionNotOver()
        members = {p.id for p in session.process.participants}
        unknown = set(statuses) - members
        if unknown or not statuses:
            raise InvalidFields({"attendance": "unknown_participant" if unknown else "required"})
        existing = {row.participant_id: row for row in session.attendance}
        for participant_id, status in statuses.items():
            row = existing.get(participant_id)
            if row is None:
                session.attendance.append(Attendance(participant_id=participant_id, status=status))
            else:
                row.status = status
        # Touching the row raises its revision, so an ETag read before this change goes stale.
        session.updated_at = now
        db.session.flush()
        present = any(row.status is AttendanceStatus.PRESENT for row in session.attendance)
        if present:
            session.status, session.charge_percent = SessionStatus.HELD, 100
        else:
            session.status = SessionStatus.NO_SHOW
            session.charge_percent = cancellation_terms(session.process).late_charge_percent
            release_resources(session)
        audit.record(
            "session.attendance",
            "session",
            session.id,
            actor_id=principal.person_id,
            status=str(session.status),
        )
        return session.status


def attendance_of(principal: Principal, session_id: uuid.UUID) -> SupervisionSession:
    """The session with its attendance rows, for its supervisor only."""
    return _supervised_session(principal, session_id)


def report_absence(principal: Principal, session_id: uuid.UUID, *, now: dt.datetime) -> None:
    """A group member tells in advance that they will not come."""
    with write_transaction():
        session = db.session.get(SupervisionSession, session_id)
        if session is None:
            raise NotFound()
        process = visible_process(principal, session.process_id)
        participant = participant_of(principal, process)
        if participant is None:
            raise AccessDenied()
        if session.status is not SessionStatus.BOOKED or session.starts_at <= now:
            raise InvalidFields({"session": "not_upcoming"})
        row = next((a for a in session.attendance if a.participant_id == participant.id), None)
        if row is None:
            session.attendance.append(
                Attendance(participant_id=participant.id, status=AttendanceStatus.REPORTED_ABSENT)
            )
        else:
            row.status = AttendanceStatus.REPORTED_ABSENT
        audit.record(
            "session.absence_reported", "session", session.id, actor_id=principal.person_id
        )


def write_content(
    principal: Principal, session_id: uuid.UUID, *, notes: str | None, next_step: str | None
) -> None:
    """Replace the session's private notes and next small step (None leaves one as is)."""
    problems = {}
    if notes is not None and len(notes) > MAX_NOTES:
        problems["notes"] = "too_long"
    if next_step is not None and len(next_step) > MAX_NEXT_STEP:
        problems["next_step"] = "too_long"
    if problems:
        raise InvalidFields(problems)
    with write_transaction():
        session = _supervised_session(principal, session_id)
        crypto = vault()
        if notes is not None:
            session.notes_encrypted = crypto.encrypt(notes) if notes else None
        if next_step is not None:
            session.next_step_encrypted = crypto.encrypt(next_step) if next_step else None
        audit.record("session.content_written", "session", session.id, actor_id=principal.person_id)


def read_content(principal: Principal, session_id: uuid.UUID) -> SessionContent:
    """The notes and the next step as `access` lets the reader have them: the supervisor
    both (the read of notes is audit-logged), a participant the next step only."""
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound()
    process = visible_process(principal, session.process_id)
    crypto = vault()
    if not may_read_next_step(principal, process):
        raise AccessDenied()
    next_step = crypto.decrypt(session.next_step_encrypted) if session.next_step_encrypted else None
    if not may_read_notes(principal, process):
        return SessionContent(None, next_step)
    notes = crypto.decrypt(session.notes_encrypted) if session.notes_encrypted else None
    with write_transaction():
        audit.record("session.notes_read", "session", session_id, actor_id=principal.person_id)
    return SessionContent(notes, next_step)
