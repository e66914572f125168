"""A supervisor's calendar connections: connect, choose calendars, resolve the changes
the supervisor made to session events in their own calendar.

Pages call these; the server is asked outside any transaction, and nothing is stored
when it refuses (wrong address, password, certificate), so a failed connect leaves no
half-made connection behind. ``CalendarError.problem`` is the key a page shows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from service.backends import CalendarError, CalendarProblem, RemoteCalendar
from service.crypto import vault
from service.domain.errors import DomainError
from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    ConnectionStatus,
    PushedEventState,
    SessionCalendarEvent,
    SupervisionProcess,
    SupervisionSession,
    SupervisorProfile,
)
from service.services import audit
from service.services.auth import Principal
from service.services.calendars.access import (
    ServerAccount,
    backend_class,
    has_secret_address,
    load_connection,
)
from service.services.calendars.backfill import enqueue_backfill
from service.services.calendars.deadline import Deadline, within
from service.services.calendars.push import PUSH_KIND
from service.services.calendars.sync import forget_busy_of
from service.services.errors import AccessDenied, NotFound
from service.services.outbox import queue as outbox
from service.services.transactions import end_read_transaction, write_transaction


class CalendarChoiceInvalid(DomainError):
    code = "calendar_choice_invalid"
    default_message = (
        "Choose calendars of this connection, and at most one to receive sessions (one that "
        "can be written to)."
    )


@dataclass(frozen=True)
class ConnectCalendar:
    url: str
    username: str
    password: str
    backend: str = "caldav"


@dataclass(frozen=True)
class RemoteChange:
    """A session event the supervisor deleted or changed in their calendar."""

    session_id: uuid.UUID
    state: PushedEventState
    starts_at: dt.datetime
    process_code: str


def own_profile(principal: Principal, supervisor_id: uuid.UUID) -> SupervisorProfile:
    """Calendar connections are the supervisor's own business, nobody else's: for another
    person they do not exist (as another's process does not); an organisation's token
    may not act on calendars at all."""
    profile = db.session.get(SupervisorProfile, supervisor_id)
    if profile is None:
        raise NotFound()
    if principal.organisation_id is not None:
        raise AccessDenied()
    if profile.person_id != principal.person_id:
        raise NotFound()
    return profile


def connect_calendar(
    principal: Principal, supervisor_id: uuid.UUID, command: ConnectCalendar, *, now: dt.datetime
) -> uuid.UUID:
    """Discover the account's calendars and store the connection with its password
    encrypted. Every discovered calendar blocks time until the supervisor chooses;
    none receives sessions yet. Raises ``CalendarError`` and stores nothing when the
    server cannot be used, or does not answer within ``CALENDAR_PAGE_DEADLINE_SECONDS``.

    A backend whose address is the secret (an .ics address, ``secret_address``) has the
    address kept encrypted in the password's place, and only its scheme and host in
    the clear. ``webcal://`` is read as ``https://``, as calendar apps do."""
    profile = own_profile(principal, supervisor_id)
    url = command.url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if not url.lower().startswith(("https://", "http://")):
        raise CalendarError(CalendarProblem.WRONG_URL, "not an http(s) address")
    backend = backend_class(command.backend)
    account = ServerAccount(
        connection_id=uuid.uuid4(),
        backend=backend,
        url=url,
        username=command.username,
        password=command.password,
        timezone=profile.timezone,
    )
    deadline = page_deadline()
    opened = account.opener(deadline.seconds)
    end_read_transaction()
    found = within(deadline, lambda: opened().discover())
    secret = url if has_secret_address(backend) else command.password
    with write_transaction():
        connection = CalendarConnection(
            id=account.connection_id,
            supervisor_id=supervisor_id,
            backend=command.backend,
            url=shown_address(url) if has_secret_address(backend) else url,
            username=command.username,
            password_encrypted=vault().encrypt(secret) if secret else None,
            status=ConnectionStatus.OK,
        )
        connection.calendars.extend(_calendar_row(calendar) for calendar in found)
        db.session.add(connection)
        audit.record(
            "calendar.connected", "calendar_connection", connection.id, actor_id=principal.person_id
        )
    return account.connection_id


def page_deadline() -> Deadline:
    """How long a page waits for a calendar server (connecting, checking a connection)
    before it answers that the server did not answer in time."""
    return Deadline(float(current_app.config["CALENDAR_PAGE_DEADLINE_SECONDS"]))


def shown_address(url: str) -> str:
    """What is kept in the clear of an address that is itself a secret: its scheme and
    host, for the page to name the connection by."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…"


def _calendar_row(calendar: RemoteCalendar) -> ConnectedCalendar:
    return ConnectedCalendar(
        url=calendar.url,
        display_name=calendar.display_name[:200],
        blocks_time=True,
        receives_sessions=False,
        writable=calendar.writable,
    )


def choose_calendars(
    principal: Principal,
    connection_id: uuid.UUID,
    *,
    blocking: Collection[uuid.UUID],
    receiving: uuid.UUID | None,
    now: dt.datetime,
) -> int:
    """Which calendars block time (any number) and which one receives sessions (one,
    across all the supervisor's connections, and one that can be written to). A
    calendar that stops blocking time takes its cached busy time with it at once; one
    that starts again is read afresh at the next sync. A calendar that becomes the
    receiving one is given every upcoming session, through the outbox (``backfill``);
    returns how many sessions were queued for it."""
    with write_transaction():
        connection = load_connection(connection_id)
        own_profile(principal, connection.supervisor_id)
        ids = {calendar.id for calendar in connection.calendars}
        if not set(blocking) <= ids or (receiving is not None and receiving not in ids):
            raise CalendarChoiceInvalid()
        chosen = next((c for c in connection.calendars if c.id == receiving), None)
        if chosen is not None and not chosen.writable:
            raise CalendarChoiceInvalid()
        newly_receiving = chosen is not None and not chosen.receives_sessions
        if receiving is not None:
            for other in db.session.scalars(
                select(ConnectedCalendar)
                .join(CalendarConnection)
                .where(
                    CalendarConnection.supervisor_id == connection.supervisor_id,
                    ConnectedCalendar.receives_sessions.is_(True),
                )
            ):
                other.receives_sessions = False
            db.session.flush()
        for calendar in connection.calendars:
            if calendar.id in blocking and not calendar.blocks_time:
                calendar.synced_until = None  # its busy time was dropped: read it afresh
            calendar.blocks_time = calendar.id in blocking
            calendar.receives_sessions = calendar.id == receiving
            if not calendar.blocks_time:
                forget_busy_of(calendar.id)
        if not newly_receiving or receiving is None:
            return 0
        return enqueue_backfill(connection.supervisor_id, receiving, now)


def remote_changes(principal: Principal, supervisor_id: uuid.UUID) -> list[RemoteChange]:
    """Session events the supervisor deleted or changed in their calendar, to resolve."""
    own_profile(principal, supervisor_id)
    rows = db.session.execute(
        select(
            SessionCalendarEvent.session_id,
            SessionCalendarEvent.state,
            SupervisionSession.starts_at,
            SupervisionProcess.code,
        )
        .join(SupervisionSession, SupervisionSession.id == SessionCalendarEvent.session_id)
        .join(SupervisionProcess, SupervisionProcess.id == SupervisionSession.process_id)
        .join(ConnectedCalendar, ConnectedCalendar.id == SessionCalendarEvent.calendar_id)
        .join(CalendarConnection, CalendarConnection.id == ConnectedCalendar.connection_id)
        .where(
            CalendarConnection.supervisor_id == supervisor_id,
            SessionCalendarEvent.state != PushedEventState.IN_SYNC,
        )
        .order_by(SupervisionSession.starts_at)
    ).all()
    return [RemoteChange(*row) for row in rows]


def restore_session_event(principal: Principal, session_id: uuid.UUID) -> None:
    """Put the session back in the calendar as Ohjaamo has it (the worker writes it)."""
    with write_transaction():
        records = changed_session_events(principal, session_id)
        session = db.session.get_one(SupervisionSession, session_id)
        for record in records:
            if record.state is PushedEventState.DELETED_REMOTELY:
                record.etag = ""
            record.state = PushedEventState.IN_SYNC
        outbox.enqueue(
            PUSH_KIND,
            {"session_id": str(session_id), "sequence": session.sequence},
            f"{PUSH_KIND}:{session_id}:{session.sequence}:restore:{uuid.uuid4()}",
        )
        audit.record(
            "calendar.session_event_restored", "session", session_id, actor_id=principal.person_id
        )


def changed_session_events(
    principal: Principal, session_id: uuid.UUID
) -> list[SessionCalendarEvent]:
    """The session's events the supervisor changed or deleted in their calendar (for
    the supervisor only; not found for anyone else, or when none changed)."""
    session = db.session.get(SupervisionSession, session_id)
    if session is None:
        raise NotFound()
    own_profile(principal, session.process.supervisor_id)
    records = db.session.scalars(
        select(SessionCalendarEvent).where(
            SessionCalendarEvent.session_id == session_id,
            SessionCalendarEvent.state != PushedEventState.IN_SYNC,
        )
    ).all()
    if not records:
        raise NotFound()
    return list(records)
