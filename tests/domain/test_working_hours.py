from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from service.domain.errors import InvalidWorkingHours
from service.domain.intervals import Interval
from service.domain.working_hours import (
    DateOverride,
    LocalRange,
    OverrideKind,
    WorkingHours,
    local_dates,
)
from tests.domain.helpers import HELSINKI, TOKYO, utc, weekday_hours

MONDAY = date(2026, 1, 12)


class TestValidation:
    def test_range_must_be_ordered_and_naive(self):
        with pytest.raises(InvalidWorkingHours):
            LocalRange(time(17), time(9))
        with pytest.raises(InvalidWorkingHours):
            LocalRange(time(9), time(9))
        with pytest.raises(InvalidWorkingHours):
            LocalRange(time(9, tzinfo=HELSINKI), time(10))

    def test_weekday_keys(self):
        with pytest.raises(InvalidWorkingHours):
            WorkingHours.build(HELSINKI, {7: [(time(9), time(10))]})

    def test_overrides_must_fit_their_kind(self):
        with pytest.raises(InvalidWorkingHours):
            DateOverride(OverrideKind.OFF, (LocalRange(time(9), time(10)),))
        with pytest.raises(InvalidWorkingHours):
            DateOverride(OverrideKind.REPLACE)

    def test_build_accepts_a_zone_name(self):
        hours = WorkingHours.build("Asia/Tokyo", {0: [(time(9), time(10))]})
        assert hours.zone == TOKYO
        assert hours.weekly[0] == (LocalRange(time(9), time(10)),)
        assert hours.weekly[1] == ()


class TestOverrides:
    hours = weekday_hours(
        overrides={
            MONDAY: DateOverride.off(),
            MONDAY + timedelta(days=1): DateOverride.replace((time(12), time(14))),
            MONDAY + timedelta(days=2): DateOverride.extra((time(18), time(20))),
            MONDAY + timedelta(days=5): DateOverride.replace((time(10), time(12))),  # Saturday
        }
    )

    def test_ranges_on(self):
        assert self.hours.ranges_on(MONDAY) == ()
        assert self.hours.is_day_off(MONDAY)
        assert self.hours.ranges_on(MONDAY + timedelta(days=1)) == (LocalRange(time(12), time(14)),)
        assert self.hours.ranges_on(MONDAY + timedelta(days=2)) == (
            LocalRange(time(9), time(17)),
            LocalRange(time(18), time(20)),
        )
        assert self.hours.ranges_on(MONDAY + timedelta(days=3)) == (LocalRange(time(9), time(17)),)
        assert self.hours.ranges_on(MONDAY + timedelta(days=5)) == (LocalRange(time(10), time(12)),)
        assert self.hours.ranges_on(MONDAY + timedelta(days=6)) == ()
        assert not self.hours.is_day_off(MONDAY + timedelta(days=6))

    def test_to_utc_applies_overrides_and_holidays(self):
        week = self.hours.to_utc(MONDAY, MONDAY + timedelta(days=6), holidays={date(2026, 1, 15)})
        assert week == [
            Interval(utc(2026, 1, 13, 10), utc(2026, 1, 13, 12)),
            Interval(utc(2026, 1, 14, 7), utc(2026, 1, 14, 15)),
            Interval(utc(2026, 1, 14, 16), utc(2026, 1, 14, 18)),
            Interval(utc(2026, 1, 16, 7), utc(2026, 1, 16, 15)),
            Interval(utc(2026, 1, 17, 8), utc(2026, 1, 17, 10)),
        ]


def test_touching_ranges_merge():
    hours = WorkingHours.build(HELSINKI, {0: [(time(12), time(16)), (time(8), time(12))]})
    assert hours.intervals_on(MONDAY) == [Interval(utc(2026, 1, 12, 6), utc(2026, 1, 12, 14))]


def test_winter_and_summer_offsets():
    hours = weekday_hours()
    assert hours.intervals_on(date(2026, 1, 12)) == [
        Interval(utc(2026, 1, 12, 7), utc(2026, 1, 12, 15))
    ]
    assert hours.intervals_on(date(2026, 7, 13)) == [
        Interval(utc(2026, 7, 13, 6), utc(2026, 7, 13, 14))
    ]


def test_the_weekend_of_each_change_shifts_utc_by_one_hour():
    hours = weekday_hours()
    spring = hours.to_utc(date(2026, 3, 27), date(2026, 3, 30))
    assert spring == [
        Interval(utc(2026, 3, 27, 7), utc(2026, 3, 27, 15)),  # Friday, EET
        Interval(utc(2026, 3, 30, 6), utc(2026, 3, 30, 14)),  # Monday, EEST
    ]
    autumn = hours.to_utc(date(2026, 10, 23), date(2026, 10, 26))
    assert autumn == [
        Interval(utc(2026, 10, 23, 6), utc(2026, 10, 23, 14)),  # Friday, EEST
        Interval(utc(2026, 10, 26, 7), utc(2026, 10, 26, 15)),  # Monday, EET
    ]


class TestSpringForwardDay:
    """2026-03-29 in Helsinki: 03:00-03:59 local does not exist."""

    day = date(2026, 3, 29)

    def hours(self, start: time, end: time) -> WorkingHours:
        return WorkingHours.build(HELSINKI, {}, {self.day: DateOverride.replace((start, end))})

    def test_range_across_the_gap_is_one_real_hour_shorter(self):
        # 02:00 EET (00:00 UTC) to 06:00 EEST (03:00 UTC): 3 real hours
        assert self.hours(time(2), time(6)).intervals_on(self.day) == [
            Interval(utc(2026, 3, 29, 0), utc(2026, 3, 29, 3))
        ]

    def test_start_in_the_gap_is_clipped_forward(self):
        assert self.hours(time(3, 30), time(6)).intervals_on(self.day) == [
            Interval(utc(2026, 3, 29, 1), utc(2026, 3, 29, 3))
        ]

    def test_end_in_the_gap_is_clipped_back(self):
        assert self.hours(time(1), time(3, 30)).intervals_on(self.day) == [
            Interval(utc(2026, 3, 28, 23), utc(2026, 3, 29, 1))
        ]

    def test_range_inside_the_gap_vanishes(self):
        assert self.hours(time(3), time(3, 45)).intervals_on(self.day) == []


class TestFallBackDay:
    """2026-10-25 in Helsinki: 03:00-03:59 local happens twice."""

    day = date(2026, 10, 25)

    def hours(self, start: time, end: time) -> WorkingHours:
        return WorkingHours.build(HELSINKI, {}, {self.day: DateOverride.replace((start, end))})

    def test_range_across_the_repeat_is_one_real_hour_longer(self):
        # 02:00 EEST (23:00 UTC the day before) to 05:00 EET (03:00 UTC): 4 real hours
        assert self.hours(time(2), time(5)).intervals_on(self.day) == [
            Interval(utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))
        ]

    def test_ambiguous_start_takes_the_first_occurrence(self):
        assert self.hours(time(3, 30), time(5)).intervals_on(self.day) == [
            Interval(utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 3))
        ]

    def test_ambiguous_end_takes_the_last_occurrence(self):
        assert self.hours(time(1), time(3, 30)).intervals_on(self.day) == [
            Interval(utc(2026, 10, 24, 22), utc(2026, 10, 25, 1, 30))
        ]


def test_local_dates_are_inclusive_plain_dates():
    days = list(local_dates(date(2026, 3, 28), date(2026, 3, 30)))
    assert days == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    assert list(local_dates(date(2026, 3, 30), date(2026, 3, 28))) == []
