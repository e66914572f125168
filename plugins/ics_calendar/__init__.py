"""A calendar read through its secret iCalendar address (the .ics address Google,
Outlook and Microsoft 365, iCloud and others publish): busy time only.

Registered through the same hook as the CalDAV backend; a supervisor's connection
names it as `ics`. Sessions reach such a calendar the other way round: the supervisor
subscribes it to their Ohjaamo feed.
"""

from __future__ import annotations

from plugins.ics_calendar.backend import IcsBackend
from service.hookspecs import hookimpl

__all__ = ["IcsBackend", "ohjaamo_register_calendar_backends"]


@hookimpl
def ohjaamo_register_calendar_backends() -> list[type]:
    return [IcsBackend]
