"""The supervisor's calendar connections page: what is connected, what in it could not
be read, checking a connection and syncing it now. Connecting and choosing calendars
are in ``service.services.calendars.setup``.

A page never waits on a calendar server longer than ``CALENDAR_PAGE_DEADLINE_SECONDS``:
checking answers "did not answer in time" by then, and a reading still under way goes
on in the background, its outcome shown on the page when it is done.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from service.backends import UnreadableObject
from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    PushedEventState,
    RemoteObject,
    SessionCalendarEvent,
)
from service.services.accounts.supervisors import own_supervisor_profile
from service.services.auth import Principal
from service.services.calendars.access import account_of, load_connection
from service.services.calendars.deadline import start, within
from service.services.calendars.setup import own_profile, page_deadline
from service.services.calendars.sync import SyncReport, sync_connection, unreadable_in
from service.services.transactions import end_read_transaction


def connections_of(principal: Principal) -> list[CalendarConnection]:
    profile = own_supervisor_profile(principal)
    return list(
        db.session.scalars(
            select(CalendarConnection)
            .where(CalendarConnection.supervisor_id == profile.id)
            .options(selectinload(CalendarConnection.calendars))
            .order_by(CalendarConnection.created_at)
        )
    )


def unreadable_of(principal: Principal) -> dict[uuid.UUID, list[UnreadableObject]]:
    """Per connection, the objects of its time-blocking calendars that could not be
    read (their titles are the supervisor's own, for their page only)."""
    return {
        connection.id: found
        for connection in connections_of(principal)
        if (found := unreadable_in(connection.id))
    }


@dataclass(frozen=True)
class CalendarAttention:
    """What in the supervisor's calendars asks for their attention, for the week."""

    unreadable: int
    changed_sessions: int

    def __bool__(self) -> bool:
        return bool(self.unreadable or self.changed_sessions)


def calendar_attention(principal: Principal) -> CalendarAttention:
    """How many objects of time-blocking calendars could not be read (some busy time may
    be missing), and how many session events the supervisor changed or deleted there."""
    profile = own_supervisor_profile(principal)
    mine = (
        select(ConnectedCalendar.id)
        .join(CalendarConnection, CalendarConnection.id == ConnectedCalendar.connection_id)
        .where(CalendarConnection.supervisor_id == profile.id)
    )
    unreadable = (
        select(func.count(RemoteObject.id))
        .where(
            RemoteObject.calendar_id.in_(mine.where(ConnectedCalendar.blocks_time.is_(True))),
            RemoteObject.unreadable.is_not(None),
        )
        .scalar_subquery()
    )
    changed = (
        select(func.count(SessionCalendarEvent.id))
        .where(
            SessionCalendarEvent.calendar_id.in_(mine),
            SessionCalendarEvent.state != PushedEventState.IN_SYNC,
        )
        .scalar_subquery()
    )
    counts = db.session.execute(select(unreadable, changed)).one()
    return CalendarAttention(counts[0] or 0, counts[1] or 0)


def _own_connection(principal: Principal, connection_id: uuid.UUID) -> CalendarConnection:
    connection = load_connection(connection_id)
    own_profile(principal, connection.supervisor_id)
    return connection


def check_connection(principal: Principal, connection_id: uuid.UUID) -> int:
    """Ask the server for the account's calendars; how many it has. Raises
    ``CalendarError`` in plain words when the server cannot be used, and
    ``calendar.timeout`` when it has not answered within the page's deadline."""
    connection = _own_connection(principal, connection_id)
    deadline = page_deadline()
    account = account_of(connection, own_supervisor_profile(principal).timezone)
    opened = account.opener(deadline.seconds)
    end_read_transaction()
    return len(within(deadline, lambda: opened().discover()))


def sync_now(
    principal: Principal, connection_id: uuid.UUID, *, now: dt.datetime
) -> SyncReport | None:
    """Sync the connection at once (the worker does it every few minutes anyway).
    Returns the report, or None when the reading is still under way at the page's
    deadline: it goes on in the background and records its outcome on the connection
    (``CalendarError`` is raised when it failed in time)."""
    _own_connection(principal, connection_id)
    end_read_transaction()
    deadline = page_deadline()
    reading = start(_in_app_context(lambda: sync_connection(connection_id, now)))
    try:
        return reading.result(timeout=deadline.left())
    except FutureTimeout:
        return None


def _in_app_context(work: Callable[[], SyncReport]) -> Callable[[], SyncReport]:
    """The work, in a context of the current app of its own (for another thread: the
    database session is the context's)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def run() -> SyncReport:
        with app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    return run
