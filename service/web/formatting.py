"""How pages write times and slots for their reader: always in the reader's zone, with
the zone named, in the reader's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask_babel import get_locale

from service.domain.slots import Slot
from service.extensions import db
from service.models import Person
from service.services.auth import Principal
from service.services.notify.render import when


def reader_zone(principal: Principal) -> str:
    person = db.session.get(Person, principal.person_id)
    return person.timezone if person else "Europe/Helsinki"


def session_time(start: dt.datetime, end: dt.datetime, zone: str) -> str:
    """``tiistai 12. tammikuuta 2027, 10.00–11.30 (Europe/Helsinki)``."""
    return when(start, end, zone, str(get_locale()))


def moment(instant: dt.datetime, zone: str) -> str:
    """Date and time in ``zone``, with the zone named."""
    local = format_datetime(instant, "short", tzinfo=ZoneInfo(zone), locale=str(get_locale()))
    return f"{local} ({zone})"


@dataclass(frozen=True)
class SlotDay:
    label: str
    slots: list[tuple[str, str]]  # (the slot's start as ISO 8601, its local time)


def slot_days(slots: list[Slot], zone: str) -> list[SlotDay]:
    """Offered slots grouped by their local day, for a list of radio buttons."""
    tz, locale = ZoneInfo(zone), str(get_locale())
    days: dict[dt.date, list[tuple[str, str]]] = {}
    for slot in slots:
        local = slot.start.astimezone(tz)
        days.setdefault(local.date(), []).append(
            (slot.start.isoformat(), format_time(local.time(), "short", locale=locale))
        )
    return [SlotDay(format_date(day, "full", locale=locale), times) for day, times in days.items()]
