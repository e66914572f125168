"""The live check at booking against real servers: one deadline for the whole check,
and a server that fails time-range questions is asked for its changes instead, never
listed, however large the calendar."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Iterator

import pytest
from flask import Flask

from service.domain.errors import Reason
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, ConnectedCalendar
from service.services.booking.changes import BookingConflict, BookSession, book_session
from service.services.calendars.live_check import ask_calendars
from service.services.calendars.sync import sync_connection
from tests import builders
from tests.builders import NOW, helsinki
from tests.calendars.helpers import put_raw, vevent
from tests.calendars.scenes import calendar_id_of, connected, counted_requests
from tests.fixtures.caldav_servers import (  # noqa: F401
    CalDAVServer,
    fixture_caldav_server,
)
from tests.fixtures.smtp import HOST

WEDNESDAY_10 = helsinki(2027, 3, 3, 10)
SLOT = Interval(WEDNESDAY_10, WEDNESDAY_10 + dt.timedelta(hours=2))


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(16)
        yield silent.getsockname()[1]


def busy_events(count: int) -> dict[str, str]:
    """A supervisor's busy year: events from the week after the booked slot onwards."""
    events = {}
    for n in range(count):
        day = NOW + dt.timedelta(days=7 + n % 400)
        start = day.replace(hour=6 + n % 10).strftime("%Y%m%dT%H%M%SZ")
        events[f"e{n}"] = vevent(f"e{n}", f"DTSTART:{start}", "DURATION:PT1H")
    return events


@pytest.mark.parametrize("caldav_server", ["xandikos"], indirect=True)
def test_one_broken_object_costs_a_booking_at_most_three_requests(
    ctx: Flask, caldav_server: CalDAVServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = builders.process(builders.supervisor())
    url = caldav_server.make_calendar()
    caldav_server.write_objects(url, busy_events(2000))
    connection_id = connected(caldav_server, process, url, receiving=False)
    sync_connection(connection_id, NOW)
    put_raw(
        caldav_server, url, "feb31", vevent("feb31", "DTSTART:20270231T100000Z", "DURATION:PT1H")
    )
    put_raw(
        caldav_server,
        url,
        "dentist",
        vevent("dentist", "DTSTART:20270303T083000Z", "DURATION:PT30M"),
    )
    deadline = ctx.config["LIVE_CHECK_TIMEOUT_SECONDS"]
    calendar_id = calendar_id_of(url)
    profile = process.supervisor

    with counted_requests(monkeypatch) as requests:
        started = time.monotonic()
        first = ask_calendars(profile, SLOT)
        first_seconds, first_requests = time.monotonic() - started, requests.count
        requests.reset()
        started = time.monotonic()
        second = ask_calendars(profile, SLOT)
        second_seconds, second_requests = time.monotonic() - started, requests.count

    dentist = Interval(helsinki(2027, 3, 3, 10, 30), helsinki(2027, 3, 3, 11))
    # The time-range question fails (500); the changes since the sync: a REPORT, a multiget.
    assert (first.busy, first.incidents, first_requests) == ([dentist], [], 3)
    assert db.session.get(ConnectedCalendar, calendar_id).live_from_changes  # remembered
    assert (second.busy, second.incidents, second_requests) == ([dentist], [], 2)
    assert first_seconds < deadline and second_seconds < deadline
    with pytest.raises(BookingConflict) as caught:
        book_session(
            builders.participant_principal(process), BookSession(process.id, WEDNESDAY_10), now=NOW
        )
    assert Reason.BUSY in caught.value.reasons


@pytest.mark.parametrize("caldav_server", ["radicale"], indirect=True)
def test_the_whole_check_ends_at_its_deadline_with_what_answered(
    ctx: Flask, caldav_server: CalDAVServer, silent_port: int
) -> None:
    """Three calendars on a server that never answers would each wait out their own
    request's timeout; the check ends at its one deadline, with the answering server's
    busy time and the silent one recorded as an incident."""
    process = builders.process(builders.supervisor())
    url = caldav_server.make_calendar()
    put_raw(
        caldav_server,
        url,
        "dentist",
        vevent("dentist", "DTSTART:20270303T083000Z", "DURATION:PT30M"),
    )
    connected(caldav_server, process, url, receiving=False)
    silent = CalendarConnection(
        supervisor_id=process.supervisor.id, url=f"http://{HOST}:{silent_port}/"
    )
    silent.calendars.extend(
        ConnectedCalendar(url=f"http://{HOST}:{silent_port}/{name}/") for name in "abc"
    )
    db.session.add(silent)
    db.session.commit()
    silent_id = silent.id
    ctx.config["LIVE_CHECK_TIMEOUT_SECONDS"] = 1

    started = time.monotonic()
    answer = ask_calendars(process.supervisor, SLOT)
    seconds = time.monotonic() - started

    assert seconds < 1.5  # not 3 s, one timeout per calendar
    assert answer.busy == [Interval(helsinki(2027, 3, 3, 10, 30), helsinki(2027, 3, 3, 11))]
    assert [incident["connection"] for incident in answer.incidents] == [str(silent_id)]
