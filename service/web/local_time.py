"""Times on pages, always in a named zone and the reader's language (Babel)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time, get_timezone_name
from flask import Flask
from flask_babel import get_locale

from service.domain.localtime import zone_of


def local_datetime(value: dt.datetime, zone: str) -> str:
    """E.g. "2.3.2027 9.00 (Europe/Helsinki)": the date and the minute, in the zone."""
    local = value.astimezone(zone_of(zone))
    day = format_date(local, "medium", locale=get_locale())
    return f"{day} {format_time(local, 'short', locale=get_locale())} ({zone})"


def local_clock(value: dt.datetime) -> str:
    """The hour and minute of an instant already in local time."""
    return format_time(value, "short", locale=get_locale())


def day_name(value: dt.date, width: str = "EEEE d.M.") -> str:
    return format_date(value, width, locale=get_locale())


def zone_name(zone: str) -> str:
    """The zone in words with its id, e.g. "Suomen aika (Europe/Helsinki)"."""
    return f"{get_timezone_name(zone_of(zone), locale=get_locale())} ({zone})"


def register(app: Flask) -> None:
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_clock"] = local_clock
    app.jinja_env.filters["day_name"] = day_name
    app.jinja_env.filters["zone_name"] = zone_name
    app.jinja_env.filters["zone_info"] = zone_of
