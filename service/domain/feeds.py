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
from typing import cast

from icalendar import Event, vDuration

from service.domain.vevent import EventFacts, EventStatus, calendar_of, session_uid, session_vevent

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
    calendar = calendar_of(method="PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for item in sorted(events, key=lambda event: (event.start, str(event.session_id))):
        calendar.add_component(_event(item))
    return cast(bytes, calendar.to_ical())  # icalendar leaves to_ical unannotated


def _event(item: FeedEvent) -> Event:
    event = session_vevent(
        EventFacts(
            uid=session_uid(item.session_id),
            sequence=item.sequence,
            summary=item.summary,
            start=item.start,
            end=item.end,
            stamp=item.changed,
            location=item.location,
            video_url=item.video_url,
            status=_status(item),
        )
    )
    event.add("last-modified", item.changed.astimezone(dt.UTC))
    event.add("class", "PRIVATE")
    return event


def _status(item: FeedEvent) -> EventStatus:
    if item.cancelled:
        return EventStatus.CANCELLED
    return EventStatus.TENTATIVE if item.tentative else EventStatus.CONFIRMED
