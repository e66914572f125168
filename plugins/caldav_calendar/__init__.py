"""The built-in calendar backend: CalDAV (RFC 4791) with incremental sync (RFC 6578).

Registered through the same hook a third-party backend uses; a supervisor's
connection names it as `caldav`.
"""

from __future__ import annotations

from plugins.caldav_calendar.backend import CalDAVBackend
from service.hookspecs import hookimpl

__all__ = ["CalDAVBackend", "ohjaamo_register_calendar_backends"]


@hookimpl
def ohjaamo_register_calendar_backends() -> list[type]:
    return [CalDAVBackend]
