"""Sessions booked before a calendar received them are written to it once it does.

When a calendar becomes the one that receives a supervisor's sessions (chosen after
connecting, or another one chosen later), every upcoming session is written to it
through the outbox: one ``calendar.push_session`` message per session, keyed by the
session, its sequence and the calendar, so choosing again writes nothing twice and a
session changed meanwhile is written as it is then. Each write moves the session: it is
written to the receiving calendar and removed from the one that received it before
(``push.push_session_event``).

The worker delivers the messages like any other. ``ohjaamo calendar sync`` delivers a
connection's waiting ones at once, with a progress bar (``waiting_writes``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from service.extensions import db
from service.models import (
    ConnectedCalendar,
    OutboxMessage,
    OutboxState,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.calendars.push import PUSH_KIND
from service.services.outbox.queue import enqueue_once

UPCOMING = (SessionStatus.BOOKED, SessionStatus.WAITING_FOR_ROOM)


def backfill_key(session_id: uuid.UUID, sequence: int, calendar_id: uuid.UUID) -> str:
    return f"{PUSH_KIND}:{session_id}:{sequence}:to:{calendar_id}"


def enqueue_backfill(supervisor_id: uuid.UUID, calendar_id: uuid.UUID, now: dt.datetime) -> int:
    """Inside the transaction that makes ``calendar_id`` the receiving calendar: a write
    of every session that has not ended, unless one is waiting already. Returns how
    many were written into the outbox."""
    sessions = db.session.execute(
        select(SupervisionSession.id, SupervisionSession.sequence)
        .join(SupervisionProcess, SupervisionProcess.id == SupervisionSession.process_id)
        .where(
            SupervisionProcess.supervisor_id == supervisor_id,
            SupervisionSession.status.in_(UPCOMING),
            SupervisionSession.overlapping(now),
        )
        .order_by(SupervisionSession.starts_at)
    ).all()
    added = 0
    for session_id, sequence in sessions:
        payload = {
            "session_id": str(session_id),
            "sequence": sequence,
            "calendar_id": str(calendar_id),
        }
        added += enqueue_once(PUSH_KIND, payload, backfill_key(session_id, sequence, calendar_id))
    return added


def waiting_writes(connection_id: uuid.UUID) -> list[uuid.UUID]:
    """The outbox messages still waiting to write sessions into the connection's
    calendars on their choice (pending, or leased by a worker that went away)."""
    calendar_ids = {
        str(calendar_id)
        for calendar_id in db.session.scalars(
            select(ConnectedCalendar.id).where(ConnectedCalendar.connection_id == connection_id)
        )
    }
    messages = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.payload)
        .where(
            OutboxMessage.kind == PUSH_KIND,
            OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.LEASED)),
        )
        .order_by(OutboxMessage.created_at)
    ).all()
    return [
        message_id
        for message_id, payload in messages
        if str((payload or {}).get("calendar_id", "")) in calendar_ids
    ]
