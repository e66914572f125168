"""The built-in room system for room systems with a web API: the generic HTTP/JSON
shape documented in `docs/room-api.md`, which a facilities team can put in front of
their own system. An organisation's settings name it as `http`."""

from __future__ import annotations

from plugins.rooms_http.system import HTTPRooms
from service.hookspecs import hookimpl

__all__ = ["HTTPRooms", "ohjaamo_register_room_systems"]


@hookimpl
def ohjaamo_register_room_systems() -> list[type]:
    return [HTTPRooms]
