"""The one live question asked of external calendars at booking time.

Slot search trusts the worker's busy cache; the booking asks each time-blocking
calendar once more, to catch an event added since the last sync. The whole check has
one deadline (``LIVE_CHECK_TIMEOUT_SECONDS``): connections are asked side by side, each
in a thread of its own, and whatever has not answered by then is left out. A calendar
that does not answer does not stop the booking: the cache decides, and the incident is
recorded.

A calendar is asked one of two ways. Most are asked for the time range
(``free_busy``). One whose server failed a time-range question (some fail every one
while a single object is broken), or whose backend would read the whole calendar to
answer one (an .ics address), is asked for its changes since the last sync instead
(``changes``: a sync-collection delta, a conditional request): the cache holds the
rest. A server found failing here is remembered for the next booking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update

from service.backends import (
    CalendarBackend,
    CalendarError,
    CalendarProblem,
    SyncState,
    TimeRange,
)
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, ConnectedCalendar, SupervisorProfile
from service.services.calendars.access import UnknownCalendarBackend, account_of
from service.services.calendars.deadline import Deadline, all_within
from service.services.transactions import end_read_transaction, write_transaction


@dataclass
class LiveAnswer:
    busy: list[Interval] = field(default_factory=list)
    incidents: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Calendar:
    id: uuid.UUID
    url: str
    from_changes: bool
    sync_token: str | None


@dataclass(frozen=True)
class _Question:
    connection_id: uuid.UUID
    open_backend: Callable[[], CalendarBackend]
    calendars: tuple[_Calendar, ...]


@dataclass
class _Reply:
    busy: list[TimeRange] = field(default_factory=list)
    failing_ranges: list[uuid.UUID] = field(default_factory=list)


def ask_calendars(profile: SupervisorProfile, window: Interval) -> LiveAnswer:
    """Ask every time-blocking calendar about ``window`` within the one deadline. The
    read transaction is closed before the first remote call, so nothing stays open
    while a server thinks."""
    answer = LiveAnswer()
    seconds = float(current_app.config["LIVE_CHECK_TIMEOUT_SECONDS"])
    questions = _questions(profile, answer, seconds)
    if not questions:
        return answer
    end_read_transaction()
    span = TimeRange(window.start, window.end)
    deadline = Deadline(seconds)
    futures = all_within(deadline, [_asking(question, span) for question in questions])
    failing: list[uuid.UUID] = []
    for question, future in zip(questions, futures, strict=True):
        connection = str(question.connection_id)
        if not future.done():
            answer.incidents.append({"connection": connection, "error": "DeadlinePassed"})
            continue
        error = future.exception()
        if error is not None:  # a plugin may fail in any way; the cache then decides
            answer.incidents.append({"connection": connection, "error": type(error).__name__})
            continue
        reply = future.result()
        answer.busy.extend(Interval(r.start, r.end) for r in reply.busy if r.start < r.end)
        failing += reply.failing_ranges
    if failing:
        _remember(failing)
    return answer


def _asking(question: _Question, span: TimeRange) -> Callable[[], _Reply]:
    """The work of one connection, for a thread: it touches no database."""

    def ask() -> _Reply:
        backend = question.open_backend()
        reply = _Reply()
        for calendar in question.calendars:
            if not calendar.from_changes:
                try:
                    reply.busy += backend.free_busy([calendar.url], span)
                    continue
                except CalendarError as failure:
                    if failure.problem is not CalendarProblem.TIME_RANGE_FAILED:
                        raise
                    reply.failing_ranges.append(calendar.id)
            changed = backend.changes(calendar.url, SyncState(calendar.sync_token), span)
            for events in changed.changed.values():
                reply.busy += [event.time_range for event in events]
        return reply

    return ask


def _questions(profile: SupervisorProfile, answer: LiveAnswer, seconds: float) -> list[_Question]:
    connections = db.session.scalars(
        select(CalendarConnection).where(CalendarConnection.supervisor_id == profile.id)
    ).all()
    questions = []
    for connection in connections:
        calendars = tuple(
            _Calendar(calendar.id, calendar.url, calendar.live_from_changes, calendar.sync_token)
            for calendar in connection.calendars
            if calendar.blocks_time
        )
        if not calendars:
            continue
        try:
            account = account_of(connection, profile.timezone)
        except UnknownCalendarBackend:
            answer.incidents.append(
                {"connection": str(connection.id), "error": f"no backend {connection.backend!r}"}
            )
            continue
        questions.append(_Question(connection.id, account.opener(seconds), calendars))
    return questions


def _remember(calendar_ids: list[uuid.UUID]) -> None:
    """The next bookings ask these calendars for their changes: their server failed a
    time-range question just now."""
    with write_transaction():
        db.session.execute(
            update(ConnectedCalendar)
            .where(ConnectedCalendar.id.in_(calendar_ids))
            .values(live_from_changes=True)
        )
