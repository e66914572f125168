"""Sessions out: each booked session as an event in the supervisor's receiving calendar.

The booking transaction only enqueues (``enqueue_calendar_update``); the worker calls
``handle_push_message`` and ``handle_delete_message`` with the message's payload. The
event is built from the database at delivery time, so a retried or late message
writes the session as it is now. Its UID and object name come from the session id:
a retry after a lost answer writes the same object, never a second one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from service.backends import CalendarEvent
from service.domain.rules import PlaceKind
from service.domain.vevent import session_uid
from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    PushedEventState,
    SessionCalendarEvent,
    SessionStatus,
    SupervisionSession,
)
from service.services.calendars.access import ServerAccount, account_of
from service.services.outbox import queue as outbox
from service.services.outbox.queue import Delivery
from service.services.session_outward import session_place, session_title
from service.services.transactions import end_read_transaction, write_transaction

PUSH_KIND = "calendar.push_session"
DELETE_KIND = "calendar.delete_session"
REMOTE_PLACE = "Etätapaaminen"


def receiving_calendar(supervisor_id: uuid.UUID) -> ConnectedCalendar | None:
    """The one calendar that receives the supervisor's sessions, if any."""
    return db.session.scalar(
        select(ConnectedCalendar)
        .join(CalendarConnection, CalendarConnection.id == ConnectedCalendar.connection_id)
        .where(
            CalendarConnection.supervisor_id == supervisor_id,
            ConnectedCalendar.receives_sessions.is_(True),
        )
        .limit(1)
    )


def enqueue_calendar_update(session: SupervisionSession) -> None:
    """Inside the booking transaction: write the session to the calendar, or remove it
    once cancelled. Nothing is enqueued for a supervisor without a receiving calendar,
    unless the session was written somewhere before and must now be removed."""
    cancelled = session.status is SessionStatus.CANCELLED
    if cancelled:
        written = db.session.scalar(
            select(SessionCalendarEvent.id).where(SessionCalendarEvent.session_id == session.id)
        )
        if written is None and receiving_calendar(session.process.supervisor_id) is None:
            return
    elif receiving_calendar(session.process.supervisor_id) is None:
        return
    kind = DELETE_KIND if cancelled else PUSH_KIND
    outbox.enqueue(
        kind,
        {"session_id": str(session.id), "sequence": session.sequence},
        f"{kind}:{session.id}:{session.sequence}",
    )


def handle_push_message(delivery: Delivery) -> None:
    """Outbox handler for ``calendar.push_session``; raises (a ``CalendarError``) when
    the server failed, for the worker to retry."""
    push_session_event(uuid.UUID(delivery.payload["session_id"]))


def handle_delete_message(delivery: Delivery) -> None:
    """Outbox handler for ``calendar.delete_session``; raises for the worker to retry."""
    delete_session_event(uuid.UUID(delivery.payload["session_id"]))


OUTBOX_HANDLERS = {PUSH_KIND: handle_push_message, DELETE_KIND: handle_delete_message}


def push_session_event(session_id: uuid.UUID) -> SessionCalendarEvent | None:
    """Write the session into the receiving calendar (create, or replace under its
    ETag). A cancelled session is removed instead. Returns the record of the write."""
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        end_read_transaction()
        return None
    if session.status is SessionStatus.CANCELLED:
        end_read_transaction()
        delete_session_event(session_id)
        return None
    calendar = receiving_calendar(session.process.supervisor_id)
    if calendar is None:
        end_read_transaction()
        return None
    account = account_of(calendar.connection, session.process.supervisor.timezone)
    calendar_id, calendar_url = calendar.id, calendar.url
    earlier = _written(session_id, calendar_id)
    deleted = earlier is None or earlier.state is PushedEventState.DELETED_REMOTELY
    etag = "" if deleted or earlier is None else earlier.etag
    event = session_event(session)
    end_read_transaction()

    remote = account.open().put_event(calendar_url, event, etag or None)

    with write_transaction():
        record = _written(session_id, calendar_id) or SessionCalendarEvent(
            session_id=session_id, calendar_id=calendar_id, uid=event.uid
        )
        record.href, record.etag = remote.href, remote.etag or ""
        record.sequence = event.sequence
        record.state = PushedEventState.IN_SYNC
        db.session.add(record)
    return record


def delete_session_event(session_id: uuid.UUID) -> int:
    """Remove every copy of the session from the supervisor's calendars; returns how
    many were removed. An event already gone counts as removed."""
    rows = db.session.execute(
        select(SessionCalendarEvent, ConnectedCalendar)
        .join(ConnectedCalendar, ConnectedCalendar.id == SessionCalendarEvent.calendar_id)
        .where(SessionCalendarEvent.session_id == session_id)
    ).all()
    work: list[tuple[uuid.UUID, ServerAccount, str, str, str]] = []
    for record, calendar in rows:
        session = db.session.get(SupervisionSession, session_id)
        zone = session.process.supervisor.timezone if session else "UTC"
        account = account_of(calendar.connection, zone)
        work.append((record.id, account, calendar.url, record.href, record.etag))
    end_read_transaction()
    for record_id, account, calendar_url, href, etag in work:
        account.open().delete_event(calendar_url, href, etag or None)
        with write_transaction():
            db.session.execute(
                delete(SessionCalendarEvent).where(SessionCalendarEvent.id == record_id)
            )
    return len(work)


def session_event(session: SupervisionSession) -> CalendarEvent:
    """The event as the calendar shows it: the neutral title, the place and the video
    link, never participants' names or notes."""
    return CalendarEvent(
        uid=session_uid(session.id),
        summary=session_title(session.process.code),
        start=session.starts_at,
        end=session.ends_at,
        location=_place(session),
        sequence=session.sequence,
        video_url=session.video_url or None,
        revised_at=session.updated_at,
    )


def _place(session: SupervisionSession) -> str | None:
    if session.place_kind is PlaceKind.REMOTE:
        return REMOTE_PLACE
    return session_place(session) or None


def _written(session_id: uuid.UUID, calendar_id: uuid.UUID) -> SessionCalendarEvent | None:
    return db.session.scalar(
        select(SessionCalendarEvent).where(
            SessionCalendarEvent.session_id == session_id,
            SessionCalendarEvent.calendar_id == calendar_id,
        )
    )
