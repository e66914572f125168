from __future__ import annotations

from datetime import date

import holidays
import pytest

from service.domain import holidays_fi
from service.domain.holidays_fi import (
    christmas_eve,
    finnish_holidays,
    finnish_holidays_between,
    midsummer_eve,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2026, date(2026, 6, 19)), (2027, date(2027, 6, 25)), (2028, date(2028, 6, 23))],
)
def test_midsummer_eve_is_the_friday_between_19_and_25_june(year, expected):
    eve = midsummer_eve(year)
    assert eve == expected
    assert eve.weekday() == 4
    assert 19 <= eve.day <= 25


def test_ordinary_public_holidays_are_there():
    days = finnish_holidays([2026])
    assert {
        date(2026, 1, 1),
        date(2026, 1, 6),
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 14),  # Ascension Day
        date(2026, 6, 20),  # Midsummer Day
        date(2026, 12, 6),
        date(2026, 12, 25),
        date(2026, 12, 26),
    } <= days
    assert date(2026, 3, 30) not in days


@pytest.mark.parametrize("christmas_eve_off", [True, False])
@pytest.mark.parametrize("midsummer_eve_off", [True, False])
def test_the_two_eves_follow_their_settings(christmas_eve_off, midsummer_eve_off):
    days = finnish_holidays(
        [2026, 2027],
        christmas_eve_off=christmas_eve_off,
        midsummer_eve_off=midsummer_eve_off,
    )
    for year in (2026, 2027):
        assert (christmas_eve(year) in days) is christmas_eve_off
        assert (midsummer_eve(year) in days) is midsummer_eve_off
        # the days themselves stay off either way
        assert date(year, 12, 25) in days
        assert date(year, 6, 20 if year == 2026 else 26) in days


def test_the_installed_package_lists_the_eves_and_we_can_remove_them():
    package = holidays.country_holidays("FI", years=2026)
    assert date(2026, 12, 24) in package  # true for holidays >= 0.6x; we remove it on demand
    assert date(2026, 12, 24) not in finnish_holidays([2026], christmas_eve_off=False)


def test_the_eves_are_added_when_the_package_lacks_them(monkeypatch):
    """Older `holidays` releases did not list the eves: the settings still hold."""
    real = holidays.country_holidays

    def without_eves(country, years):
        found = real(country, years=years)
        return {
            day: name
            for day, name in found.items()
            if (day.month, day.day) != (12, 24) and day != midsummer_eve(day.year)
        }

    monkeypatch.setattr(holidays_fi.holidays, "country_holidays", without_eves)
    assert date(2026, 12, 24) in finnish_holidays([2026])
    assert date(2026, 6, 19) in finnish_holidays([2026])
    assert date(2026, 12, 24) not in finnish_holidays([2026], christmas_eve_off=False)
    assert date(2026, 6, 19) not in finnish_holidays([2026], midsummer_eve_off=False)


def test_between_filters_to_the_range_and_spans_years():
    days = finnish_holidays_between(date(2026, 12, 20), date(2027, 1, 10))
    assert days == {
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 26),
        date(2027, 1, 1),
        date(2027, 1, 6),
    }
