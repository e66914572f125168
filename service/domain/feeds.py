"""A calendar feed (RFC 5545) of a person's sessions: one VEVENT per session, times in
UTC, the same UID as the session's invitations and calendar event, the neutral title.

Built only from what it is given, and deterministically (DTSTAMP is the session's last
change, not the time of the request), so the same sessions give the same bytes and the
same ETag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from icalendar import Event, vDuration

from service.domain.vevent import EventFacts, calendar_of, session_vevent

CALENDAR_NAME = "Ohjaamo"


def build_feed(events: Iterable[EventFacts], *, refresh: dt.timedelta) -> bytes:
    """The feed of ``events`` (the neutral title, the place as the session's parties know
    it), earliest first; each also carries LAST-MODIFIED and is marked private."""
    calendar = calendar_of(method="PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for item in sorted(events, key=lambda event: (event.start, event.uid)):
        calendar.add_component(_event(item))
    return cast(bytes, calendar.to_ical())  # icalendar leaves to_ical unannotated


def _event(facts: EventFacts) -> Event:
    event = session_vevent(facts)
    event.add("last-modified", facts.stamp.astimezone(dt.UTC))
    event.add("class", "PRIVATE")
    return event
