"""Busy time in: the worker keeps a local copy of the supervisor's calendars.

Each calendar is synced with its backend outside any transaction, and what came back
is written in one write transaction per calendar, so a server that fails half way
leaves every calendar either as it was or fully updated. The first sync, and a
periodic re-read when the window has slid far enough, read the whole window; the
syncs between are incremental (sync token, or ETags). A session event that the
supervisor deleted or changed in their calendar is marked for them to resolve, and an
object that could not be read is kept with its reason (and its title, encrypted) until
it is read without a problem or removed, so the supervisor learns which event blocks
nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, or_, select

from service.backends import (
    CalendarError,
    SyncResult,
    SyncState,
    TimeRange,
    UnreadableObject,
    UnreadableReason,
)
from service.crypto import vault
from service.domain.intervals import stored_pieces
from service.extensions import db
from service.models import (
    BusyInterval,
    CalendarConnection,
    ConnectedCalendar,
    ConnectionStatus,
    PushedEventState,
    RemoteObject,
    SessionCalendarEvent,
    SupervisionSession,
)
from service.services import audit
from service.services.calendars.access import ServerAccount, account_of, load_connection
from service.services.calendars.busy_cache import busy_changed
from service.services.transactions import end_read_transaction, write_transaction

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """What one connection's sync did, for the command line and the page."""

    connection_id: uuid.UUID
    calendars: int = 0
    changed: int = 0
    deleted: int = 0
    full: int = 0
    remote_changes: list[uuid.UUID] = field(default_factory=list)
    # Every object of the connection's time-blocking calendars that could not be read,
    # as it stands after the sync (not only those this sync came across).
    unreadable: list[UnreadableObject] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    calendar_id: uuid.UUID
    url: str
    state: SyncState
    full: bool


def sync_window(now: dt.datetime) -> TimeRange:
    config = current_app.config
    return TimeRange(
        now - dt.timedelta(days=config["CALDAV_SYNC_DAYS_BACK"]),
        now + dt.timedelta(days=config["CALDAV_SYNC_DAYS_AHEAD"]),
    )


def sync_connection(
    connection_id: uuid.UUID,
    now: dt.datetime,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Sync every calendar of the connection that blocks time or receives sessions.

    Raises ``CalendarError`` when the server fails; the connection is then marked
    failing with the problem's key, and calendars synced before the failure keep
    their new state. ``progress(done, total)`` is told after each calendar.
    """
    connection = load_connection(connection_id)
    profile_zone = _supervisor_zone(connection)
    account = account_of(connection, profile_zone)
    window = sync_window(now)
    plans = [
        _plan(calendar, window)
        for calendar in connection.calendars
        if calendar.blocks_time or calendar.receives_sessions
    ]
    end_read_transaction()
    report = SyncReport(connection_id)
    backend = account.open()
    for done, plan in enumerate(plans, start=1):
        try:
            result = backend.sync(plan.url, plan.state, window)
        except CalendarError as failure:
            _record_failure(connection_id, failure)
            raise
        _apply(account, plan, result, window, now, report)
        if progress is not None:
            progress(done, len(plans))
    with write_transaction():
        connection = load_connection(connection_id)
        connection.status = ConnectionStatus.OK
        connection.last_sync_at = now
        connection.last_error = None
        report.unreadable = unreadable_in(connection_id)
    return report


def unreadable_in(connection_id: uuid.UUID) -> list[UnreadableObject]:
    """The objects of the connection's time-blocking calendars that could not be read."""
    rows = db.session.execute(
        select(RemoteObject.href, RemoteObject.unreadable, RemoteObject.summary_encrypted)
        .join(ConnectedCalendar, ConnectedCalendar.id == RemoteObject.calendar_id)
        .where(
            ConnectedCalendar.connection_id == connection_id,
            ConnectedCalendar.blocks_time.is_(True),
            RemoteObject.unreadable.is_not(None),
        )
        .order_by(RemoteObject.href)
    ).all()
    return [
        UnreadableObject(href, UnreadableReason(str(reason)), _decrypted(summary))
        for href, reason, summary in rows
    ]


def _decrypted(summary: bytes | None) -> str | None:
    return vault().decrypt(summary) if summary else None


def sync_due_connections(now: dt.datetime) -> list[SyncReport]:
    """The periodic job: sync each connection not synced for the configured interval.
    A failing connection is recorded and the next one is synced all the same."""
    interval = dt.timedelta(minutes=current_app.config["CALDAV_SYNC_INTERVAL_MINUTES"])
    due = db.session.scalars(
        select(CalendarConnection.id).where(
            or_(
                CalendarConnection.last_sync_at.is_(None),
                CalendarConnection.last_sync_at <= now - interval,
            )
        )
    ).all()
    end_read_transaction()
    reports = []
    for connection_id in due:
        try:
            reports.append(sync_connection(connection_id, now))
        except CalendarError as failure:
            log.warning("calendar connection %s failed to sync: %s", connection_id, failure)
    return reports


def _supervisor_zone(connection: CalendarConnection) -> str:
    from service.models import SupervisorProfile

    profile = db.session.get(SupervisorProfile, connection.supervisor_id)
    return profile.timezone if profile else current_app.config["DEFAULT_TIMEZONE"]


def _plan(calendar: ConnectedCalendar, window: TimeRange) -> _Plan:
    refresh = dt.timedelta(days=current_app.config["CALDAV_WINDOW_REFRESH_DAYS"])
    full = (
        calendar.synced_until is None
        or calendar.synced_from is None
        or window.end - _aware(calendar.synced_until) > refresh
    )
    if full:
        return _Plan(calendar.id, calendar.url, SyncState(), True)
    etags = dict(
        db.session.execute(
            select(RemoteObject.href, RemoteObject.etag).where(
                RemoteObject.calendar_id == calendar.id
            )
        ).all()
    )
    return _Plan(calendar.id, calendar.url, SyncState(calendar.sync_token, etags), False)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _apply(
    account: ServerAccount,
    plan: _Plan,
    result: SyncResult,
    window: TimeRange,
    now: dt.datetime,
    report: SyncReport,
) -> None:
    """One write transaction for one calendar: objects, busy time, token, and the
    supervisor's changes to session events."""
    with write_transaction():
        calendar = db.session.get(ConnectedCalendar, plan.calendar_id)
        if calendar is None:  # removed by the supervisor meanwhile
            return
        supervisor_id = calendar.connection.supervisor_id
        known = {
            row.href: row
            for row in db.session.scalars(
                select(RemoteObject).where(RemoteObject.calendar_id == calendar.id)
            )
        }
        if plan.full:
            gone = [href for href in known if href not in result.changed]
        else:
            gone = [href for href in result.deleted_hrefs if href in known]
        changed_spans = _forget([known[href].id for href in gone])
        for href, events in result.changed.items():
            row = known.get(href)
            if row is None:
                row = RemoteObject(calendar_id=calendar.id, href=href)
                db.session.add(row)
                db.session.flush()
            else:
                changed_spans += _forget_busy([row.id])
            row.etag = result.etags.get(href, "")
            row.uid = events[0].uid if events else row.uid
            problem = result.unreadable.get(href)
            row.unreadable = problem.reason if problem else None
            row.summary_encrypted = (
                vault().encrypt(problem.summary) if problem and problem.summary else None
            )
            if calendar.blocks_time:
                pieces = [piece for e in events for piece in stored_pieces(e.start, e.end)]
                db.session.add_all(
                    BusyInterval(
                        supervisor_id=supervisor_id,
                        remote_object_id=row.id,
                        starts_at=start,
                        ends_at=end,
                    )
                    for start, end in pieces
                )
                changed_spans += pieces
        busy_changed(supervisor_id, changed_spans)
        report.remote_changes += _remote_changes(calendar.id, result, plan.full, window)
        calendar.sync_token = result.sync_token
        calendar.last_synced_at = now
        if plan.full:
            calendar.synced_from, calendar.synced_until = window.start, window.end
            calendar.live_from_changes = result.live_from_changes
        elif result.live_from_changes:
            calendar.live_from_changes = True
        report.calendars += 1
        report.changed += len(result.changed)
        report.deleted += len(gone)
        report.full += int(plan.full)


def forget_busy_of(calendar_id: uuid.UUID) -> None:
    """Drop a calendar's cached busy time (it no longer blocks time); its objects stay
    known, so the next sync remains incremental."""
    objects = select(RemoteObject.id).where(RemoteObject.calendar_id == calendar_id)
    spans = db.session.execute(
        delete(BusyInterval)
        .where(BusyInterval.remote_object_id.in_(objects))
        .returning(BusyInterval.starts_at, BusyInterval.ends_at)
    ).all()
    calendar = db.session.get(ConnectedCalendar, calendar_id)
    if calendar is not None:
        busy_changed(calendar.connection.supervisor_id, spans)


def _forget_busy(object_ids: list[uuid.UUID]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Delete the objects' busy rows; the spans they covered."""
    rows = db.session.execute(
        delete(BusyInterval)
        .where(BusyInterval.remote_object_id.in_(object_ids))
        .returning(BusyInterval.starts_at, BusyInterval.ends_at)
    )
    return [(start, end) for start, end in rows]


def _forget(object_ids: list[uuid.UUID]) -> list[tuple[dt.datetime, dt.datetime]]:
    if not object_ids:
        return []
    spans = _forget_busy(object_ids)
    db.session.execute(delete(RemoteObject).where(RemoteObject.id.in_(object_ids)))
    return spans


def _remote_changes(
    calendar_id: uuid.UUID, result: SyncResult, full: bool, window: TimeRange
) -> list[uuid.UUID]:
    """Session events the supervisor deleted or changed in the calendar since Ohjaamo
    wrote them. A full read lists the whole window, so an event missing from it is
    gone; an event outside the window is not judged, the listing does not include it."""
    deleted = set(result.deleted_hrefs)
    changed: list[uuid.UUID] = []
    rows = db.session.execute(
        select(SessionCalendarEvent, SupervisionSession.starts_at, SupervisionSession.ends_at)
        .join(SupervisionSession, SupervisionSession.id == SessionCalendarEvent.session_id)
        .where(
            SessionCalendarEvent.calendar_id == calendar_id,
            SessionCalendarEvent.state == PushedEventState.IN_SYNC,
        )
    ).all()
    for record, starts_at, ends_at in rows:
        inside = window.overlaps(TimeRange(_aware(starts_at), _aware(ends_at)))
        missing = record.href not in result.changed if full else record.href in deleted
        if missing and inside:
            record.state = PushedEventState.DELETED_REMOTELY
        elif record.href in result.changed and result.etags.get(record.href) != record.etag:
            record.state = PushedEventState.MOVED_REMOTELY
        else:
            continue
        audit.record(
            "calendar.session_event_changed_remotely",
            "session",
            record.session_id,
            state=str(record.state),
        )
        changed.append(record.session_id)
    return changed


def _record_failure(connection_id: uuid.UUID, failure: CalendarError) -> None:
    with write_transaction():
        connection = db.session.get(CalendarConnection, connection_id)
        if connection is not None:
            connection.status = ConnectionStatus.FAILING
            connection.last_error = str(failure.problem)
