"""The .ics address backend against a real HTTP server on loopback publishing calendars
shaped as Google and Outlook publish them; and the same events over CalDAV (Radicale)
blocking the same time."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from plugins.ics_calendar import IcsBackend
from plugins.ics_calendar import fetch as fetching
from plugins.ics_calendar.backend import CALENDAR_URL
from service.backends import (
    CalendarError,
    CalendarEvent,
    CalendarProblem,
    OutwardPolicy,
    SyncState,
    TimeRange,
    UnreadableReason,
)
from service.plugin_kit.calendar_objects import objects_in
from tests.calendars.helpers import HELSINKI, WINDOW, backend, ranges, utc
from tests.calendars.ics_files import (
    BROKEN_EVENTS,
    GOOGLE_EVENTS,
    OUTLOOK_EVENTS,
    OUTLOOK_UID,
    SERIES,
    calendar,
)
from tests.conftest import LOOPBACK_OUTWARD
from tests.fixtures.caldav_servers import (  # noqa: F401
    CalDAVServer,
    fixture_caldav_server,
)
from tests.fixtures.ics_server import IcsServer, fixture_ics_server  # noqa: F401


def reader(url: str, **overrides: object) -> IcsBackend:
    settings: dict = {
        "url": url,
        "username": "",
        "password": "",
        "timeout": 5,
        "timezone": HELSINKI,
        "outward": LOOPBACK_OUTWARD,
        **overrides,
    }
    return IcsBackend(**settings)


EXPECTED_BUSY = {
    SERIES: [
        (utc(2027, 3, 1, 7), utc(2027, 3, 1, 8)),
        (utc(2027, 3, 15, 12), utc(2027, 3, 15, 13)),  # the moved occurrence
        (utc(2027, 3, 22, 7), utc(2027, 3, 22, 8)),
    ],
    OUTLOOK_UID: [
        (utc(2027, 3, 22, 7), utc(2027, 3, 22, 8)),  # UTC+2
        (utc(2027, 3, 29, 6), utc(2027, 3, 29, 7)),  # UTC+3 after the change
    ],
    "koulutus@google.com": [],  # free
    "vapaa@google.com": [(utc(2027, 3, 18, 22), utc(2027, 3, 19, 22))],  # a local day
    "ohjaamo-session-1": [],
}


def test_google_and_outlook_calendars_block_their_busy_time_and_say_what_is_unreadable(
    ics_server: IcsServer,
) -> None:
    url = ics_server.publish(
        "/secret/basic.ics", calendar(GOOGLE_EVENTS, OUTLOOK_EVENTS, BROKEN_EVENTS)
    )
    ics = reader(url)

    [found] = ics.discover()
    result = ics.sync(CALENDAR_URL, SyncState(), WINDOW)

    assert (found.url, found.display_name, found.writable) == (CALENDAR_URL, "Työ", False)
    assert url not in found.url
    busy = {href: ranges(events) for href, events in result.changed.items()}
    unreadable = {href: (o.reason, o.summary) for href, o in result.unreadable.items()}
    assert busy == {
        **EXPECTED_BUSY,
        **{href: [] for href in ("feb31", "zero", "minutely", "nostart")},
    }  # the event of 2020 lies outside the window, as a time-range query leaves it out
    assert unreadable == {
        "feb31": (UnreadableReason.BAD_DATE, "Hammaslääkäri"),
        "zero": (UnreadableReason.BAD_RULE, "Joka nollas viikko"),
        "minutely": (UnreadableReason.TOO_FREQUENT, "Muistutus"),
        "nostart": (UnreadableReason.NO_START, "Ei alkua"),
    }
    assert set(result.etags) == set(result.changed) and result.live_from_changes
    assert sorted((r.start, r.end) for r in ics.free_busy([CALENDAR_URL], WINDOW)) == sorted(
        span for spans in EXPECTED_BUSY.values() for span in spans
    )


def test_a_file_cut_short_loses_nothing_before_the_cut(ics_server: IcsServer) -> None:
    whole = calendar(GOOGLE_EVENTS, OUTLOOK_EVENTS)
    url = ics_server.publish("/secret/cut.ics", whole[: whole.index("CLASS:PUBLIC")])

    result = reader(url).sync(CALENDAR_URL, SyncState(), WINDOW)

    assert ranges(result.changed[SERIES]) == EXPECTED_BUSY[SERIES]
    assert ranges(result.changed["vapaa@google.com"]) == EXPECTED_BUSY["vapaa@google.com"]
    assert OUTLOOK_UID in result.changed  # read on its own, whatever it still says


@pytest.mark.parametrize(
    ("etag", "last_modified", "asked_with"),
    [
        (True, True, "if-none-match"),
        (False, True, "if-modified-since"),
        (False, False, None),
    ],
)
def test_an_unchanged_calendar_is_asked_conditionally_and_reads_nothing(
    ics_server: IcsServer, etag: bool, last_modified: bool, asked_with: str | None
) -> None:
    url = ics_server.publish(
        "/secret/same.ics",
        calendar(GOOGLE_EVENTS),
        etag=etag,
        last_modified=last_modified,
    )
    ics = reader(url)
    first = ics.sync(CALENDAR_URL, SyncState(), WINDOW)
    state = first.next_state(SyncState())

    again = ics.sync(CALENDAR_URL, state, WINDOW)
    live = ics.changes(CALENDAR_URL, SyncState(state.sync_token), WINDOW)

    assert (again.changed, again.deleted_hrefs, again.sync_token) == ({}, (), state.sync_token)
    assert (live.changed, live.deleted_hrefs) == ({}, ())
    asked = ics_server.seen[1:]
    if asked_with is None:  # nothing to ask with: the body is read and found the same
        assert [request.status for request in asked] == [200, 200]
    else:
        assert [request.status for request in asked] == [304, 304]
        assert all(asked_with in request.headers for request in asked)


def test_a_new_download_stamp_on_every_event_is_no_change(ics_server: IcsServer) -> None:
    """Google stamps every event (DTSTAMP) with the moment of the download and sends no
    validators: a calendar in which nothing else changed reads as unchanged."""
    path = "/secret/stamped.ics"
    stamped = calendar(GOOGLE_EVENTS, OUTLOOK_EVENTS)
    url = ics_server.publish(path, stamped, etag=False, last_modified=False)
    ics = reader(url)
    first = ics.sync(CALENDAR_URL, SyncState(), WINDOW)
    state = first.next_state(SyncState())
    later = stamped.replace("DTSTAMP:20270101T000000Z", "DTSTAMP:20270301T080000Z")
    ics_server.calendars[path].change(later.encode("utf-8"))

    again = ics.sync(CALENDAR_URL, state, WINDOW)
    moved = later.replace("Time:20270322T100000", "Time:20270322T120000").replace(
        "Time:20270322T090000", "Time:20270322T110000"
    )
    ics_server.calendars[path].change(moved.encode("utf-8"))
    after_a_move = ics.sync(CALENDAR_URL, state, WINDOW)

    assert later != stamped and (again.changed, again.deleted_hrefs) == ({}, ())
    assert list(after_a_move.changed) == [OUTLOOK_UID]  # only the event that moved
    assert ranges(after_a_move.changed[OUTLOOK_UID])[0] == (
        utc(2027, 3, 22, 9),
        utc(2027, 3, 22, 10),
    )


def test_a_changed_calendar_gives_only_what_changed_and_what_is_gone(
    ics_server: IcsServer,
) -> None:
    path = "/secret/changing.ics"
    url = ics_server.publish(path, calendar(GOOGLE_EVENTS, OUTLOOK_EVENTS, BROKEN_EVENTS))
    ics = reader(url)
    first = ics.sync(CALENDAR_URL, SyncState(), WINDOW)
    state = first.next_state(SyncState())
    dentist = (
        "BEGIN:VEVENT\nUID:dentist\nDTSTAMP:20270101T000000Z\nSUMMARY:Hammaslääkäri\n"
        "DTSTART:20270303T083000Z\nDURATION:PT30M\nEND:VEVENT\n"
    )
    fixed = BROKEN_EVENTS.replace("20270231T100000Z", "20270228T100000Z")
    ics_server.calendars[path].change(  # Outlook's series removed, a date fixed, one added
        calendar(GOOGLE_EVENTS, fixed, dentist).encode("utf-8")
    )

    result = ics.sync(CALENDAR_URL, state, WINDOW)
    live = ics.changes(
        CALENDAR_URL,
        SyncState(state.sync_token),
        TimeRange(utc(2027, 3, 3, 8), utc(2027, 3, 3, 10)),
    )

    assert {href: ranges(events) for href, events in result.changed.items()} == {
        "feb31": [(utc(2027, 2, 28, 10), utc(2027, 2, 28, 11))],
        "dentist": [(utc(2027, 3, 3, 8, 30), utc(2027, 3, 3, 9))],
    }
    assert result.deleted_hrefs == (OUTLOOK_UID,)
    assert "feb31" not in result.unreadable  # fixed: its warning clears
    assert [request.status for request in ics_server.seen] == [200, 200, 200]
    live_busy = sorted(span for events in live.changed.values() for span in ranges(events))
    assert live_busy == [(utc(2027, 3, 3, 8, 30), utc(2027, 3, 3, 9))]


def test_a_gzipped_answer_is_read_and_a_redirect_followed(ics_server: IcsServer) -> None:
    target = ics_server.publish("/secret/real.ics", calendar(GOOGLE_EVENTS), gzip=True)
    moved = ics_server.publish("/secret/old.ics", redirect_to=target)

    result = reader(moved).sync(CALENDAR_URL, SyncState(), WINDOW)

    assert ranges(result.changed[SERIES]) == EXPECTED_BUSY[SERIES]
    assert [(r.path, r.status) for r in ics_server.seen] == [
        ("/secret/old.ics", 302),
        ("/secret/real.ics", 200),
    ]
    assert ics_server.seen[1].headers["accept-encoding"] == "gzip"


def test_a_redirect_inside_the_network_a_loop_and_a_downgrade_are_refused(
    ics_server: IcsServer,
) -> None:
    inside = ics_server.publish("/secret/inside.ics", redirect_to="http://10.20.30.40/cal.ics")
    loop = ics_server.publish("/secret/loop.ics", redirect_to="/secret/loop.ics")
    only_loopback = OutwardPolicy.from_settings(["127.0.0.1"])

    with pytest.raises(CalendarError) as refused:
        reader(inside, outward=only_loopback).sync(CALENDAR_URL, SyncState(), WINDOW)
    with pytest.raises(CalendarError) as looping:
        reader(loop).sync(CALENDAR_URL, SyncState(), WINDOW)

    assert refused.value.problem is CalendarProblem.REFUSED_ADDRESS
    assert looping.value.problem is CalendarProblem.SERVER_ERROR
    assert len([r for r in ics_server.seen if r.path == "/secret/loop.ics"]) == 6
    assert "secret" not in str(refused.value) and "secret" not in str(looping.value)


def test_a_silent_server_is_given_up_at_the_timeout(ics_server: IcsServer) -> None:
    url = ics_server.publish("/secret/silent.ics", silent_seconds=10)

    started = time.monotonic()
    with pytest.raises(CalendarError) as caught:
        reader(url, timeout=0.5).sync(CALENDAR_URL, SyncState(), WINDOW)

    assert caught.value.problem is CalendarProblem.TIMEOUT
    assert time.monotonic() - started < 2


def test_an_answer_sent_a_byte_at_a_time_is_given_up_within_its_budget(
    ics_server: IcsServer,
) -> None:
    url = ics_server.publish("/secret/drip.ics", drip_seconds=10)

    started = time.monotonic()
    with pytest.raises(CalendarError) as caught:
        reader(url, timeout=0.5).sync(CALENDAR_URL, SyncState(), WINDOW)

    assert caught.value.problem is CalendarProblem.TIMEOUT
    assert time.monotonic() - started < 2.5  # three timeouts for the whole answer


def test_a_wrong_address_and_one_that_is_no_calendar(ics_server: IcsServer) -> None:
    missing = ics_server.url("/secret/nothing.ics")
    page = ics_server.publish("/secret/page.html", "<!doctype html><title>Kirjaudu</title>")

    with pytest.raises(CalendarError) as gone:
        reader(missing).discover()
    with pytest.raises(CalendarError) as html:
        reader(page).discover()

    assert gone.value.problem is CalendarProblem.WRONG_URL
    assert html.value.problem is CalendarProblem.WRONG_URL


def test_nothing_is_written_through_an_address(ics_server: IcsServer) -> None:
    ics = reader(ics_server.publish("/secret/w.ics", calendar()))
    event = CalendarEvent(
        uid="ohjaamo-session-x",
        summary="Työnohjaus",
        start=utc(2027, 3, 3, 8),
        end=utc(2027, 3, 3, 9),
        revised_at=utc(2027, 3, 1),
    )

    with pytest.raises(CalendarError) as caught:
        ics.put_event(CALENDAR_URL, event, None)

    assert caught.value.problem is CalendarProblem.READ_ONLY and not caught.value.retryable
    assert ics_server.seen == []


def big_calendar(megabytes: int) -> str:
    """Years of a busy practice: an event a working hour, most of them past."""
    events = []
    start = dt.datetime(2019, 1, 1, 6, tzinfo=dt.UTC)
    size, n = 0, 0
    while size < megabytes * 1024 * 1024:
        at = start + dt.timedelta(hours=n % 9, days=n // 9)
        text = (
            f"BEGIN:VEVENT\nDTSTART:{at:%Y%m%dT%H%M%SZ}\nDTEND:"
            f"{at + dt.timedelta(minutes=45):%Y%m%dT%H%M%SZ}\nDTSTAMP:20190101T000000Z\n"
            f"UID:{n:08d}-b1c2d3e4f5a6b7c8d9e0@google.com\nCREATED:20190101T000000Z\n"
            "DESCRIPTION:Asiakastyötä ja sen valmistelua\\, muistiinpanot erikseen.\n"
            "LAST-MODIFIED:20190101T000000Z\nLOCATION:Työhuone 2\nSEQUENCE:0\n"
            "STATUS:CONFIRMED\nSUMMARY:Asiakas\nTRANSP:OPAQUE\nEND:VEVENT\n"
        )
        events.append(text)
        size += len(text)
        n += 1
    return calendar(*events)


def test_a_ten_megabyte_calendar_is_read_once_then_answered_304(ics_server: IcsServer) -> None:
    text = big_calendar(10)
    url = ics_server.publish("/secret/big.ics", text)
    ics = reader(url, timeout=20)
    window = TimeRange(utc(2027, 2, 1), utc(2027, 7, 1))

    first = ics.sync(CALENDAR_URL, SyncState(), window)
    started = time.monotonic()
    again = ics.sync(CALENDAR_URL, first.next_state(SyncState()), window)
    again_seconds = time.monotonic() - started

    assert len(text.encode("utf-8")) >= 10 * 1024 * 1024
    assert first.changed and all(
        window.start <= event.start and event.end <= window.end
        for events in first.changed.values()
        for event in events
    )
    assert (again.changed, [r.status for r in ics_server.seen]) == ({}, [200, 304])
    assert again_seconds < 1


def test_a_calendar_over_the_limit_is_refused_in_plain_words(
    ics_server: IcsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetching, "MAX_BYTES", 1024 * 1024)
    plain = ics_server.publish("/secret/huge.ics", big_calendar(2))
    packed = ics_server.publish("/secret/packed.ics", big_calendar(2), gzip=True)

    for url in (plain, packed):
        with pytest.raises(CalendarError) as caught:
            reader(url).sync(CALENDAR_URL, SyncState(), WINDOW)
        assert caught.value.problem is CalendarProblem.TOO_LARGE


def test_the_same_events_over_ics_and_over_caldav_block_the_same_time(
    ics_server: IcsServer, caldav_server: CalDAVServer
) -> None:
    text = calendar(GOOGLE_EVENTS, OUTLOOK_EVENTS, BROKEN_EVENTS)
    url = caldav_server.make_calendar()
    caldav_server.write_objects(
        url,
        {f"object{n}": item.ics for n, item in enumerate(objects_in(text))},
    )
    over_ics = reader(ics_server.publish("/secret/same.ics", text))
    over_caldav = backend(caldav_server)

    ics_result = over_ics.sync(CALENDAR_URL, SyncState(), WINDOW)
    caldav_result = over_caldav.sync(url, SyncState(), WINDOW)

    def busy(result) -> list[tuple[dt.datetime, dt.datetime]]:  # type: ignore[no-untyped-def]
        return sorted(span for events in result.changed.values() for span in ranges(events))

    def unreadable(result) -> set[tuple[UnreadableReason, str | None]]:  # type: ignore[no-untyped-def]
        return {(o.reason, o.summary) for o in result.unreadable.values()}

    assert busy(ics_result) == busy(caldav_result)
    assert busy(ics_result) == sorted(span for spans in EXPECTED_BUSY.values() for span in spans)
    # A time-range query may leave out what the server cannot place in time (Radicale:
    # 31 February, no start); the whole file holds them, and they are told all the same.
    told = {
        (UnreadableReason.BAD_DATE, "Hammaslääkäri"),
        (UnreadableReason.BAD_RULE, "Joka nollas viikko"),
        (UnreadableReason.TOO_FREQUENT, "Muistutus"),
        (UnreadableReason.NO_START, "Ei alkua"),
    }
    assert unreadable(caldav_result) <= unreadable(ics_result) == told
    live = sorted((r.start, r.end) for r in over_ics.free_busy([CALENDAR_URL], WINDOW))
    assert live == busy(ics_result)
    if caldav_server.kind == "xandikos":  # it fails time ranges while one object is broken
        with pytest.raises(CalendarError) as failed:
            over_caldav.free_busy([url], WINDOW)
        assert failed.value.problem is CalendarProblem.TIME_RANGE_FAILED
        assert caldav_result.live_from_changes and ics_result.live_from_changes
    else:
        assert live == sorted((r.start, r.end) for r in over_caldav.free_busy([url], WINDOW))
