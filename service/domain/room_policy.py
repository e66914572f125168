"""A room's own booking rules: bookable hours, how far ahead, how long.

The hours are local times of day in the organisation's zone. A reservation, set-up
time included, must lie inside the bookable hours of the local date it starts on (a
room without hours is open all day, midnight to midnight). The advance limit counts
from ``now`` to the session's start, and the length limit is the session's own length
(set-up time is the room's business, not the booker's).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from service.domain.errors import InvalidRequest
from service.domain.localtime import local_date, resolve_end, resolve_start

NO_SETUP = timedelta(0)


class RoomRule(enum.StrEnum):
    """A room rule a reservation breaks. Declaration order is report order."""

    OUTSIDE_HOURS = "outside_hours"
    TOO_FAR = "too_far"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class RoomPolicy:
    """``None`` where the room has no such rule."""

    zone: ZoneInfo
    bookable_from: time | None = None
    bookable_until: time | None = None
    max_advance_days: int | None = None
    max_length_minutes: int | None = None

    def __post_init__(self) -> None:
        if (
            self.bookable_from is not None
            and self.bookable_until is not None
            and self.bookable_from >= self.bookable_until
        ):
            raise InvalidRequest("a room's bookable hours must open before they close")
        for limit in (self.max_advance_days, self.max_length_minutes):
            if limit is not None and limit < 1:
                raise InvalidRequest("a room's advance and length limits must be positive")

    @property
    def has_hours(self) -> bool:
        return self.bookable_from is not None or self.bookable_until is not None

    def broken(
        self, start: datetime, end: datetime, now: datetime, setup: timedelta = NO_SETUP
    ) -> list[RoomRule]:
        """The rules ``[start, end)`` breaks, with ``setup`` before and after it."""
        found = []
        if self.has_hours:
            opens, closes = bookable_hours(
                local_date(start - setup, self.zone),
                self.zone,
                self.bookable_from,
                self.bookable_until,
            )
            if start - setup < opens or end + setup > closes:
                found.append(RoomRule.OUTSIDE_HOURS)
        if self.max_advance_days is not None and start > now + timedelta(
            days=self.max_advance_days
        ):
            found.append(RoomRule.TOO_FAR)
        if self.max_length_minutes is not None and end - start > timedelta(
            minutes=self.max_length_minutes
        ):
            found.append(RoomRule.TOO_LONG)
        return found

    def admits(
        self, start: datetime, end: datetime, now: datetime, setup: timedelta = NO_SETUP
    ) -> bool:
        return not self.broken(start, end, now, setup)


@lru_cache(maxsize=4096)
def bookable_hours(
    day: date, zone: ZoneInfo, opens: time | None, closes: time | None
) -> tuple[datetime, datetime]:
    """UTC bounds of ``day``'s bookable hours (missing ends: local midnights). A wall
    time skipped by a DST change means the end of the gap; one occurring twice means
    the earlier reading when opening and the later when closing."""
    start = resolve_start(datetime.combine(day, opens or time(0)), zone)
    if closes is None:
        end = resolve_start(datetime.combine(day + timedelta(days=1), time(0)), zone)
    else:
        end = resolve_end(datetime.combine(day, closes), zone)
    return start, end
