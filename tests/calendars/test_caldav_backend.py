"""The CalDAV backend against real Radicale and Xandikos servers on loopback."""

from __future__ import annotations

import datetime as dt
import socket

import icalendar
import pytest

from service.backends import (
    CalendarError,
    CalendarEvent,
    CalendarProblem,
    SyncState,
    TimeRange,
    UnreadableReason,
)
from service.plugin_kit.calendar_objects import busy_in
from tests.calendars.helpers import (
    WINDOW,
    backend,
    other_client_calendar,
    put_raw,
    ranges,
    utc,
    vevent,
)
from tests.calendars.scenes import counted_requests
from tests.fixtures.caldav_servers import (  # noqa: F401
    CalDAVServer,
    fixture_caldav_server,
)
from tests.fixtures.smtp import HOST, free_port


def test_discovery_lists_the_accounts_calendars(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar("Työkalenteri")
    found = {calendar.url: calendar for calendar in backend(caldav_server).discover()}
    assert found[url].display_name == "Työkalenteri"
    assert found[url].supports_sync_token


def test_first_sync_then_add_change_delete_by_another_client(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    put_raw(caldav_server, url, "a", vevent("a", "DTSTART:20270310T100000Z", "DURATION:PT1H"))
    put_raw(caldav_server, url, "old", vevent("old", "DTSTART:20250310T100000Z", "DURATION:PT1H"))
    reader = backend(caldav_server)

    first = reader.sync(url, SyncState(), WINDOW)
    [href_a] = first.changed
    assert ranges(first.changed[href_a]) == [(utc(2027, 3, 10, 10), utc(2027, 3, 10, 11))]
    assert first.sync_token
    state = first.next_state(SyncState())

    unchanged = reader.sync(url, state, WINDOW)
    assert (unchanged.changed, unchanged.deleted_hrefs) == ({}, ())

    put_raw(caldav_server, url, "b", vevent("b", "DTSTART:20270311T100000Z", "DURATION:PT1H"))
    put_raw(caldav_server, url, "a", vevent("a", "DTSTART:20270312T080000Z", "DURATION:PT2H"))
    later = reader.sync(url, state, WINDOW)
    assert {href.rsplit("/", 1)[1] for href in later.changed} == {"a.ics", "b.ics"}
    assert ranges(later.changed[href_a]) == [(utc(2027, 3, 12, 8), utc(2027, 3, 12, 10))]
    state = later.next_state(state)

    other_client_calendar(caldav_server, url).event_by_uid("b").delete()
    gone = reader.sync(url, state, WINDOW)
    assert [href.rsplit("/", 1)[1] for href in gone.deleted_hrefs] == ["b.ics"]
    assert gone.changed == {}


def test_a_refused_sync_token_lists_the_window_and_reports_deletions(
    caldav_server: CalDAVServer,
) -> None:
    url = caldav_server.make_calendar()
    put_raw(caldav_server, url, "a", vevent("a", "DTSTART:20270310T100000Z", "DURATION:PT1H"))
    reader = backend(caldav_server)
    state = reader.sync(url, SyncState(), WINDOW).next_state(SyncState())
    stale = SyncState(sync_token=state.sync_token + "0", etags={**state.etags, "/gone.ics": '"1"'})

    result = reader.sync(url, stale, WINDOW)

    assert result.deleted_hrefs == ("/gone.ics",)
    assert result.changed == {}  # the known object's ETag is unchanged
    assert result.sync_token


def test_recurring_series_with_an_exception_exdate_and_rdate(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    series = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART;TZID=Europe/Helsinki:20270301T090000\r\n"
        "DTEND;TZID=Europe/Helsinki:20270301T100000\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=4\r\n"
        "EXDATE;TZID=Europe/Helsinki:20270308T090000\r\n"
        "RDATE;TZID=Europe/Helsinki:20270404T120000\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:series\r\nDTSTAMP:20270101T000000Z\r\n"
        "RECURRENCE-ID;TZID=Europe/Helsinki:20270315T090000\r\n"
        "DTSTART;TZID=Europe/Helsinki:20270315T140000\r\n"
        "DTEND;TZID=Europe/Helsinki:20270315T150000\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    put_raw(caldav_server, url, "series", series)

    [events] = backend(caldav_server).sync(url, SyncState(), WINDOW).changed.values()

    assert ranges(events) == [
        (utc(2027, 3, 1, 7), utc(2027, 3, 1, 8)),
        (utc(2027, 3, 15, 12), utc(2027, 3, 15, 13)),  # the moved occurrence
        (utc(2027, 3, 22, 7), utc(2027, 3, 22, 8)),
        (utc(2027, 4, 4, 9), utc(2027, 4, 4, 10)),  # RDATE, after the DST change
    ]


def test_dst_change_keeps_local_time_of_a_weekly_series(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    put_raw(
        caldav_server,
        url,
        "weekly",
        vevent(
            "weekly",
            "DTSTART;TZID=Europe/Helsinki:20270322T090000",
            "DTEND;TZID=Europe/Helsinki:20270322T100000",
            "RRULE:FREQ=WEEKLY;COUNT=2",
        ),
    )
    put_raw(  # across the night of the change, 28 March 2027 03:00 -> 04:00
        caldav_server,
        url,
        "night",
        vevent(
            "night",
            "DTSTART;TZID=Europe/Helsinki:20270328T010000",
            "DTEND;TZID=Europe/Helsinki:20270328T050000",
        ),
    )
    result = backend(caldav_server).sync(url, SyncState(), WINDOW)
    by_name = {href.rsplit("/", 1)[1]: ranges(events) for href, events in result.changed.items()}

    assert by_name["weekly.ics"] == [
        (utc(2027, 3, 22, 7), utc(2027, 3, 22, 8)),  # UTC+2
        (utc(2027, 3, 29, 6), utc(2027, 3, 29, 7)),  # UTC+3
    ]
    assert by_name["night.ics"] == [(utc(2027, 3, 27, 23), utc(2027, 3, 28, 2))]  # 3 h long


def test_all_day_floating_utc_and_tzid_without_vtimezone(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    objects = {
        "allday": vevent("allday", "DTSTART;VALUE=DATE:20270316", "DTEND;VALUE=DATE:20270318"),
        "floating": vevent("floating", "DTSTART:20270310T120000", "DTEND:20270310T130000"),
        "utc": vevent("utc", "DTSTART:20270310T120000Z", "DTEND:20270310T130000Z"),
        "tzid": vevent(
            "tzid",
            "DTSTART;TZID=Europe/Stockholm:20270310T120000",
            "DTEND;TZID=Europe/Stockholm:20270310T130000",
        ),
    }
    for name, ics in objects.items():
        assert put_raw(caldav_server, url, name, ics) in (201, 204)

    result = backend(caldav_server).sync(url, SyncState(), WINDOW)
    by_name = {href.rsplit("/", 1)[1]: ranges(events) for href, events in result.changed.items()}

    assert by_name == {
        "allday.ics": [(utc(2027, 3, 15, 22), utc(2027, 3, 17, 22))],  # two local days
        "floating.ics": [(utc(2027, 3, 10, 10), utc(2027, 3, 10, 11))],  # Helsinki time
        "utc.ics": [(utc(2027, 3, 10, 12), utc(2027, 3, 10, 13))],
        "tzid.ics": [(utc(2027, 3, 10, 11), utc(2027, 3, 10, 12))],
    }


def test_free_cancelled_and_ohjaamos_own_events_block_nothing(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    start = ("DTSTART:20270310T100000Z", "DURATION:PT1H")
    put_raw(caldav_server, url, "free", vevent("free", *start, "TRANSP:TRANSPARENT"))
    put_raw(caldav_server, url, "cancelled", vevent("cancelled", *start, "STATUS:CANCELLED"))
    put_raw(caldav_server, url, "own", vevent("ohjaamo-session-1", *start))
    put_raw(caldav_server, url, "busy", vevent("busy", *start, "TRANSP:OPAQUE"))
    reader = backend(caldav_server)

    result = reader.sync(url, SyncState(), WINDOW)
    blocking = {href.rsplit("/", 1)[1] for href, events in result.changed.items() if events}

    assert blocking == {"busy.ics"}
    assert len(result.etags) == 4  # known all the same, so they are not fetched again
    assert [(r.start, r.end) for r in reader.free_busy([url], WINDOW)] == [
        (utc(2027, 3, 10, 10), utc(2027, 3, 10, 11))
    ]


# Objects each server stores that cannot be read: Radicale refuses broken dates and
# rules on PUT but keeps a rule that repeats every 0 weeks (on which Xandikos's own
# time-range search loops), Xandikos keeps broken dates too.
UNREADABLE = {
    "radicale": {
        "zero": ("DTSTART:20270310T100000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=0")
    },
    "xandikos": {
        "feb31": ("DTSTART:20270231T100000Z", "DURATION:PT1H"),
        "rule": ("DTSTART:20270310T100000Z", "DURATION:PT1H", "RRULE:FREQ=SOMETIMES"),
    },
}
REASONS = {
    "zero": UnreadableReason.BAD_RULE,
    "feb31": UnreadableReason.BAD_DATE,
    "rule": UnreadableReason.BAD_RULE,
}


def test_an_unreadable_object_is_reported_and_the_rest_synced(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    for name, lines in UNREADABLE[caldav_server.kind].items():
        assert put_raw(caldav_server, url, name, vevent(name, *lines)) in (201, 204)
    put_raw(caldav_server, url, "good", vevent("good", "DTSTART:20270311T100000Z", "DURATION:PT1H"))

    result = backend(caldav_server).sync(url, SyncState(), WINDOW)
    by_name = {href.rsplit("/", 1)[1]: ranges(events) for href, events in result.changed.items()}

    bad = set(UNREADABLE[caldav_server.kind])
    assert by_name == {
        **{f"{name}.ics": [] for name in bad},
        "good.ics": [(utc(2027, 3, 11, 10), utc(2027, 3, 11, 11))],
    }
    assert {
        href.rsplit("/", 1)[1]: (o.reason, o.summary) for href, o in result.unreadable.items()
    } == {f"{name}.ics": (REASONS[name], "Oma") for name in bad}
    assert set(result.etags) == set(result.changed)  # known, so not fetched again


@pytest.mark.parametrize("caldav_server", ["xandikos"], indirect=True)
def test_a_server_failing_time_ranges_is_never_listed_at_booking_time(
    caldav_server: CalDAVServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Xandikos answers every time-range query with 500 while one object is broken: the
    sync lists the calendar once and says so; the live questions never list it."""
    url = caldav_server.make_calendar()
    caldav_server.write_objects(
        url,
        {
            f"e{n}": vevent(
                f"e{n}", f"DTSTART:202703{10 + n % 18:02d}T{8 + n % 9:02d}0000Z", "DURATION:PT1H"
            )
            for n in range(300)
        },
    )
    reader = backend(caldav_server)
    first = reader.sync(url, SyncState(), WINDOW)
    assert not first.live_from_changes
    put_raw(
        caldav_server, url, "feb31", vevent("feb31", "DTSTART:20270231T100000Z", "DURATION:PT1H")
    )
    put_raw(caldav_server, url, "new", vevent("new", "DTSTART:20270401T100000Z", "DURATION:PT1H"))
    slot = TimeRange(utc(2027, 4, 1, 9), utc(2027, 4, 1, 11))

    with counted_requests(monkeypatch) as requests:
        with pytest.raises(CalendarError) as caught:
            reader.free_busy([url], slot)
        assert caught.value.problem is CalendarProblem.TIME_RANGE_FAILED
        assert requests.count == 1
        requests.reset()
        delta = reader.changes(url, first.next_state(SyncState()), slot)
        assert requests.count == 2  # the sync-collection REPORT, the multiget of the two
        requests.reset()
        again = reader.sync(url, SyncState(), WINDOW)
        assert requests.count > 3  # the worker's full reading lists it all

    busy = [event.time_range for events in delta.changed.values() for event in events]
    assert busy == [TimeRange(utc(2027, 4, 1, 10), utc(2027, 4, 1, 11))]
    assert [href.rsplit("/", 1)[1] for href in delta.unreadable] == ["feb31.ics"]
    assert again.live_from_changes
    assert len(again.changed) == 302


def test_changes_without_a_token_or_with_a_refused_one_are_refused(
    caldav_server: CalDAVServer,
) -> None:
    url = caldav_server.make_calendar()
    reader = backend(caldav_server)
    with pytest.raises(CalendarError):
        reader.changes(url, SyncState(), WINDOW)
    state = reader.sync(url, SyncState(), WINDOW).next_state(SyncState())
    with pytest.raises(CalendarError):
        reader.changes(url, SyncState(sync_token=state.sync_token + "0"), WINDOW)


def test_malformed_text_is_reported_by_type_without_its_content() -> None:
    with pytest.raises(ValueError) as caught:
        busy_in(vevent("x", "DTSTART:2027", "SUMMARY:Salainen"), WINDOW, dt.UTC)  # type: ignore[arg-type]
    assert "Salainen" not in str(caught.value)


def session_event(**changes: object) -> CalendarEvent:
    values: dict = {
        "uid": "ohjaamo-session-0f0e",
        "summary": "Työnohjaus TY-0001",
        "start": utc(2027, 3, 10, 8),
        "end": utc(2027, 3, 10, 9, 30),
        "location": "Toimisto, Katu 1",
        "video_url": "https://video.example/abc",
        "revised_at": utc(2027, 3, 1, 12),
        **changes,
    }
    return CalendarEvent(**values)


def test_session_push_round_trip_seen_by_another_client(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    writer = backend(caldav_server)

    created = writer.put_event(url, session_event(), None)
    again = writer.put_event(url, session_event(), None)  # a retry after a lost answer
    moved = writer.put_event(url, session_event(start=utc(2027, 3, 11, 8), sequence=1), again.etag)

    assert created.href == again.href == moved.href
    assert created.href.endswith("/ohjaamo-session-0f0e.ics")
    [seen] = other_client_calendar(caldav_server, url).events()
    event = icalendar.Calendar.from_ical(seen.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Työnohjaus TY-0001"
    assert event.start == utc(2027, 3, 11, 8)
    assert int(event["SEQUENCE"]) == 1
    assert "ATTENDEE" not in event and "ORGANIZER" not in event
    assert "https://video.example/abc" in str(event["DESCRIPTION"])

    writer.delete_event(url, moved.href, moved.etag)
    writer.delete_event(url, moved.href, moved.etag)  # already gone counts as deleted
    assert other_client_calendar(caldav_server, url).events() == []


def test_a_write_under_a_stale_etag_rereads_and_wins(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    writer = backend(caldav_server)
    first = writer.put_event(url, session_event(), None)
    put_raw(
        caldav_server,
        url,
        "ohjaamo-session-0f0e",
        vevent("ohjaamo-session-0f0e", "DTSTART:20270301T100000Z"),
    )

    written = writer.put_event(url, session_event(sequence=2), first.etag)

    assert written.etag != first.etag
    [seen] = other_client_calendar(caldav_server, url).events()
    assert int(icalendar.Calendar.from_ical(seen.data).walk("VEVENT")[0]["SEQUENCE"]) == 2


@pytest.mark.parametrize("caldav_server", ["radicale"], indirect=True)
def test_a_wrong_password_is_told_in_plain_words(caldav_server: CalDAVServer) -> None:
    with pytest.raises(CalendarError) as caught:
        backend(caldav_server, password="väärä").discover()
    assert caught.value.problem is CalendarProblem.UNAUTHORIZED
    assert not caught.value.retryable
    assert "password" in caught.value.message


def test_a_wrong_address_is_told_in_plain_words(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    with pytest.raises(CalendarError) as caught:
        backend(caldav_server).sync(url + "nothing-here/", SyncState(), WINDOW)
    assert caught.value.problem in (CalendarProblem.WRONG_URL, CalendarProblem.SERVER_ERROR)


def test_a_stopped_server_a_plain_http_port_and_a_silent_one(caldav_server: CalDAVServer) -> None:
    url = caldav_server.make_calendar()
    with pytest.raises(CalendarError) as tls:
        backend(caldav_server, url=caldav_server.url.replace("http:", "https:")).discover()
    assert tls.value.problem is CalendarProblem.TLS_FAILED

    caldav_server.stop()
    with pytest.raises(CalendarError) as down:
        backend(caldav_server).sync(url, SyncState(), WINDOW)
    assert down.value.problem is CalendarProblem.UNREACHABLE and down.value.retryable

    with socket.socket() as silent:
        silent.bind((HOST, free_port()))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(CalendarError) as slow:
            backend(caldav_server, url=f"http://{HOST}:{port}/", timeout=0.5).discover()
    assert slow.value.problem is CalendarProblem.TIMEOUT
