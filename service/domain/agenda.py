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
