"""The supervisor's calendar laid out: the week a calendar opens on, entries placed in
the time grid (overlaps side by side, a clock change keeping wall-clock hours), and
holidays named in each language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from service.domain.agenda import (
    GRID_FIRST_HOUR,
    QUARTERS,
    Entry,
    EntryKind,
    lay_out,
    place_in_grid,
    working_week_at_hand,
)
from service.domain.holidays_fi import holiday_names
from service.domain.intervals import Interval

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def test_the_week_at_hand_is_this_one_on_working_days_and_the_next_at_the_weekend() -> None:
    monday = dt.date(2027, 3, 1)
    for offset in range(5):
        assert working_week_at_hand(monday + dt.timedelta(days=offset)) == monday
    for offset in (5, 6):
        assert working_week_at_hand(monday + dt.timedelta(days=offset)) == dt.date(2027, 3, 8)


def test_entries_take_rows_by_quarter_hour_and_overlaps_take_lanes() -> None:
    day = dt.date(2027, 3, 2)
    session = Entry(EntryKind.SESSION, Interval(local(day, 9), local(day, 10, 30)))
    busy = Entry(EntryKind.BUSY, Interval(local(day, 10), local(day, 12)))
    later = Entry(EntryKind.SESSION, Interval(local(day, 13), local(day, 14)))
    (laid,) = lay_out([session, busy, later], [day], HELSINKI)
    placed, lanes = place_in_grid(laid)
    assert lanes == 2
    rows = [(p.row, p.rows, p.lane) for p in placed]
    first = (9 - GRID_FIRST_HOUR) * 4
    assert rows == [(first, 6, 0), (first + 4, 8, 1), (first + 16, 4, 0)]


def test_a_night_long_busy_time_is_held_inside_the_grid() -> None:
    day = dt.date(2027, 3, 2)
    night = Entry(EntryKind.BUSY, Interval(local(day, 22), local(day, 23, 30)))
    early = Entry(EntryKind.BUSY, Interval(local(day, 0), local(day, 7)))
    (laid,) = lay_out([night, early], [day], HELSINKI)
    placed, _lanes = place_in_grid(laid)
    assert [(p.row, p.rows) for p in placed] == [(0, 4), (QUARTERS - 1, 1)]


def test_the_spring_clock_change_keeps_wall_clock_hours() -> None:
    day = dt.date(2027, 3, 28)  # clocks go from 3.00 to 4.00 in Helsinki
    session = Entry(EntryKind.SESSION, Interval(local(day, 9), local(day, 10)))
    (laid,) = lay_out([session], [day], HELSINKI)
    (placed,), _lanes = place_in_grid(laid)
    assert placed.row == (9 - GRID_FIRST_HOUR) * 4 and placed.rows == 4


def test_holidays_are_named_in_each_language() -> None:
    days = [dt.date(2026, 12, 6), dt.date(2026, 12, 24), dt.date(2026, 12, 7)]
    assert holiday_names(days, "fi") == {
        dt.date(2026, 12, 6): "Itsenäisyyspäivä",
        dt.date(2026, 12, 24): "Jouluaatto",
    }
    assert holiday_names(days, "sv")[dt.date(2026, 12, 24)] == "Julafton"
    assert holiday_names(days, "en")[dt.date(2026, 12, 6)] == "Independence Day"
