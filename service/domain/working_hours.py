"""Weekly working hours in the supervisor's zone, date overrides, and their UTC intervals.

UTC intervals are generated from local *dates*: each date is combined with its local
times and resolved in the zone (see :mod:`service.domain.localtime` for the DST
rules). Nothing here adds ``timedelta(days=1)`` to an aware datetime.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

from service.domain.errors import InvalidWorkingHours
from service.domain.intervals import Interval, merge
from service.domain.localtime import day_offset, resolve_end, resolve_start, zone_of

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class LocalRange:
    """A wall-clock range ``[start, end)`` within one local day (naive times)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise InvalidWorkingHours("working hours are local wall-clock times, without tzinfo")
        if not self.start < self.end:
            raise InvalidWorkingHours(
                f"a working range must start before it ends: {self.start}-{self.end}"
            )

    @classmethod
    def of(cls, value: LocalRange | tuple[time, time]) -> LocalRange:
        return value if isinstance(value, LocalRange) else cls(*value)


RangeLike = LocalRange | tuple[time, time]


class OverrideKind(StrEnum):
    OFF = "off"  # no work that date
    REPLACE = "replace"  # these ranges instead of the weekday's
    EXTRA = "extra"  # these ranges in addition to the weekday's


@dataclass(frozen=True)
class DateOverride:
    kind: OverrideKind
    ranges: tuple[LocalRange, ...] = ()

    def __post_init__(self) -> None:
        if self.kind is OverrideKind.OFF and self.ranges:
            raise InvalidWorkingHours("an 'off' override has no ranges")
        if self.kind is not OverrideKind.OFF and not self.ranges:
            raise InvalidWorkingHours(f"a '{self.kind}' override needs at least one range")

    @classmethod
    def off(cls) -> DateOverride:
        return cls(OverrideKind.OFF)

    @classmethod
    def replace(cls, *ranges: RangeLike) -> DateOverride:
        return cls(OverrideKind.REPLACE, tuple(LocalRange.of(r) for r in ranges))

    @classmethod
    def extra(cls, *ranges: RangeLike) -> DateOverride:
        return cls(OverrideKind.EXTRA, tuple(LocalRange.of(r) for r in ranges))


@dataclass(frozen=True)
class WorkingHours:
    """Weekly local ranges (index 0 = Monday … 6 = Sunday) plus per-date overrides.

    Build with :meth:`build` from plain mappings.
    """

    zone: ZoneInfo
    weekly: tuple[tuple[LocalRange, ...], ...]
    overrides: tuple[tuple[date, DateOverride], ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.zone, ZoneInfo):
            raise InvalidWorkingHours("zone must be a ZoneInfo (use WorkingHours.build)")
        if len(self.weekly) != 7:
            raise InvalidWorkingHours("weekly hours need exactly 7 weekdays (Monday first)")
        days = [day for day, _ in self.overrides]
        if len(set(days)) != len(days):
            raise InvalidWorkingHours("one override per date")

    @classmethod
    def build(
        cls,
        zone: ZoneInfo | str,
        weekly: Mapping[int, Iterable[RangeLike]],
        overrides: Mapping[date, DateOverride] | None = None,
    ) -> WorkingHours:
        if any(weekday not in range(7) for weekday in weekly):
            raise InvalidWorkingHours("weekdays are 0 (Monday) to 6 (Sunday)")
        normalized = tuple(
            tuple(sorted(LocalRange.of(r) for r in weekly.get(weekday, ()))) for weekday in range(7)
        )
        return cls(
            zone=zone_of(zone),
            weekly=normalized,
            overrides=tuple(sorted((overrides or {}).items())),
        )

    @cached_property
    def _override_map(self) -> dict[date, DateOverride]:
        return dict(self.overrides)

    def override_for(self, day: date) -> DateOverride | None:
        return self._override_map.get(day)

    def is_day_off(self, day: date) -> bool:
        """True when an override says the supervisor does not work that date."""
        override = self._override_map.get(day)
        return override is not None and override.kind is OverrideKind.OFF

    def ranges_on(self, day: date) -> tuple[LocalRange, ...]:
        """Local ranges that apply on ``day`` after its override (holidays not applied)."""
        weekly = self.weekly[day.weekday()]
        override = self._override_map.get(day)
        if override is None:
            return weekly
        if override.kind is OverrideKind.OFF:
            return ()
        if override.kind is OverrideKind.REPLACE:
            return tuple(sorted(override.ranges))
        return tuple(sorted(weekly + override.ranges))

    def intervals_on(self, day: date) -> list[Interval]:
        """UTC intervals of ``day``'s working time, merged; DST edges per ``localtime``."""
        ranges = self.ranges_on(day)
        if not ranges:
            return []
        offset = day_offset(day, self.zone)
        pieces: list[Interval] = []
        for local_range in ranges:
            naive_start = datetime.combine(day, local_range.start)
            naive_end = datetime.combine(day, local_range.end)
            if offset is not None:  # no transition today: one constant offset
                start = naive_start.replace(tzinfo=UTC) - offset
                end = naive_end.replace(tzinfo=UTC) - offset
            else:
                start = resolve_start(naive_start, self.zone)
                end = resolve_end(naive_end, self.zone)
            if start < end:  # a range wholly inside a DST gap vanishes
                pieces.append(Interval._trusted(start, end))
        return merge(pieces)

    def to_utc(
        self, first: date, last: date, holidays: Iterable[date] | None = None
    ) -> list[Interval]:
        """Working time for local dates ``first``..``last`` (inclusive) as merged UTC
        intervals, leaving out holidays and days off."""
        closed = frozenset(holidays or ())
        pieces: list[Interval] = []
        for day in local_dates(first, last):
            if day not in closed:
                pieces.extend(self.intervals_on(day))
        return merge(pieces)


def local_dates(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive (plain dates, no time zone involved)."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY
