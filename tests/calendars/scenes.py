"""A supervisor with a connected calendar, as the use-case tests set one up, and what
the worker does with calendar messages."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import icalendar
import niquests
import pytest
from sqlalchemy import select

from service import clock
from service.extensions import db
from service.models import ConnectedCalendar, OutboxMessage, OutboxState
from service.services.calendars.setup import ConnectCalendar, choose_calendars, connect_calendar
from service.services.outbox.queue import Delivery
from service.work import all_work
from tests import builders
from tests.builders import NOW
from tests.calendars.helpers import other_client_calendar
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer


def connected(
    caldav_server: CalDAVServer, process, calendar_url: str, *, receiving: bool = True
) -> uuid.UUID:
    """The supervisor connects the account; the calendar blocks time and (unless told
    otherwise) receives sessions."""
    supervisor = builders.supervisor_principal(process)
    connection_id = connect_calendar(
        supervisor,
        process.supervisor.id,
        ConnectCalendar(caldav_server.url, USERNAME, PASSWORD),
        now=NOW,
    )
    calendar_id = calendar_id_of(calendar_url)
    choose_calendars(
        supervisor,
        connection_id,
        blocking={calendar_id},
        receiving=calendar_id if receiving else None,
        now=NOW,
    )
    return connection_id


def calendar_id_of(calendar_url: str) -> uuid.UUID:
    found = db.session.scalar(
        select(ConnectedCalendar.id).where(ConnectedCalendar.url == calendar_url)
    )
    assert found is not None, calendar_url
    return found


def deliver_outbox() -> list[str]:
    """What the worker does with calendar messages still pending: call the handler of
    each kind, oldest first, and mark it delivered."""
    handlers = all_work().handlers
    delivered = []
    for message in db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.PENDING)
        .order_by(OutboxMessage.created_at)
    ):
        if not message.kind.startswith("calendar."):
            continue
        delivery = Delivery(
            message.id,
            message.kind,
            dict(message.payload),
            message.idempotency_key,
            message.attempts,
            clock.now(),
        )
        message_id = message.id
        db.session.rollback()
        handlers[delivery.kind](delivery)
        db.session.get(OutboxMessage, message_id).state = OutboxState.DELIVERED
        db.session.commit()
        delivered.append(delivery.kind)
    return delivered


def session_objects(caldav_server: CalDAVServer, calendar_url: str) -> list[icalendar.Event]:
    objects = other_client_calendar(caldav_server, calendar_url).events()
    return [icalendar.Calendar.from_ical(o.data).walk("VEVENT")[0] for o in objects]


class RequestCounter:
    """How many HTTP requests the calendar backends made (in any thread): the requests
    go to the real server, the counter only counts them on their way."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self.count = 0

    def seen(self) -> None:
        with self._lock:
            self.count += 1


@contextmanager
def counted_requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[RequestCounter]:
    counter = RequestCounter()
    original = niquests.Session.request

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counter.seen()
        return original(self, *args, **kwargs)

    monkeypatch.setattr(niquests.Session, "request", request)
    yield counter
