"""The DST primitives, on the 2026 changes in Europe/Helsinki (29 March, 25 October)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from service.domain.localtime import (
    day_offset,
    gap_end,
    is_ambiguous,
    is_nonexistent,
    is_on_grid,
    iso_week,
    local_date,
    resolve_end,
    resolve_label,
    resolve_start,
)
from tests.domain.helpers import HELSINKI, NEW_YORK, TOKYO, utc

SPRING = date(2026, 3, 29)  # 03:00-03:59 does not exist (EET +2 -> EEST +3 at 01:00 UTC)
AUTUMN = date(2026, 10, 25)  # 03:00-03:59 happens twice (EEST +3 -> EET +2 at 01:00 UTC)


def wall(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.mark.parametrize(
    ("naive", "nonexistent", "ambiguous"),
    [
        (wall(SPRING, 2, 59), False, False),
        (wall(SPRING, 3, 0), True, False),
        (wall(SPRING, 3, 30), True, False),
        (wall(SPRING, 4, 0), False, False),
        (wall(AUTUMN, 2, 59), False, False),
        (wall(AUTUMN, 3, 0), False, True),
        (wall(AUTUMN, 3, 59), False, True),
        (wall(AUTUMN, 4, 0), False, False),
        (wall(date(2026, 6, 1), 3, 30), False, False),
    ],
)
def test_classifies_wall_times(naive, nonexistent, ambiguous):
    assert is_nonexistent(naive, HELSINKI) is nonexistent
    assert is_ambiguous(naive, HELSINKI) is ambiguous


def test_gap_end_is_the_transition_instant():
    for minute in (0, 1, 30, 59):
        assert gap_end(wall(SPRING, 3, minute), HELSINKI) == utc(2026, 3, 29, 1)
    # New York springs forward at 02:00 local = 07:00 UTC on 8 March 2026
    assert gap_end(datetime(2026, 3, 8, 2, 30), NEW_YORK) == utc(2026, 3, 8, 7)


def test_nonexistent_boundaries_are_clipped_to_the_transition():
    assert resolve_start(wall(SPRING, 3, 30), HELSINKI) == utc(2026, 3, 29, 1)
    assert resolve_end(wall(SPRING, 3, 30), HELSINKI) == utc(2026, 3, 29, 1)
    assert resolve_label(wall(SPRING, 3, 30), HELSINKI) is None  # never offered


def test_ambiguous_start_is_earlier_end_is_later_label_is_earlier():
    naive = wall(AUTUMN, 3, 30)
    assert resolve_start(naive, HELSINKI) == utc(2026, 10, 25, 0, 30)  # 03:30 EEST (+3)
    assert resolve_end(naive, HELSINKI) == utc(2026, 10, 25, 1, 30)  # 03:30 EET (+2)
    assert resolve_label(naive, HELSINKI) == utc(2026, 10, 25, 0, 30)


def test_ordinary_times_resolve_the_same_every_way():
    naive = wall(date(2026, 1, 15), 9)
    assert resolve_start(naive, HELSINKI) == resolve_end(naive, HELSINKI) == utc(2026, 1, 15, 7)
    assert resolve_label(naive, HELSINKI) == utc(2026, 1, 15, 7)


def test_day_offset_is_none_only_on_transition_days():
    assert day_offset(SPRING, HELSINKI) is None
    assert day_offset(AUTUMN, HELSINKI) is None
    assert day_offset(date(2026, 3, 28), HELSINKI) == timedelta(hours=2)
    assert day_offset(date(2026, 3, 30), HELSINKI) == timedelta(hours=3)
    assert day_offset(date(2026, 3, 29), TOKYO) == timedelta(hours=9)


def test_grid_takes_the_first_occurrence_of_a_repeated_label():
    first = utc(2026, 10, 25, 0)  # 03:00 EEST
    second = utc(2026, 10, 25, 1)  # 03:00 EET, same wall clock
    assert first.astimezone(HELSINKI).hour == second.astimezone(HELSINKI).hour == 3
    assert is_on_grid(first, HELSINKI, 30)
    assert not is_on_grid(second, HELSINKI, 30)
    assert not is_on_grid(utc(2026, 10, 25, 6, 15), HELSINKI, 30)
    assert not is_on_grid(utc(2026, 10, 25, 6, 0) + timedelta(seconds=1), HELSINKI, 30)
    assert is_on_grid(utc(2026, 10, 25, 6, 15), HELSINKI, 15)


def test_local_date_and_iso_week():
    late_sunday = utc(2026, 3, 29, 21, 30)  # 00:30 Monday in Helsinki
    assert local_date(late_sunday, HELSINKI) == date(2026, 3, 30)
    assert iso_week(date(2026, 3, 30)) == (2026, 14)
    assert iso_week(date(2027, 1, 1)) == (2026, 53)
