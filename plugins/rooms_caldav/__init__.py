"""The built-in room system for CalDAV resource calendars: each room is a calendar on
the organisation's CalDAV server. An organisation's settings name it as `caldav`."""

from __future__ import annotations

from plugins.rooms_caldav.system import CalDAVRooms
from service.hookspecs import hookimpl

__all__ = ["CalDAVRooms", "ohjaamo_register_room_systems"]


@hookimpl
def ohjaamo_register_room_systems() -> list[type]:
    return [CalDAVRooms]
