"""Reading calendar objects without a server: what cannot be read is told by its reason
(and its title, when readable), and no repeat rule can hold the reader in a loop."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import pytest

from service.backends import UnreadableReason
from service.plugin_kit.calendar_objects import MalformedObject, busy_in
from tests.calendars.helpers import WINDOW, vevent

HELSINKI = ZoneInfo("Europe/Helsinki")
START = ("DTSTART:20270310T100000Z", "DURATION:PT1H")


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (("DTSTART:20270231T100000Z", "DURATION:PT1H"), UnreadableReason.BAD_DATE),
        (("DTSTART;VALUE=DATE:20270231",), UnreadableReason.BAD_DATE),
        (("DTSTART:20270310T100000Z", "DTEND:20270231T100000Z"), UnreadableReason.BAD_DATE),
        (
            (*START, "RRULE:FREQ=WEEKLY;COUNT=3", "EXDATE:20270231T100000Z"),
            UnreadableReason.BAD_DATE,
        ),
        (("DTSTART:20270310T100000Z", "DURATION:P1X"), UnreadableReason.BAD_DURATION),
        ((*START, "RRULE:FREQ=SOMETIMES"), UnreadableReason.BAD_RULE),
        ((*START, "RRULE:FREQ=WEEKLY;BYDAY=XX"), UnreadableReason.BAD_RULE),
        ((*START, "RRULE:FREQ=WEEKLY;UNTIL=20270231T000000Z"), UnreadableReason.BAD_RULE),
        ((*START, "RRULE:FREQ=WEEKLY;INTERVAL=0"), UnreadableReason.BAD_RULE),
        ((*START, "RRULE:FREQ=MINUTELY"), UnreadableReason.TOO_FREQUENT),
        ((*START, "RRULE:FREQ=SECONDLY"), UnreadableReason.TOO_FREQUENT),
        (
            ("DTSTART:20000310T100000Z", "DURATION:PT10M", "RRULE:FREQ=HOURLY"),
            UnreadableReason.TOO_FREQUENT,
        ),
        (("DURATION:PT1H",), UnreadableReason.NO_START),
    ],
)
def test_an_unreadable_object_is_told_by_its_reason_and_title(
    lines: tuple[str, ...], reason: UnreadableReason
) -> None:
    started = time.monotonic()
    with pytest.raises(MalformedObject) as caught:
        busy_in(vevent("x", *lines), WINDOW, HELSINKI)
    assert caught.value.reason is reason
    assert caught.value.summary == "Oma"  # the helper's title, readable all the same
    assert "Oma" not in str(caught.value)  # the message goes to logs: no content
    assert time.monotonic() - started < 2  # refused before any long expansion


def test_text_that_is_not_icalendar_has_no_title() -> None:
    with pytest.raises(MalformedObject) as caught:
        busy_in("tämä ei ole kalenteri", WINDOW, HELSINKI)
    assert caught.value.reason is UnreadableReason.NOT_ICALENDAR
    assert caught.value.summary is None


def test_rules_that_repeat_often_but_end_are_read() -> None:
    hourly = vevent("x", "DTSTART:20270301T080000Z", "DURATION:PT15M", "RRULE:FREQ=HOURLY;COUNT=10")
    daily = vevent("y", "DTSTART:19900101T080000Z", "DURATION:PT15M", "RRULE:FREQ=DAILY")
    assert len(busy_in(hourly, WINDOW, HELSINKI)[1]) == 10
    assert len(busy_in(daily, WINDOW, HELSINKI)[1]) == (WINDOW.end - WINDOW.start).days
