"""The CalDAV room system against Radicale and Xandikos: room calendars shared with
the organisation's other clients."""

from __future__ import annotations

import datetime as dt

import pytest

from plugins.rooms_caldav import CalDAVRooms
from service.backends import (
    ReservationRequest,
    ReservationStatus,
    RoomProblem,
    RoomSystemError,
    TimeRange,
)
from tests.calendars.helpers import other_client_calendar, put_raw, vevent
from tests.conftest import LOOPBACK_OUTWARD
from tests.fixtures.caldav_servers import (  # noqa: F401
    PASSWORD,
    USERNAME,
    CalDAVServer,
    fixture_caldav_server,
)

START = dt.datetime(2027, 3, 3, 8, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=2)
WINDOW = TimeRange(START - dt.timedelta(days=1), END + dt.timedelta(days=1))


def system(server: CalDAVServer, **settings: object) -> CalDAVRooms:
    base = {"url": server.url, "username": USERNAME, "secret": PASSWORD, **settings}
    return CalDAVRooms(settings=base, timeout=5, outward=LOOPBACK_OUTWARD)


def request(room: str, key: str = "ohjaamo-room-1") -> ReservationRequest:
    return ReservationRequest(room, START, END, "Työnohjaus TY-0001", key, revised_at=START)


def stamp(when: dt.datetime) -> str:
    return when.strftime("%Y%m%dT%H%M%SZ")


def test_room_calendars_are_listed_with_capacities(caldav_server: CalDAVServer) -> None:
    room = caldav_server.make_calendar("Neuvotteluhuone Aalto")
    rooms = system(caldav_server, capacities={"Neuvotteluhuone Aalto": 8}).list_rooms()
    found = {info.external_id: info for info in rooms}
    assert found[room].name == "Neuvotteluhuone Aalto"
    assert found[room].capacity == 8


def test_busy_time_of_other_bookings(caldav_server: CalDAVServer) -> None:
    room = caldav_server.make_calendar("Huone")
    put_raw(
        caldav_server,
        room,
        "toinen",
        vevent("toinen", f"DTSTART:{stamp(START)}", f"DTEND:{stamp(END)}"),
    )
    assert system(caldav_server).busy([room], WINDOW) == {room: [TimeRange(START, END)]}


def test_a_reservation_is_seen_by_another_client_with_the_neutral_title(
    caldav_server: CalDAVServer,
) -> None:
    room = caldav_server.make_calendar("Huone")
    result = system(caldav_server).reserve(request(room))
    assert result.status is ReservationStatus.CONFIRMED
    seen = other_client_calendar(caldav_server, room).search(
        start=START, end=END, event=True, expand=False
    )
    assert [str(e.icalendar_component["SUMMARY"]) for e in seen] == ["Työnohjaus TY-0001"]
    again = system(caldav_server).reserve(request(room))
    assert again.external_id == result.external_id
    assert system(caldav_server).refresh(result.external_id).status is ReservationStatus.CONFIRMED


def test_a_taken_room_is_rejected_and_nothing_is_written(caldav_server: CalDAVServer) -> None:
    room = caldav_server.make_calendar("Huone")
    put_raw(
        caldav_server,
        room,
        "toinen",
        vevent("toinen", f"DTSTART:{stamp(START)}", f"DTEND:{stamp(END)}"),
    )
    result = system(caldav_server).reserve(request(room))
    assert result.status is ReservationStatus.REJECTED
    assert len(other_client_calendar(caldav_server, room).events()) == 1


def test_release_deletes_and_a_deleted_reservation_is_rejected_at_refresh(
    caldav_server: CalDAVServer,
) -> None:
    room = caldav_server.make_calendar("Huone")
    result = system(caldav_server).reserve(request(room))
    system(caldav_server).release(result.external_id)
    system(caldav_server).release(result.external_id)
    assert other_client_calendar(caldav_server, room).events() == []
    assert system(caldav_server).refresh(result.external_id).status is ReservationStatus.REJECTED


def test_a_reservation_cancelled_by_the_facilities_team_is_rejected(
    caldav_server: CalDAVServer,
) -> None:
    room = caldav_server.make_calendar("Huone")
    result = system(caldav_server).reserve(request(room))
    name = result.external_id.rstrip("/").split("/")[-1].removesuffix(".ics")
    cancelled = vevent(
        "ohjaamo-room-1", f"DTSTART:{stamp(START)}", f"DTEND:{stamp(END)}", "STATUS:CANCELLED"
    )
    assert put_raw(caldav_server, room, name, cancelled) in (200, 201, 204)
    assert system(caldav_server).refresh(result.external_id).status is ReservationStatus.REJECTED


def test_wrong_password_and_stopped_server(caldav_server: CalDAVServer) -> None:
    if caldav_server.kind == "radicale":
        with pytest.raises(RoomSystemError) as caught:
            system(caldav_server, secret="väärä").list_rooms()
        assert caught.value.problem is RoomProblem.UNAUTHORIZED
    caldav_server.stop()
    with pytest.raises(RoomSystemError) as caught:
        system(caldav_server).list_rooms()
    assert caught.value.problem is RoomProblem.UNREACHABLE
