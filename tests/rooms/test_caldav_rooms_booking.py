"""Group sessions at client premises with rooms as CalDAV resource calendars (Radicale
and Xandikos), and with rooms kept in Ohjaamo; the CLI commands."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from service.cli import cli
from service.models import ReservationStatus, SessionStatus
from service.services.rooms.sync import sync_organisation_rooms
from tests import builders
from tests.builders import NOW
from tests.calendars.helpers import other_client_calendar, put_raw, vevent
from tests.fixtures.caldav_servers import (  # noqa: F401
    PASSWORD,
    USERNAME,
    CalDAVServer,
    fixture_caldav_server,
)
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import mail_settings
from tests.rooms.helpers import (
    SETUP,
    WEDNESDAY_10,
    book_group,
    external_organisation,
    reservation_of,
    run_worker,
    session_of,
)


@pytest.fixture
def ctx(app: Flask, smtp_server: SMTPServer):
    app.config.update(mail_settings(smtp_server))
    with app.app_context():
        yield app


def organisation(server: CalDAVServer, room_url: str):
    settings = {"url": server.url, "username": USERNAME, "capacities": {"Sali": 10}}
    return external_organisation("caldav", settings, PASSWORD)


def stamp(when) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def test_the_reservation_appears_in_the_shared_room_calendar(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    room_url = caldav_server.make_calendar("Sali")
    _org, process = organisation(caldav_server, room_url)
    outcome = book_group(process)
    run_worker(ctx)
    assert session_of(outcome).status is SessionStatus.BOOKED
    assert reservation_of(outcome).status is ReservationStatus.CONFIRMED
    seen = other_client_calendar(caldav_server, room_url).events()
    (event,) = [item.icalendar_component for item in seen]
    assert str(event["SUMMARY"]) == f"Työnohjaus {process.code}"
    assert event.decoded("DTSTART") == WEDNESDAY_10 - SETUP


def test_a_room_taken_in_the_calendar_just_before_is_not_double_booked(
    ctx: Flask, caldav_server: CalDAVServer, smtp_server: SMTPServer
) -> None:
    room_url = caldav_server.make_calendar("Sali")
    _org, process = organisation(caldav_server, room_url)
    outcome = book_group(process)
    hour_later = WEDNESDAY_10 + dt.timedelta(hours=1)
    other = vevent("toinen", f"DTSTART:{stamp(WEDNESDAY_10)}", f"DTEND:{stamp(hour_later)}")
    put_raw(caldav_server, room_url, "toinen", other)
    run_worker(ctx)
    assert session_of(outcome).status is SessionStatus.CANCELLED
    assert len(other_client_calendar(caldav_server, room_url).events()) == 1
    assert any("ei saatu tilaa" in str(m.message["Subject"]) for m in smtp_server.messages)


def test_a_reservation_deleted_in_the_calendar_is_found_at_refresh(
    ctx: Flask, caldav_server: CalDAVServer
) -> None:
    room_url = caldav_server.make_calendar("Sali")
    org, process = organisation(caldav_server, room_url)
    outcome = book_group(process)
    run_worker(ctx)
    for event in other_client_calendar(caldav_server, room_url).events():
        event.delete()
    report = sync_organisation_rooms(org.organisation.id, NOW)
    assert report.lost == [outcome.session_id]
    assert session_of(outcome).status is SessionStatus.CANCELLED


def test_rooms_kept_in_ohjaamo_are_confirmed_in_the_booking(ctx: Flask) -> None:
    org = builders.organisation(4, 10)
    process = builders.process(
        builders.supervisor(), participants=4, org=org, place=builders.PlaceKind.CLIENT_PREMISES
    )
    outcome = book_group(process)
    assert session_of(outcome).status is SessionStatus.BOOKED
    assert reservation_of(outcome).room_id == org.rooms[1].id


def test_cli_tests_and_syncs(ctx: Flask, caldav_server: CalDAVServer) -> None:
    room_url = caldav_server.make_calendar("Sali")
    org, _process = organisation(caldav_server, room_url)
    runner = ctx.test_cli_runner()
    tested = runner.invoke(cli, ["rooms", "test", str(org.organisation.id)])
    assert tested.exit_code == 0 and "rooms found" in tested.output
    synced = runner.invoke(cli, ["rooms", "sync"])
    assert synced.exit_code == 0 and "ok" in synced.output
    caldav_server.stop()
    failed = runner.invoke(cli, ["rooms", "test", str(org.organisation.id)])
    assert failed.exit_code == 1 and "could not be reached" in failed.output
