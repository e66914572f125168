"""The days a supervision calendar finds hardest, and what every offered time must be
on any of them. `hard_day` moves the test's clock to each in turn."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from service.domain.holidays_fi import finnish_holidays_between
from tests.builders import helsinki

HELSINKI = ZoneInfo("Europe/Helsinki")
NOTICE = dt.timedelta(hours=24)
FREE_UNTIL = dt.timedelta(hours=48)
MIN_GAP = dt.timedelta(days=7)
HOUR = dt.timedelta(hours=1)
WEEK = dt.timedelta(weeks=1)
ENGLISH = {"Accept-Language": "en"}

HARD_DAYS = {
    # The Christmas weeks, Epiphany and the turn of the year all lie ahead.
    "1-december": helsinki(2026, 12, 1, 9),
    # The year turns inside the booking window; Epiphany on the first Wednesday.
    "28-december": helsinki(2026, 12, 28, 15, 30),
    # Clocks go forward on Sunday 28 March 2027: 03:00 does not exist.
    "before-spring-forward": helsinki(2027, 3, 22, 10),
    # Midsummer Eve is Friday 25 June 2027.
    "before-midsummer": helsinki(2027, 6, 18, 12),
    # A month end, late in the evening: the day turns during the journey.
    "31-august": helsinki(2027, 8, 31, 23, 40),
    # Clocks go back on Sunday 31 October 2027: 03:00-04:00 happens twice.
    "before-fall-back": helsinki(2027, 10, 25, 8),
    # A leap year: the day after is 29 February.
    "28-february-leap-year": helsinki(2028, 2, 28, 10),
}


@pytest.fixture(name="hard_day", params=list(HARD_DAYS), ids=list(HARD_DAYS))
def fixture_hard_day(
    request: pytest.FixtureRequest, service_clock: time_machine.Traveller
) -> dt.datetime:
    """The test runs on each hard day in turn, its clock running on from there."""
    service_clock.move_to(HARD_DAYS[request.param])
    return HARD_DAYS[request.param]


def assert_bookable(
    start: dt.datetime, now: dt.datetime, minutes: int = 90, notice: dt.timedelta = NOTICE
) -> None:
    """What every offered time must be, whatever the day: a working day in Helsinki,
    inside 8-16 local time, on the half hour, far enough ahead."""
    local = start.astimezone(HELSINKI)
    end = (start + dt.timedelta(minutes=minutes)).astimezone(HELSINKI)
    day = local.date()
    assert day.weekday() < 5, f"{local} is a weekend"
    assert day not in finnish_holidays_between(day, day), f"{local} is a holiday"
    assert dt.time(8) <= local.time() and end.time() <= dt.time(16), f"{local} is out of hours"
    assert end.date() == day, f"{local} runs into the next day"
    assert local.minute in (0, 30), f"{local} is off the grid"
    assert start >= now + notice, f"{local} is inside the notice"
