"""iTIP invitations (RFC 5546) for one session and one recipient, built with icalendar."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import cast

from icalendar import Event, vCalAddress, vText

from service.domain.email_message import Invitation
from service.domain.vevent import EventFacts, EventStatus, calendar_of, session_uid, session_vevent


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class SessionInvitation:
    """What an invitation says. ``summary`` is the neutral title; ``description`` must
    carry nothing confidential (it is mailed and stored in calendars)."""

    session_id: uuid.UUID
    sequence: int
    summary: str
    start: dt.datetime
    end: dt.datetime
    organizer: Attendee
    attendee: Attendee
    stamp: dt.datetime
    location: str = ""
    video_url: str = ""
    description: str = ""
    cancelled: bool = False


def _address(person: Attendee) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    return address


def _event(data: SessionInvitation) -> Event:
    event = session_vevent(
        EventFacts(
            uid=session_uid(data.session_id),
            sequence=data.sequence,
            summary=data.summary,
            start=data.start,
            end=data.end,
            stamp=data.stamp,
            location=data.location,
            video_url=data.video_url,
            description=data.description,
            status=EventStatus.CANCELLED if data.cancelled else EventStatus.CONFIRMED,
        )
    )
    event.add("organizer", _address(data.organizer))
    return event


def build_invitation(data: SessionInvitation) -> Invitation:
    """METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED; times in UTC."""
    method = "CANCEL" if data.cancelled else "REQUEST"
    event = _event(data)
    attendee = _address(data.attendee)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("FALSE")
    event.add("attendee", attendee)
    return Invitation(method=method, ics=calendar_of(event, method=method).to_ical())


def build_event_file(data: SessionInvitation) -> bytes:
    """The session as a downloadable file (METHOD:PUBLISH, no attendees): opened, it
    adds the event to the reader's own calendar with the same UID later invitations
    update."""
    # icalendar leaves to_ical unannotated
    return cast(bytes, calendar_of(_event(data), method="PUBLISH").to_ical())
