"""What an orderer contact types about a room kept in Ohjaamo, read into values.

Every field is checked at once and every problem named by a code (`InvalidFields`), so
a page can show them all next to their fields and nothing is written on bad input.
The limits mirror the database's own checks (capacity above zero, opening before
closing) so the database never has to refuse what the page let through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from service.domain.availability import local_day_window
from service.domain.errors import InvalidFields
from service.domain.intervals import Interval

MAX_CAPACITY = 500
MAX_ADVANCE_DAYS = 3650
MAX_LENGTH_MINUTES = 24 * 60
NAME_LENGTH = 200
PLACE_LENGTH = {"building": 200, "floor": 50}
REASON_LENGTH = 200
EQUIPMENT_ITEMS = 20
EQUIPMENT_LENGTH = 60


@dataclass(frozen=True)
class RoomValues:
    name: str
    capacity: int
    building: str
    floor: str
    accessible: bool
    equipment: tuple[str, ...]
    bookable_from: dt.time | None
    bookable_until: dt.time | None
    max_advance_days: int | None
    max_length_minutes: int | None
    is_active: bool


@dataclass(frozen=True)
class ClosureValues:
    period: Interval
    reason: str


def _text(raw: Mapping[str, str], name: str) -> str:
    return str(raw.get(name) or "").strip()


def _whole(text: str, low: int, high: int, range_code: str) -> tuple[int | None, str | None]:
    """A whole number from ``low`` to ``high``: (value, None) or (None, problem code)."""
    try:
        value = int(text)
    except ValueError:
        return None, "whole_number"
    return (value, None) if low <= value <= high else (None, range_code)


def capacity_of(text: str) -> int:
    """The number of people a room holds, alone (a room mirrored from a room system)."""
    value, problem = _whole(text.strip(), 1, MAX_CAPACITY, "capacity_range")
    if problem:
        raise InvalidFields({"capacity": problem})
    assert value is not None  # _whole names a problem when it has no value
    return value


def _time(text: str) -> tuple[dt.time | None, str | None]:
    if not text:
        return None, None
    try:
        return dt.time.fromisoformat(text), None
    except ValueError:
        return None, "time_format"


def room_values(raw: Mapping[str, str]) -> RoomValues:
    """The room's fields from text; raises `InvalidFields` naming every bad field."""
    problems: dict[str, str] = {}
    name = _text(raw, "name")
    if not name:
        problems["name"] = "required"
    elif len(name) > NAME_LENGTH:
        problems["name"] = "too_long"
    capacity, problem = _whole(_text(raw, "capacity"), 1, MAX_CAPACITY, "capacity_range")
    if problem:
        problems["capacity"] = problem
    places = {}
    for field, limit in PLACE_LENGTH.items():
        places[field] = _text(raw, field)
        if len(places[field]) > limit:
            problems[field] = "too_long"
    equipment = tuple(item.strip() for item in _text(raw, "equipment").split(",") if item.strip())
    if len(equipment) > EQUIPMENT_ITEMS or any(len(i) > EQUIPMENT_LENGTH for i in equipment):
        problems["equipment"] = "too_long"
    opens, problem = _time(_text(raw, "bookable_from"))
    if problem:
        problems["bookable_from"] = problem
    closes, problem = _time(_text(raw, "bookable_until"))
    if problem:
        problems["bookable_until"] = problem
    if opens is not None and closes is not None and opens >= closes:
        problems["bookable_until"] = "room_hours_order"
    limits: dict[str, int | None] = {}
    for field, high in (
        ("max_advance_days", MAX_ADVANCE_DAYS),
        ("max_length_minutes", MAX_LENGTH_MINUTES),
    ):
        text = _text(raw, field)
        limits[field], problem = _whole(text, 1, high, "positive_range") if text else (None, None)
        if problem:
            problems[field] = problem
    if problems:
        raise InvalidFields(problems)
    assert capacity is not None  # _whole named a problem otherwise
    return RoomValues(
        name=name,
        capacity=capacity,
        building=places["building"],
        floor=places["floor"],
        accessible=bool(raw.get("accessible")),
        equipment=equipment,
        bookable_from=opens,
        bookable_until=closes,
        max_advance_days=limits["max_advance_days"],
        max_length_minutes=limits["max_length_minutes"],
        is_active=bool(raw.get("is_active")),
    )


def _date(text: str) -> tuple[dt.date | None, str | None]:
    if not text:
        return None, "required"
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, "date_format"


def closure_values(raw: Mapping[str, str], zone: str) -> ClosureValues:
    """A closed period of whole local days, first and last day included."""
    problems: dict[str, str] = {}
    first, problem = _date(_text(raw, "starts_on"))
    if problem:
        problems["starts_on"] = problem
    last, problem = _date(_text(raw, "ends_on"))
    if problem:
        problems["ends_on"] = problem
    if first is not None and last is not None and last < first:
        problems["ends_on"] = "closure_order"
    reason = _text(raw, "reason")
    if len(reason) > REASON_LENGTH:
        problems["reason"] = "too_long"
    if problems:
        raise InvalidFields(problems)
    assert first is not None and last is not None  # _date named a problem otherwise
    return ClosureValues(local_day_window(first, last, ZoneInfo(zone)), reason)
