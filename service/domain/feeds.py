"""A calendar feed (RFC 5545) of a person's sessions: one VEVENT per session, times in
UTC, the same UID as the session's invitations and calendar event, the neutral title.

Built only from what it is given, and deterministically (DTSTAMP is the session's last
change, not the time of the request), so the same sessions give the same bytes and the
same ETag.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, vDuration

from service.domain.invitation import PRODUCT_ID, session_uid

CALENDAR_NAME = "Ohjaamo"


@dataclass(frozen=True)
class FeedEvent:
    """One session as a feed shows it. ``summary`` is the neutral title; ``location``
    and ``video_url`` are the place as the session's parties know it."""

    session_id: uuid.UUID
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    changed: dt.datetime
    location: str = ""
    video_url: str = ""
    tentative: bool = False
    cancelled: bool = False


def build_feed(events: Iterable[FeedEvent], *, refresh: dt.timedelta) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for item in sorted(events, key=lambda event: (event.start, str(event.session_id))):
        calendar.add_component(_event(item))
    return calendar.to_ical()


def _event(item: FeedEvent) -> Event:
    event = Event()
    event.add("uid", session_uid(item.session_id))
    event.add("sequence", item.sequence)
    event.add("dtstamp", item.changed.astimezone(dt.UTC))
    event.add("last-modified", item.changed.astimezone(dt.UTC))
    event.add("dtstart", item.start.astimezone(dt.UTC))
    event.add("dtend", item.end.astimezone(dt.UTC))
    event.add("summary", item.summary)
    event.add("status", _status(item))
    event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    event.add("class", "PRIVATE")
    location = item.location or item.video_url
    if location:
        event.add("location", location)
    if item.video_url:
        event.add("url", item.video_url)
    return event


def _status(item: FeedEvent) -> str:
    if item.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if item.tentative else "CONFIRMED"
