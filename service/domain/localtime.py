"""Local wall-clock time ↔ UTC, with daylight-saving edges handled explicitly.

Two kinds of awkward local times exist (PEP 495):

* **non-existent** (spring forward; Europe/Helsinki, last Sunday of March,
  03:00–03:59 is skipped). Detected with the round trip
  ``aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive``.
  Such a time is never offered as a slot start; as a boundary of a working range
  it is clipped to the existing part, i.e. moved to the transition instant
  (:func:`gap_end`).
* **ambiguous** (fall back; Helsinki, last Sunday of October, 03:00–03:59 occurs
  twice). Resolved explicitly, never left to ``fold``'s default:

  - a range **start** takes the earlier occurrence (``fold=0``) and a range **end**
    the later one (``fold=1``): a range then runs from the first moment the clock
    shows its start to the last moment the clock shows its end, the reading a
    person gives to "I work until 03:30" on that night;
  - a slot **label** (a grid time such as 03:00) takes the earlier occurrence, so
    every wall-clock label is offered once and a client never sees "03:00" twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_SECOND = timedelta(seconds=1)
_LAST_INSTANT = time(23, 59, 59, 999999)

# Instants a person may give: far enough for any process, near enough that no date
# arithmetic on them (a day's window around a chosen time) overflows.
EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2200, 1, 1, tzinfo=UTC)


def parse_instant(text: str | None) -> datetime | None:
    """An instant as posted (ISO 8601 with its offset) between the years 2000 and
    2200; None for anything else, a time without an offset included."""
    try:
        parsed = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed if EARLIEST_INSTANT <= parsed <= LATEST_INSTANT else None


def zone_of(zone: ZoneInfo | str) -> ZoneInfo:
    """Accept an IANA name or a ZoneInfo."""
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)


def _aware(naive: datetime, zone: ZoneInfo, fold: int) -> datetime:
    return naive.replace(tzinfo=zone, fold=fold)


def is_nonexistent(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time is skipped by a transition (spring forward)."""
    aware = _aware(naive, zone, 0)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive


def is_ambiguous(naive: datetime, zone: ZoneInfo) -> bool:
    """True when the wall-clock time occurs twice (fall back)."""
    if is_nonexistent(naive, zone):
        return False
    return _aware(naive, zone, 0).utcoffset() != _aware(naive, zone, 1).utcoffset()


def gap_end(naive: datetime, zone: ZoneInfo) -> datetime:
    """For a non-existent wall time, the UTC instant at which its gap ends.

    The two ``fold`` readings bracket the transition; bisect to the second.
    """
    readings = sorted(_aware(naive, zone, fold).astimezone(UTC) for fold in (0, 1))
    low, high = readings  # offset(low) is the old one, offset(high) the new one
    new_offset = high.astimezone(zone).utcoffset()
    while high - low > _SECOND:
        middle = low + ((high - low) // _SECOND // 2) * _SECOND
        if middle.astimezone(zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return high


def _resolve(naive: datetime, zone: ZoneInfo, fold: int) -> datetime | None:
    utc = _aware(naive, zone, fold).astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != naive:
        return None  # non-existent
    return utc


def resolve_start(naive: datetime, zone: ZoneInfo) -> datetime:
    """UTC instant for a range start: ambiguous → earlier; non-existent → end of the gap."""
    resolved = _resolve(naive, zone, 0)
    return resolved if resolved is not None else gap_end(naive, zone)


def resolve_end(naive: datetime, zone: ZoneInfo) -> datetime:
    """UTC instant for a range end: ambiguous → later; non-existent → end of the gap."""
    resolved = _resolve(naive, zone, 1)
    return resolved if resolved is not None else gap_end(naive, zone)


def resolve_label(naive: datetime, zone: ZoneInfo) -> datetime | None:
    """UTC instant for a slot label: ambiguous → earlier; non-existent → None (not offered)."""
    return _resolve(naive, zone, 0)


def day_offset(day: date, zone: ZoneInfo) -> timedelta | None:
    """The zone's UTC offset if it is the same all through the local ``day``, else None.

    None means a transition happens that day and callers must take the slow, exact path.
    (Compares the day's first and last instants; no zone changes offset twice in a day.)
    """
    first = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
    last = datetime.combine(day, _LAST_INSTANT, tzinfo=zone).replace(fold=1).utcoffset()
    return first if first == last else None


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The local calendar date of an aware instant."""
    return instant.astimezone(zone).date()


def iso_week(day: date) -> tuple[int, int]:
    """(ISO year, ISO week) of a local date."""
    iso = day.isocalendar()
    return iso.year, iso.week


def is_on_grid(instant: datetime, zone: ZoneInfo, step_minutes: int) -> bool:
    """Is the instant a slot label: local time on the step grid from local midnight,
    and the first occurrence if the wall time repeats (see module docstring)?"""
    local = instant.astimezone(zone)
    if local.second or local.microsecond or local.fold:
        return False
    return (local.hour * 60 + local.minute) % step_minutes == 0
