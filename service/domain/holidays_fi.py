"""Finnish public holidays, with Christmas Eve and Midsummer Eve as settings.

Recent ``holidays`` releases (0.108 here) already list Christmas Eve (jouluaatto) and
Midsummer Eve (juhannusaatto) among Finland's public holidays; older ones did not.
So both eves are computed here and added or removed according to the two booleans,
whatever the installed version says. No other Finnish public holiday can fall on
24 December or on the Friday between 19 and 25 June, so removing those dates removes
only the eves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

FRIDAY = 4
SATURDAY = 5


def midsummer_eve(year: int) -> date:
    """Juhannusaatto: the Friday between 19 and 25 June."""
    first = date(year, 6, 19)
    return first + timedelta(days=(FRIDAY - first.weekday()) % 7)


def christmas_eve(year: int) -> date:
    return date(year, 12, 24)


def finnish_holidays(
    years: Iterable[int], *, christmas_eve_off: bool = True, midsummer_eve_off: bool = True
) -> set[date]:
    """Dates that are days off in Finland for ``years``."""
    days: set[date] = set()
    for year in set(years):
        days |= _year(year, christmas_eve_off, midsummer_eve_off)
    return days


@lru_cache(maxsize=64)
def _year(year: int, christmas_eve_off: bool, midsummer_eve_off: bool) -> frozenset[date]:
    """One year's days off; cached, since every slot search asks (the law changes rarely,
    and a new package version means a new process)."""
    days = set(holidays.country_holidays("FI", years=[year]).keys())
    for is_off, eve in (
        (christmas_eve_off, christmas_eve(year)),
        (midsummer_eve_off, midsummer_eve(year)),
    ):
        if is_off:
            days.add(eve)
        else:
            days.discard(eve)
    return frozenset(days)


def finnish_holidays_between(
    first: date, last: date, *, christmas_eve_off: bool = True, midsummer_eve_off: bool = True
) -> set[date]:
    """Days off in Finland from ``first`` to ``last`` inclusive."""
    every_year = finnish_holidays(
        range(first.year, last.year + 1),
        christmas_eve_off=christmas_eve_off,
        midsummer_eve_off=midsummer_eve_off,
    )
    return {day for day in every_year if first <= day <= last}


def first_working_day(
    on_or_after: date,
    weekday: int | None = None,
    *,
    christmas_eve_off: bool = True,
    midsummer_eve_off: bool = True,
) -> date:
    """The first Monday-to-Friday date from ``on_or_after`` that is no day off in Finland,
    on ``weekday`` (0 = Monday) when one is named."""
    day = on_or_after
    while True:
        right_weekday = day.weekday() < SATURDAY if weekday is None else day.weekday() == weekday
        if right_weekday and day not in _year(day.year, christmas_eve_off, midsummer_eve_off):
            return day
        day += timedelta(days=1)


# The ``holidays`` package's languages for the service's own.
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def holiday_names(days: Iterable[date], language: str) -> dict[date, str]:
    """The name of each of ``days`` that is a public holiday or one of the eves, in
    ``language`` (fi, sv or en)."""
    wanted = set(days)
    names: dict[date, str] = {}
    for year in {day.year for day in wanted}:
        named = holidays.country_holidays(
            "FI", years=[year], language=HOLIDAY_LANGUAGES.get(language, "fi")
        )
        names.update({day: str(name) for day, name in named.items() if day in wanted})
    return names
