"""A session as an `.ics` file for the reader's own calendar: the neutral title, the
time, the place and the video link, nothing confidential."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app

from service.domain.invitation import Attendee, SessionInvitation, build_event_file
from service.domain.privacy import neutral_title
from service.models import Person, SessionStatus
from service.services.auth import Principal
from service.services.booking_mail import session_place
from service.services.sessions import session_for


def session_calendar_file(
    principal: Principal, session_id: uuid.UUID, *, now: dt.datetime
) -> tuple[str, bytes]:
    """The file name and the iCalendar bytes of one session the principal may see."""
    session = session_for(principal, session_id)
    process = session.process
    supervisor: Person = process.supervisor.person
    title = neutral_title(current_app.config["NEUTRAL_TITLE_TEMPLATE"], process.code)
    data = SessionInvitation(
        session_id=session.id,
        sequence=session.sequence,
        summary=title,
        start=session.starts_at,
        end=session.ends_at,
        organizer=Attendee(supervisor.name, supervisor.email),
        attendee=Attendee(supervisor.name, supervisor.email),
        stamp=now,
        location=session_place(session),
        video_url=session.video_url,
        cancelled=session.status is SessionStatus.CANCELLED,
    )
    local_day = session.starts_at.date().isoformat()
    return f"{process.code}-{local_day}.ics", build_event_file(data)
