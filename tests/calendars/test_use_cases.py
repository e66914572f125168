"""Calendar use cases on both databases against real CalDAV servers: connect, sync into
the busy cache, sessions out through the outbox handlers, faults and recovery."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from service.backends import CalendarError, CalendarProblem
from service.domain.cancellation import CancellationCategory
from service.domain.intervals import LONGEST_STORED, Interval
from service.domain.vevent import session_uid
from service.extensions import db
from service.models import (
    BusyInterval,
    CalendarConnection,
    ConnectionStatus,
    OutboxMessage,
    PushedEventState,
    SessionCalendarEvent,
    SessionStatus,
    SupervisionSession,
)
from service.services.booking.changes import BookSession, book_session, cancel_session
from service.services.booking.slots import SlotQuery, search_slots
from service.services.calendars.setup import (
    ConnectCalendar,
    connect_calendar,
    remote_changes,
    restore_session_event,
)
from service.services.calendars.sync import sync_connection
from tests import builders
from tests.builders import NOW, helsinki
from tests.calendars.helpers import other_client_calendar, put_raw, vevent
from tests.calendars.scenes import connected, deliver_outbox, session_objects
from tests.fixtures.caldav_servers import (  # noqa: F401
    PASSWORD,
    USERNAME,
    CalDAVServer,
    fixture_caldav_server,
)

WEDNESDAY_10 = helsinki(2027, 3, 3, 10)


@pytest.fixture
def ctx(app: Flask):
    with app.app_context():
        yield app


def slot_starts(process, day: dt.date) -> set[dt.datetime]:
    start = helsinki(day.year, day.month, day.day, 0)
    window = Interval(start, start + dt.timedelta(days=1))
    slots = search_slots(
        builders.participant_principal(process), SlotQuery(window, process_id=process.id), NOW
    )
    return {slot.start for slot in slots}


def test_a_booked_session_appears_in_the_calendar_and_an_event_there_blocks_slots(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    process = builders.process(builders.supervisor())
    calendar_url = caldav_server.make_calendar()
    connection_id = connected(caldav_server, process, calendar_url)
    sync_connection(connection_id, NOW)

    outcome = book_session(
        builders.participant_principal(process), BookSession(process.id, WEDNESDAY_10), now=NOW
    )
    assert deliver_outbox() == ["calendar.push_session"]

    [event] = session_objects(caldav_server, calendar_url)
    assert str(event["UID"]) == session_uid(outcome.session_id)
    assert str(event["SUMMARY"]) == f"Työnohjaus {process.code}"
    assert event.start == WEDNESDAY_10
    names = [p.person.name for p in process.participants]
    assert not any(name in event.to_ical().decode() for name in names)

    thursday_13 = helsinki(2027, 3, 11, 13)  # a week on: the cadence allows it
    assert thursday_13 in slot_starts(process, thursday_13.date())
    put_raw(
        caldav_server,
        calendar_url,
        "dentist",
        vevent("dentist", "DTSTART;TZID=Europe/Helsinki:20270311T133000", "DURATION:PT30M"),
    )
    sync_connection(connection_id, NOW + dt.timedelta(minutes=10))

    assert thursday_13 not in slot_starts(process, thursday_13.date())
    # the session's own event is not counted as busy time a second time
    assert db.session.scalar(select(func.count()).select_from(BusyInterval)) == 1


def test_reschedule_and_cancel_update_then_remove_the_event(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    process = builders.process(builders.supervisor())
    calendar_url = caldav_server.make_calendar()
    connected(caldav_server, process, calendar_url)
    supervisor = builders.supervisor_principal(process)
    outcome = book_session(supervisor, BookSession(process.id, WEDNESDAY_10), now=NOW)
    deliver_outbox()
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()

    cancel_session(
        supervisor, outcome.session_id, CancellationCategory.SUPERVISOR_CANCELLED, now=NOW
    )

    assert deliver_outbox() == ["calendar.delete_session"]
    assert session_objects(caldav_server, calendar_url) == []
    assert db.session.scalar(select(func.count()).select_from(SessionCalendarEvent)) == 0


def test_a_session_deleted_in_the_calendar_is_shown_and_can_be_restored(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    process = builders.process(builders.supervisor())
    calendar_url = caldav_server.make_calendar()
    connection_id = connected(caldav_server, process, calendar_url)
    supervisor = builders.supervisor_principal(process)
    outcome = book_session(supervisor, BookSession(process.id, WEDNESDAY_10), now=NOW)
    deliver_outbox()
    sync_connection(connection_id, NOW)
    assert remote_changes(supervisor, process.supervisor.id) == []

    other_client_calendar(caldav_server, calendar_url).event_by_uid(
        session_uid(outcome.session_id)
    ).delete()
    report = sync_connection(connection_id, NOW + dt.timedelta(minutes=10))

    assert report.remote_changes == [outcome.session_id]
    [change] = remote_changes(supervisor, process.supervisor.id)
    assert change.state is PushedEventState.DELETED_REMOTELY

    restore_session_event(supervisor, outcome.session_id)
    deliver_outbox()
    assert len(session_objects(caldav_server, calendar_url)) == 1
    assert remote_changes(supervisor, process.supervisor.id) == []


def test_server_down_during_sync_and_push_then_recovery_without_duplicates(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    process = builders.process(builders.supervisor())
    calendar_url = caldav_server.make_calendar()
    connection_id = connected(caldav_server, process, calendar_url)
    put_raw(
        caldav_server, calendar_url, "a", vevent("a", "DTSTART:20270305T100000Z", "DURATION:PT1H")
    )
    sync_connection(connection_id, NOW)
    assert db.session.scalar(select(func.count()).select_from(BusyInterval)) == 1
    outcome = book_session(
        builders.supervisor_principal(process), BookSession(process.id, WEDNESDAY_10), now=NOW
    )

    caldav_server.stop()
    with pytest.raises(CalendarError) as sync_failed:
        sync_connection(connection_id, NOW + dt.timedelta(minutes=10))
    with pytest.raises(CalendarError) as push_failed:
        deliver_outbox()

    assert sync_failed.value.problem is CalendarProblem.UNREACHABLE
    assert push_failed.value.retryable
    connection = db.session.get(CalendarConnection, connection_id)
    assert connection.status is ConnectionStatus.FAILING
    assert connection.last_error == "calendar.unreachable"
    assert db.session.scalar(select(func.count()).select_from(BusyInterval)) == 1
    assert db.session.scalar(select(func.count()).select_from(SessionCalendarEvent)) == 0

    caldav_server.start()
    deliver_outbox()
    deliver_outbox()  # the worker retried once more: still one event
    sync_connection(connection_id, NOW + dt.timedelta(minutes=20))

    assert len(session_objects(caldav_server, calendar_url)) == 2  # "a" and the session
    assert db.session.scalar(select(func.count()).select_from(BusyInterval)) == 1
    assert db.session.get(CalendarConnection, connection_id).status is ConnectionStatus.OK
    session = db.session.get(SupervisionSession, outcome.session_id)
    assert session.status is SessionStatus.BOOKED


def test_connect_with_a_wrong_password_stores_nothing_and_the_password_is_encrypted(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    profile = builders.supervisor()
    caldav_server.make_calendar()
    supervisor = builders.principal(profile.person)
    if caldav_server.kind == "radicale":  # Xandikos has no passwords of its own
        with pytest.raises(CalendarError) as caught:
            connect_calendar(
                supervisor, profile.id, ConnectCalendar(caldav_server.url, USERNAME, "x"), now=NOW
            )
        assert caught.value.problem is CalendarProblem.UNAUTHORIZED
        assert db.session.scalar(select(func.count()).select_from(CalendarConnection)) == 0

    connection_id = connect_calendar(
        supervisor, profile.id, ConnectCalendar(caldav_server.url, USERNAME, PASSWORD), now=NOW
    )

    connection = db.session.get(CalendarConnection, connection_id)
    assert connection.status is ConnectionStatus.OK
    assert PASSWORD.encode() not in connection.password_encrypted
    assert [c.display_name for c in connection.calendars] == ["Työ"]


def test_a_leave_of_eleven_weeks_blocks_every_day_of_it_and_is_kept_in_pieces(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    process = builders.process(builders.supervisor(max_advance_days=120))
    calendar_url = caldav_server.make_calendar()
    connection_id = connected(caldav_server, process, calendar_url)
    deep_in = dt.date(2027, 4, 14)  # six weeks into the leave, a Wednesday
    assert slot_starts(process, deep_in)
    put_raw(
        caldav_server,
        calendar_url,
        "leave",
        vevent("leave", "DTSTART;VALUE=DATE:20270215", "DTEND;VALUE=DATE:20270503"),
    )
    sync_connection(connection_id, NOW)

    assert not slot_starts(process, deep_in)
    assert not slot_starts(process, dt.date(2027, 5, 2) - dt.timedelta(days=4))
    pieces = db.session.execute(select(BusyInterval.starts_at, BusyInterval.ends_at)).all()
    assert len(pieces) == 3
    assert all(end - start <= LONGEST_STORED for start, end in pieces)
