"""Calendar objects as another client would write them, and a backend to read them."""

from __future__ import annotations

import datetime as dt

import caldav

from plugins.caldav_calendar import CalDAVBackend
from service.backends import TimeRange
from tests.conftest import LOOPBACK_OUTWARD
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer

HELSINKI = "Europe/Helsinki"
WINDOW = TimeRange(dt.datetime(2027, 2, 1, tzinfo=dt.UTC), dt.datetime(2027, 7, 1, tzinfo=dt.UTC))


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def vevent(uid: str, *lines: str) -> str:
    body = "\r\n".join(lines)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Toinen//Kalenteri//FI\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:Oma\r\n{body}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def backend(server: CalDAVServer, **overrides: object) -> CalDAVBackend:
    settings: dict = {
        "url": server.url,
        "username": USERNAME,
        "password": PASSWORD,
        "timeout": 5,
        "timezone": HELSINKI,
        "outward": LOOPBACK_OUTWARD,
        **overrides,
    }
    return CalDAVBackend(**settings)


def put_raw(server: CalDAVServer, calendar_url: str, name: str, ics: str) -> int:
    """Write an object as another client does, bypassing Ohjaamo."""
    response = server.client().request(
        f"{calendar_url}{name}.ics", "PUT", ics, {"Content-Type": "text/calendar"}
    )
    return response.status


def other_client_calendar(server: CalDAVServer, calendar_url: str) -> caldav.Calendar:
    return caldav.Calendar(client=server.client(), url=calendar_url)


def ranges(result_events) -> list[tuple[dt.datetime, dt.datetime]]:
    return sorted((event.start, event.end) for event in result_events)
