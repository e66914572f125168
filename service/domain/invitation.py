"""iTIP invitations (RFC 5546) for one session and one recipient, built with icalendar."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText

from service.domain.email_message import Invitation

PRODUCT_ID = "-//Ohjaamo//Ohjaamo//EN"


def session_uid(session_id: uuid.UUID) -> str:
    """The UID of a session in every calendar and invitation, stable across changes and
    settings, so each client updates the one event it already has."""
    return f"ohjaamo-session-{session_id}"


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
    event = Event()
    event.add("uid", session_uid(data.session_id))
    event.add("sequence", data.sequence)
    event.add("dtstamp", data.stamp.astimezone(dt.UTC))
    event.add("dtstart", data.start.astimezone(dt.UTC))
    event.add("dtend", data.end.astimezone(dt.UTC))
    event.add("summary", data.summary)
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if data.cancelled else "OPAQUE")
    location = data.location or data.video_url
    if location:
        event.add("location", location)
    if data.video_url:
        event.add("url", data.video_url)
    if data.description:
        event.add("description", data.description)
    event.add("organizer", _address(data.organizer))
    return event


def _calendar(method: str, event: Event) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add_component(event)
    return calendar


def build_invitation(data: SessionInvitation) -> Invitation:
    """METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED; times in UTC."""
    method = "CANCEL" if data.cancelled else "REQUEST"
    event = _event(data)
    attendee = _address(data.attendee)
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("FALSE")
    event.add("attendee", attendee)
    return Invitation(method=method, ics=_calendar(method, event).to_ical())


def build_event_file(data: SessionInvitation) -> bytes:
    """The session as a downloadable file (METHOD:PUBLISH, no attendees): opened, it
    adds the event to the reader's own calendar with the same UID later invitations
    update."""
    return _calendar("PUBLISH", _event(data)).to_ical()
