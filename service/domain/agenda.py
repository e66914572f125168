"""A supervisor's week or month laid out by local day: sessions, busy time from their
own calendars, and the travel between places. Pure: instants in, local days out."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from zoneinfo import ZoneInfo

from service.domain.intervals import Interval
from service.domain.localtime import local_date
from service.domain.rules import Place

ONE_DAY = timedelta(days=1)


class EntryKind(StrEnum):
    SESSION = "session"
    BUSY = "busy"
    TRAVEL = "travel"


@dataclass(frozen=True)
class Entry:
    """One thing in the calendar; ``ref`` is what a page links to (a session's id)."""

    kind: EntryKind
    interval: Interval
    ref: object = None
    place: Place | None = None
    minutes: int = 0


@dataclass(frozen=True)
class DayEntry:
    entry: Entry
    starts: datetime
    ends: datetime


@dataclass(frozen=True)
class Day:
    on: date
    entries: tuple[DayEntry, ...]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_weeks(year: int, month: int) -> list[list[date]]:
    """The Monday-to-Sunday weeks that cover the month, days of other months included."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)


def travel_between(
    sessions: Sequence[Entry], zone: ZoneInfo, minutes: Callable[[Place, Place], int]
) -> list[Entry]:
    """The travel before each session from the previous session's place the same local
    day, drawn right before the session it leads to."""
    legs: list[Entry] = []
    ordered = sorted(sessions, key=lambda entry: entry.interval.start)
    for previous, following in pairwise(ordered):
        if local_date(previous.interval.start, zone) != local_date(following.interval.start, zone):
            continue
        if previous.place is None or following.place is None:
            continue
        needed = minutes(previous.place, following.place)
        if needed <= 0:
            continue
        start = max(previous.interval.end, following.interval.start - timedelta(minutes=needed))
        if start < following.interval.start:
            legs.append(
                Entry(
                    EntryKind.TRAVEL,
                    Interval(start, following.interval.start),
                    place=following.place,
                    minutes=needed,
                )
            )
    return legs


def lay_out(entries: Sequence[Entry], days: Sequence[date], zone: ZoneInfo) -> list[Day]:
    """Each day with the entries that touch it, cut to the day, in local time. A busy
    stretch over midnight shows on both days."""
    out = []
    for day in days:
        midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone)
        next_midnight = datetime.combine(day + ONE_DAY, datetime.min.time(), tzinfo=zone)
        touching = [
            DayEntry(
                entry,
                max(entry.interval.start.astimezone(zone), midnight),
                min(entry.interval.end.astimezone(zone), next_midnight),
            )
            for entry in entries
            if entry.interval.start < next_midnight and entry.interval.end > midnight
        ]
        touching.sort(key=lambda item: (item.starts, item.entry.kind != EntryKind.SESSION))
        out.append(Day(day, tuple(touching)))
    return out


# The hours a week's time grid shows; entries outside are drawn at its edge.
GRID_FIRST_HOUR = 6
GRID_LAST_HOUR = 22
QUARTERS = (GRID_LAST_HOUR - GRID_FIRST_HOUR) * 4


@dataclass(frozen=True)
class Placed:
    """An entry's place in a day's time grid: its first quarter-hour row (0 is
    GRID_FIRST_HOUR), how many rows it spans, and its lane among overlapping entries."""

    item: DayEntry
    row: int
    rows: int
    lane: int


def _quarter(moment: datetime, day: date) -> int:
    """Quarter hours from GRID_FIRST_HOUR on ``day`` to the local ``moment`` (wall-clock
    time, so a day of a clock change keeps its hours in place), within the grid."""
    minutes = 24 * 60 if moment.date() > day else moment.hour * 60 + moment.minute
    return min(max((minutes - GRID_FIRST_HOUR * 60) // 15, 0), QUARTERS)


def place_in_grid(day: Day) -> tuple[list[Placed], int]:
    """The day's entries in the time grid, and how many lanes its overlaps need. Each
    entry takes the first lane free at its start."""
    placed: list[Placed] = []
    lane_ends: list[int] = []
    for item in day.entries:
        row = min(_quarter(item.starts, day.on), QUARTERS - 1)
        end = max(_quarter(item.ends, day.on), row + 1)
        lane = next((i for i, free_from in enumerate(lane_ends) if free_from <= row), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        placed.append(Placed(item, row, end - row, lane))
    return placed, max(len(lane_ends), 1)


def working_week_at_hand(today: date) -> date:
    """The Monday of the week a calendar opens on: this week on working days, the coming
    one at the weekend, when this week's work is done."""
    return week_start(today + timedelta(days=2) if today.weekday() >= SATURDAY else today)


SATURDAY = 5
