"""What a session shows outside the service - in emails, calendar events, `.ics` files
and room reservations: the neutral title and the place, never a name or a note."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from service.domain.invitation import Attendee, SessionInvitation
from service.domain.privacy import neutral_title
from service.extensions import db
from service.models import Location, Room, SupervisionSession


def session_title(code: str) -> str:
    """NEUTRAL_TITLE_TEMPLATE filled with a process's code."""
    return neutral_title(current_app.config["NEUTRAL_TITLE_TEMPLATE"], code)


def session_place(session: SupervisionSession) -> str:
    """The room, the place's name and its address; empty for a session with no place."""
    parts: list[str] = []
    if session.room_id and (room := db.session.get(Room, session.room_id)):
        parts.append(room.name)
    if session.location_id and (location := db.session.get(Location, session.location_id)):
        parts += [location.name, location.address]
    return ", ".join(part.strip() for part in parts if part.strip())


def session_invitation(
    session: SupervisionSession, attendee: Attendee, stamp: dt.datetime, *, cancelled: bool
) -> SessionInvitation:
    """The session as one person's calendar invitation, organised by its supervisor."""
    supervisor = session.process.supervisor.person
    return SessionInvitation(
        session_id=session.id,
        sequence=session.sequence,
        summary=session_title(session.process.code),
        start=session.starts_at,
        end=session.ends_at,
        organizer=Attendee(supervisor.name, supervisor.email),
        attendee=attendee,
        stamp=stamp,
        location=session_place(session),
        video_url=session.video_url,
        cancelled=cancelled,
    )
