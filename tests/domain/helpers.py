"""Small builders shared by the domain tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.domain.intervals import Interval
from service.domain.rules import Place, PlaceKind
from service.domain.working_hours import DateOverride, WorkingHours

HELSINKI = ZoneInfo("Europe/Helsinki")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")

OFFICE = Place(PlaceKind.OFFICE, "office-1")
CLIENT_A = Place(PlaceKind.CLIENT_PREMISES, "org-a")
CLIENT_B = Place(PlaceKind.CLIENT_PREMISES, "org-b")
REMOTE = Place.remote()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(
    year: int,
    month: int,
    day: int,
    hour: int = 0,
    minute: int = 0,
    zone: ZoneInfo = HELSINKI,
    fold: int = 0,
) -> datetime:
    """An aware local time (for instants that exist; use for readable expectations)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone, fold=fold)


def interval(start: datetime, minutes: int) -> Interval:
    return Interval(start, start + timedelta(minutes=minutes))


def weekday_hours(
    start: time = time(9),
    end: time = time(17),
    zone: ZoneInfo = HELSINKI,
    overrides: Mapping[date, DateOverride] | None = None,
) -> WorkingHours:
    """Monday to Friday ``start``-``end`` in ``zone``."""
    return WorkingHours.build(zone, {day: [(start, end)] for day in range(5)}, overrides)


def local_hm(instant: datetime, zone: ZoneInfo = HELSINKI) -> tuple[date, int, int]:
    """(local date, hour, minute) of an instant: a compact way to assert wall-clock times."""
    moment = instant.astimezone(zone)
    return moment.date(), moment.hour, moment.minute
