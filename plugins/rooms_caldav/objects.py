"""Reading a room calendar's time: free-busy answers and calendar objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from service.backends import RoomProblem, RoomSystemError, TimeRange
from service.plugin_kit.calendar_objects import instant

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Occupied:
    """One occurrence of an event in a room calendar."""

    uid: str
    span: TimeRange
    status: str


def free_busy_spans(ics: str, window: TimeRange) -> list[TimeRange]:
    """The busy periods of a VFREEBUSY answer (every FBTYPE but FREE), clipped."""
    try:
        calendar = icalendar.Calendar.from_ical(ics)
        spans: list[TimeRange] = []
        for component in calendar.walk("VFREEBUSY"):
            values = component.get("FREEBUSY", [])
            for value in values if isinstance(values, list) else [values]:
                if str(value.params.get("FBTYPE", "BUSY")).upper() == "FREE":
                    continue
                for start, end_or_length in value.dt if _is_list(value.dt) else [value.dt]:
                    end = (
                        end_or_length
                        if isinstance(end_or_length, dt.datetime)
                        else (start + end_or_length)
                    )
                    spans.extend(
                        _clipped(
                            instant(start, ZoneInfo("UTC")), instant(end, ZoneInfo("UTC")), window
                        )
                    )
        return spans
    except RoomSystemError:
        raise
    except Exception as failure:  # icalendar raises many kinds
        raise RoomSystemError(RoomProblem.BAD_ANSWER, type(failure).__name__) from failure


def _is_list(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], tuple)


def occupied(ics: str, window: TimeRange, zone: ZoneInfo) -> Iterator[Occupied]:
    """Every occurrence inside `window` of the events of one calendar object that take
    the room: neither marked free nor cancelled."""
    calendar = icalendar.Calendar.from_ical(ics)
    low = window.start.astimezone(zone).date() - DAY
    high = window.end.astimezone(zone).date() + DAY
    for event in recurring_ical_events.of(calendar, components=["VEVENT"]).between(low, high):
        status = str(event.get("STATUS", "CONFIRMED")).upper()
        if status == "CANCELLED" or str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        for span in _clipped(instant(event.start, zone), instant(event.end, zone), window):
            yield Occupied(str(event.get("UID", "")), span, status)


def event_status(ics: str) -> str:
    """STATUS of the object's first event (CONFIRMED when it does not say)."""
    for event in icalendar.Calendar.from_ical(ics).walk("VEVENT"):
        return str(event.get("STATUS", "CONFIRMED")).upper()
    return "CANCELLED"


def _clipped(start: dt.datetime, end: dt.datetime, window: TimeRange) -> list[TimeRange]:
    start, end = max(start, window.start), min(end, window.end)
    return [TimeRange(start, end)] if start < end else []
