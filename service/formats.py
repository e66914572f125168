"""Dates, times, weekdays, numbers and money written the way the reader's language
writes them, through Babel (CLDR).

One place for every page and email: the language is Flask-Babel's current one (a page's
reader, or an email's recipient inside ``i18n.in_language``). English is written in its
British forms (24-hour clock, day before month). Each form comes from a CLDR skeleton;
two things are set here because CLDR does not have them: the word joining a date and a
time ("klo", "kl.", "at": CLDR's ``atTime`` patterns are not in Babel's data) and
Swedish clock times with a full stop ("kl. 13.00", as Språkrådet writes them; CLDR has
13:00). A zone is named only when it differs from the reader's, by its city.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from typing import ParamSpec

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time, get_timezone_location
from babel.numbers import format_currency, format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _

from service.domain.localtime import zone_of

# The Babel locale each page language is written in.
FORMS = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
# Clock times where the language's usage differs from CLDR's pattern.
CLOCK = {"sv": "HH.mm"}


def language() -> str:
    current = get_locale()
    return current.language if current is not None else "fi"


def locale() -> Locale:
    """The Babel locale of the current language, parsed once per language: a page
    writes hundreds of dates and times, and Babel would parse a name each time."""
    return _parsed(FORMS.get(language(), "fi_FI"))


@cache
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _clock_pattern(name: str) -> str:
    return _parsed(name).datetime_skeletons["Hm"].pattern


P = ParamSpec("P")


def kept_per_language(function: Callable[P, str]) -> Callable[P, str]:
    """``function``'s text kept for each language and arguments: a page writes the same
    days and times many times over, and the same for every reader of a language. Only
    for functions of their arguments and the language (an instant with the zone it is
    written in, never a datetime's own wall time)."""
    written = lru_cache(maxsize=8192)(lambda current, args, kwargs: function(*args, **dict(kwargs)))

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        return written(language(), args, tuple(sorted(kwargs.items())))

    return wrapper


@kept_per_language
def _skeleton(skeleton: str, value: dt.date) -> str:
    return format_skeleton(skeleton, value, locale=locale())


def day(value: dt.date) -> str:
    """A weekday and a date without the year: "ti 8.12.", "tis 8 dec.", "Tue 8 Dec"."""
    return _skeleton("MMMEd", value)


def day_with_year(value: dt.date) -> str:
    """ "ti 8.12.2026", "tis 8 dec. 2026", "Tue, 8 Dec 2026"."""
    return _skeleton("yMMMEd", value)


def date(value: dt.date) -> str:
    """A date with the year, no weekday: "8.12.2026", "8 dec. 2026", "8 Dec 2026"."""
    return _skeleton("yMMMd", value)


def weekday(value: dt.date) -> str:
    """The weekday's short name: "ti", "tis", "Tue"."""
    return _skeleton("E", value)


def day_of_month(value: dt.date) -> str:
    """The date without weekday or year: "8.12.", "8 dec.", "8 Dec"."""
    return _skeleton("MMMd", value)


def month(value: dt.date) -> str:
    """A month and its year standing alone, as a heading: "Joulukuu 2026"."""
    text = _skeleton("yMMMM", value)
    return text[:1].upper() + text[1:]


def month_short(value: dt.date) -> str:
    """A month's short name standing alone, for a row of months: "maalis", "mars", "Mar"."""
    return format_date(value, "LLL", locale=locale())


def clock(value: dt.datetime | dt.time) -> str:
    """A clock time of a local instant or a time of day: "13.00" (fi, sv), "13:00" (en)."""
    if isinstance(value, dt.datetime):
        value = value.time()
    return _clock_of(value.replace(tzinfo=None))


@kept_per_language
def _clock_of(value: dt.time) -> str:
    current = language()
    name = FORMS.get(current, "fi_FI")
    pattern = CLOCK.get(current) or _clock_pattern(name)
    return format_time(value, pattern, locale=_parsed(name))


@kept_per_language
def zone_city(zone: str) -> str:
    """The zone by its city in the reader's language: "Tukholma" for Europe/Stockholm."""
    return str(get_timezone_location(zone_of(zone), locale=locale(), return_city=True))


def _in_zone(text: str, zone: str, reader_zone: str | None) -> str:
    if reader_zone is None or zone == reader_zone:
        return text
    return f"{text} ({zone_city(zone)})"


@kept_per_language
def at(instant: dt.datetime, zone: str, reader_zone: str | None = None) -> str:
    """An instant in ``zone``: "ti 8.12. klo 13.00", "tis 8 dec. kl. 13.00",
    "Tue 8 Dec at 13:00"; the zone's city follows when it is not the reader's."""
    local = instant.astimezone(zone_of(zone))
    text = _("%(day)s at %(time)s", day=day(local.date()), time=clock(local))
    return _in_zone(text, zone, reader_zone)


@kept_per_language
def at_with_year(instant: dt.datetime, zone: str, reader_zone: str | None = None) -> str:
    local = instant.astimezone(zone_of(zone))
    text = _("%(day)s at %(time)s", day=day_with_year(local.date()), time=clock(local))
    return _in_zone(text, zone, reader_zone)


@kept_per_language
def span(
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    reader_zone: str | None = None,
    *,
    with_year: bool = False,
) -> str:
    """A session: "ti 8.12. klo 13.00–14.30" (``with_year``: "ti 8.12.2026 klo
    13.00–14.30"); an end on another day carries its date."""
    tz = zone_of(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    written = day_with_year if with_year else day
    ends = clock(local_end)
    if local_end.date() != local_start.date():
        ends = _("%(day)s at %(time)s", day=written(local_end.date()), time=ends)
    text = _("%(day)s at %(time)s", day=written(local_start.date()), time=clock(local_start))
    return _in_zone(f"{text}–{ends}", zone, reader_zone)


def clock_span(start: dt.datetime, end: dt.datetime) -> str:
    """ "13.00–14.30" of two local instants."""
    return f"{clock(start)}–{clock(end)}"


def year_month(key: str) -> str:
    """A month given as "2027-03": "Maaliskuu 2027"."""
    return month(dt.date(int(key[:4]), int(key[5:7]), 1))


def week_number(value: dt.date) -> int:
    """The ISO 8601 week (weeks begin on Monday; week 1 holds the year's first
    Thursday), the one Finland and Sweden use."""
    return value.isocalendar().week


def number(value: float | Decimal | int, digits: int = 1, *, grouped: bool = True) -> str:
    """A decimal number with ``digits`` decimals: "4,0" (fi, sv), "4.0" (en); not
    ``grouped``, as a form field holds it ("1200,00")."""
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=locale())


def money(cents: int) -> str:
    """Euros from cents: "180,00 €" (fi, sv), "€180.00" (en)."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=locale())


def minutes(count: int) -> str:
    """A length of time: "90 min"."""
    return _("%(minutes)s min", minutes=count)
