"""A session as an `.ics` file for the reader's own calendar: the neutral title, the
time, the place and the video link, nothing confidential."""

from __future__ import annotations

import datetime as dt
import uuid

from service.domain.invitation import Attendee, build_event_file
from service.models import Person, SessionStatus
from service.services.auth import Principal
from service.services.booking.sessions import session_for
from service.services.session_outward import session_invitation


def session_calendar_file(
    principal: Principal, session_id: uuid.UUID, *, now: dt.datetime
) -> tuple[str, bytes]:
    """The file name and the iCalendar bytes of one session the principal may see."""
    session = session_for(principal, session_id)
    process = session.process
    supervisor: Person = process.supervisor.person
    attendee = Attendee(supervisor.name, supervisor.email)
    cancelled = session.status is SessionStatus.CANCELLED
    data = session_invitation(session, attendee, now, cancelled=cancelled)
    local_day = session.starts_at.date().isoformat()
    return f"{process.code}-{local_day}.ics", build_event_file(data)
