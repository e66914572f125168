"""iCalendar in and out: the busy time a calendar object covers, and the object Ohjaamo
writes for a session (the VEVENT of `service.domain.vevent`, marked as Ohjaamo's own).

Reading follows the rules a supervisor expects from their own calendar: every
occurrence of a recurring series inside the window (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides, by recurring-ical-events), an all-day event blocks the whole
local day in the supervisor's zone, a floating time is that zone's local time, and
events marked free (TRANSP:TRANSPARENT) or cancelled block nothing. Events Ohjaamo
wrote itself are recognised by their UID prefix or X-property and never counted: the
session's own hold already takes that time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from service.backends import OWN_EVENT_PROPERTY as OWN_PROPERTY
from service.backends import OWN_EVENT_UID_PREFIX as OWN_UID_PREFIX
from service.backends import CalendarEvent, TimeRange
from service.domain.vevent import EventFacts, calendar_of, session_vevent

# Servers match time ranges against all-day and floating events in their own idea of
# the zone; asking a day wider on each side catches every candidate, clipped after.
QUERY_MARGIN = dt.timedelta(days=1)


class MalformedObject(ValueError):
    """A calendar object that cannot be read; the sync skips it."""


def object_name(uid: str) -> str:
    """The object's name in the collection, derived from the UID alone so that a retried
    write lands on the same object instead of creating a duplicate."""
    return f"{uid}.ics"


def busy_in(ics: str, window: TimeRange, zone: ZoneInfo) -> tuple[str, list[TimeRange]]:
    """The object's UID and the busy intervals it covers inside `window`, clipped."""
    try:
        calendar = icalendar.Calendar.from_ical(ics)
        events = list(calendar.walk("VEVENT"))
        if not events:
            return "", []
        uid = str(events[0].get("UID", ""))
        if any(_is_own(event) for event in events):
            return uid, []
        return uid, list(_occurrences(calendar, window, zone))
    except Exception as error:  # icalendar and its expansion raise many kinds
        raise MalformedObject(type(error).__name__) from error


def _is_own(event: icalendar.Component) -> bool:
    return str(event.get("UID", "")).startswith(OWN_UID_PREFIX) or OWN_PROPERTY in event


def _occurrences(
    calendar: icalendar.Calendar, window: TimeRange, zone: ZoneInfo
) -> Iterator[TimeRange]:
    low = window.start.astimezone(zone).date() - QUERY_MARGIN
    high = window.end.astimezone(zone).date() + QUERY_MARGIN
    for occurrence in recurring_ical_events.of(calendar, components=["VEVENT"]).between(low, high):
        if _blocks_nothing(occurrence):
            continue
        start = max(instant(occurrence.start, zone), window.start)
        end = min(instant(occurrence.end, zone), window.end)
        if start < end:
            yield TimeRange(start, end)


def _blocks_nothing(event: icalendar.Event) -> bool:
    transparent = str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT"
    cancelled = str(event.get("STATUS", "")).upper() == "CANCELLED"
    return transparent or cancelled


def instant(value: dt.date | dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """An iCalendar start or end as an aware instant: a date is the local midnight that
    begins it, a floating time is local time, both in the supervisor's zone."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), tzinfo=zone).astimezone(dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=zone).astimezone(dt.UTC)
    return value.astimezone(dt.UTC)


def session_ics(event: CalendarEvent) -> str:
    """The calendar object for a session. No ORGANIZER or ATTENDEE: the server has no one
    to invite, so it sends no invitations of its own (the participants get Ohjaamo's)."""
    vevent = session_vevent(
        EventFacts(
            uid=event.uid,
            sequence=event.sequence,
            summary=event.summary,
            start=event.start,
            end=event.end,
            stamp=event.revised_at,
            location=event.location or "",
            video_url=event.video_url or "",
            description=event.description or "",
        )
    )
    vevent.add(OWN_PROPERTY, "1")
    return calendar_of(vevent).to_ical().decode("utf-8")
