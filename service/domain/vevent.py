"""The one VEVENT of a session, as every outward calendar object carries it: the
invitations mailed to each person, the calendar feeds, the `.ics` file, the object in
the supervisor's own calendar and the reservation in a room calendar.

The UID is the session's own in all of them, so every client updates the one event it
already has; SEQUENCE rises with every change and DTSTAMP is the session's last change,
so the same session gives the same bytes. Times are UTC. The summary is the neutral
title and nothing here names a person or carries a note. Each kind of object adds what
is its own on top (an invitation its organizer and attendee, a feed its LAST-MODIFIED).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from icalendar import Calendar, Event

PRODUCT_ID = "-//Ohjaamo//Ohjaamo//EN"


def session_uid(session_id: uuid.UUID) -> str:
    """The UID of a session in every calendar and invitation, stable across changes and
    settings, so each client updates the one event it already has."""
    return f"ohjaamo-session-{session_id}"


class EventStatus(StrEnum):
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class EventFacts:
    """What a session's event says. ``description`` must carry nothing confidential:
    it is mailed and stored in other people's calendars."""

    uid: str
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    stamp: dt.datetime
    location: str = ""
    video_url: str = ""
    description: str = ""
    status: EventStatus = EventStatus.CONFIRMED


def session_vevent(facts: EventFacts) -> Event:
    """The VEVENT: a remote session's place is its video link (LOCATION, URL and a line
    of DESCRIPTION, which every client shows); a cancelled one blocks no time."""
    event = Event()
    event.add("uid", facts.uid)
    event.add("sequence", facts.sequence)
    event.add("dtstamp", facts.stamp.astimezone(dt.UTC))
    event.add("dtstart", facts.start.astimezone(dt.UTC))
    event.add("dtend", facts.end.astimezone(dt.UTC))
    event.add("summary", facts.summary)
    event.add("status", str(facts.status))
    cancelled = facts.status is EventStatus.CANCELLED
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    location = facts.location or facts.video_url
    if location:
        event.add("location", location)
    if facts.video_url:
        event.add("url", facts.video_url)
    description = "\n".join(part for part in (facts.description, facts.video_url) if part)
    if description:
        event.add("description", description)
    return event


def calendar_of(*events: Event, method: str | None = None) -> Calendar:
    """A VCALENDAR holding ``events``, with the iTIP ``method`` when there is one."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    return calendar
