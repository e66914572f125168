"""Bookable slots and their rendering in a viewer's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from service.domain.intervals import Interval
from service.domain.localtime import zone_of


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """A bookable ``[start, end)`` in UTC, with the rooms free for it (if rooms matter)."""

    start: datetime
    end: datetime
    room_ids: tuple[str, ...] = ()

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class LocalSlot:
    """The same instants as a slot, rendered in one zone (for display only)."""

    start: datetime
    end: datetime
    zone: str
    room_ids: tuple[str, ...] = ()


def to_zone(slot: Slot | Interval, zone: ZoneInfo | str) -> LocalSlot:
    """Render a slot's instants in ``zone`` (e.g. a client abroad); instants are unchanged."""
    info = zone_of(zone)
    room_ids = slot.room_ids if isinstance(slot, Slot) else ()
    return LocalSlot(
        start=slot.start.astimezone(info),
        end=slot.end.astimezone(info),
        zone=info.key,
        room_ids=room_ids,
    )
