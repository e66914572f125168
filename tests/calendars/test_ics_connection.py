"""A calendar connected by its secret .ics address, from the page through the worker's
sync to the live check at booking, against a real HTTP server on loopback: it blocks
time, what cannot be read is shown, the address is nowhere in the clear, and a
booking's live check is one conditional request."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.backends import CalendarError, CalendarProblem
from service.domain.errors import Reason
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, ConnectedCalendar, SupervisionProcess
from service.services.booking.changes import BookingConflict, BookSession, book_session
from service.services.calendars.live_check import ask_calendars
from service.services.calendars.setup import (
    CalendarChoiceInvalid,
    ConnectCalendar,
    choose_calendars,
    connect_calendar,
)
from service.services.calendars.sync import sync_connection
from tests import builders
from tests.builders import NOW, helsinki
from tests.calendars.ics_files import BROKEN_EVENTS, GOOGLE_EVENTS, calendar
from tests.calendars.pages import page, read_now, supervised_process
from tests.fixtures.ics_server import IcsServer, fixture_ics_server  # noqa: F401
from tests.web.pages import csrf_token

EN = {"Accept-Language": "en"}
pytestmark = pytest.mark.sqlite_only

DENTIST = (
    "BEGIN:VEVENT\nUID:dentist\nDTSTAMP:20270101T000000Z\nSUMMARY:Hammaslääkäri\n"
    "DTSTART:20270303T083000Z\nDURATION:PT30M\nEND:VEVENT\n"
)
WEDNESDAY_10 = helsinki(2027, 3, 3, 10)
SLOT = Interval(WEDNESDAY_10, WEDNESDAY_10 + dt.timedelta(hours=2))


def test_an_address_connected_on_the_page_blocks_time_and_shows_what_cannot_be_read(
    app: Flask, client: FlaskClient, ics_server: IcsServer
) -> None:
    process_id, _code = supervised_process(app, client)
    path = "/private-7f3a9c1e5b2d4a6f8e0c/basic.ics"
    address = ics_server.publish(path, calendar(GOOGLE_EVENTS, BROKEN_EVENTS))
    shown = page(client)
    assert "Secret address of the calendar (.ics)" in shown

    answer = client.post(
        "/supervisor/calendars/address",
        data={"csrf_token": csrf_token(shown), "address": address},
    )
    assert answer.status_code == 302
    with app.app_context():
        connection = db.session.scalar(select(CalendarConnection))
        [calendar_row] = connection.calendars
        connection_id = str(connection.id)
        stored = (connection.backend, connection.url, calendar_row.url, calendar_row.writable)
        assert path.encode() not in (connection.password_encrypted or b"")
    assert stored == ("ics", "http://127.0.0.1/…", "ics:calendar", False)

    read_now(client, connection_id)
    shown = page(client)
    assert "Working, but some events could not be read" in shown
    assert "Hammaslääkäri" in shown and "A date or time in it does not exist" in shown
    assert "Through your Ohjaamo feed" in shown  # sessions reach it by subscribing
    assert path not in shown and "private-7f3a9c1e5b2d4a6f8e0c" not in shown
    week = page(client, f"/supervisor/week?day={NOW.date().isoformat()}")
    assert "Some busy time from your own calendar may be missing here" in week

    ics_server.calendars[path].change(calendar(GOOGLE_EVENTS).encode("utf-8"))
    read_now(client, connection_id)
    assert "could not be read" not in page(client)
    checked = client.post(
        f"/supervisor/calendars/{connection_id}/check",
        data={"csrf_token": csrf_token(shown)},
        headers=EN,
        follow_redirects=True,
    )
    assert "address answers with the calendar." in checked.text
    ics_server.calendars[path].status = 404  # the supervisor made a new secret address
    refused = client.post(
        f"/supervisor/calendars/{connection_id}/check",
        data={"csrf_token": csrf_token(shown)},
        headers=EN,
    )
    assert refused.status_code == 422
    assert "No calendar was found at that address" in refused.text
    with app.app_context():
        process = db.session.get(SupervisionProcess, process_id)
        calendar_id = db.session.scalar(select(ConnectedCalendar.id))
        with pytest.raises(CalendarChoiceInvalid):  # nothing is written through an address
            choose_calendars(
                builders.supervisor_principal(process),
                connection.id,
                blocking={calendar_id},
                receiving=calendar_id,
                now=NOW,
            )


def test_a_booking_asks_the_address_once_and_an_event_added_there_blocks_it(
    app: Flask, ics_server: IcsServer
) -> None:
    path = "/private-0c1d2e3f/booking.ics"
    address = ics_server.publish(path, calendar(GOOGLE_EVENTS))
    with app.app_context():
        process = builders.process(builders.supervisor())
        connection_id = connect_calendar(
            builders.supervisor_principal(process),
            process.supervisor.id,
            ConnectCalendar(address, "", "", backend="ics"),
            now=NOW,
        )
        sync_connection(connection_id, NOW)
        assert db.session.get(
            ConnectedCalendar, db.session.scalar(select(ConnectedCalendar.id))
        ).live_from_changes
        before = len(ics_server.seen)

        started = time.monotonic()
        quiet = ask_calendars(process.supervisor, SLOT)
        assert (quiet.busy, quiet.incidents) == ([], [])
        assert [r.status for r in ics_server.seen[before:]] == [304]

        ics_server.calendars[path].change(calendar(GOOGLE_EVENTS, DENTIST).encode("utf-8"))
        before = len(ics_server.seen)
        answer = ask_calendars(process.supervisor, SLOT)
        seconds = time.monotonic() - started

        dentist = Interval(helsinki(2027, 3, 3, 10, 30), helsinki(2027, 3, 3, 11))
        assert (answer.busy, answer.incidents) == ([dentist], [])
        assert [r.status for r in ics_server.seen[before:]] == [200]
        assert seconds < app.config["LIVE_CHECK_TIMEOUT_SECONDS"] * 2
        with pytest.raises(BookingConflict) as caught:
            book_session(
                builders.participant_principal(process),
                BookSession(process.id, WEDNESDAY_10),
                now=NOW,
            )
        assert Reason.BUSY in caught.value.reasons


def test_an_address_inside_the_network_or_no_calendar_is_not_connected(
    app: Flask, ics_server: IcsServer
) -> None:
    page_address = ics_server.publish("/private-1/page.html", "<!doctype html><p>Kirjaudu")
    with app.app_context():
        process = builders.process(builders.supervisor())
        supervisor = builders.supervisor_principal(process)
        for address, problem in (
            ("http://10.0.0.8/calendar.ics", CalendarProblem.REFUSED_ADDRESS),
            (page_address, CalendarProblem.WRONG_URL),
        ):
            with pytest.raises(CalendarError) as caught:
                connect_calendar(
                    supervisor,
                    process.supervisor.id,
                    ConnectCalendar(address, "", "", backend="ics"),
                    now=NOW,
                )
            assert caught.value.problem is problem
        assert db.session.scalar(select(CalendarConnection)) is None
