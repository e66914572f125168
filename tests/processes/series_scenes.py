"""A supervisor with an active individual process whose agreement asks for six sessions
every three weeks on Wednesdays at 10:00 from 5 February 2031, with a break 15.-25.3.,
and a calendar event over the second Wednesday; another supervisor beside them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from service.models import Role
from tests import builders
from tests.builders import helsinki
from tests.web.pages import with_password

TERMS = {
    "starts_on": dt.date(2031, 2, 5),
    "planned_end_on": dt.date(2031, 12, 31),
    "session_count": 6,
    "min_gap_days": 14,
    "max_gap_days": 28,
    "preferred_weekday": 2,
    "preferred_start": dt.time(10),
    "break_from": "03-15",
    "break_until": "03-25",
}
BUSY_DAY = helsinki(2031, 2, 26, 9, 30), helsinki(2031, 2, 26, 12)


@dataclass
class SeriesDesk:
    email: str
    other_email: str
    process_id: uuid.UUID
    other_process_id: uuid.UUID
    participant: uuid.UUID
    code: str


def series_desk() -> SeriesDesk:
    """Sessions are proposed by the page, not here: the process starts with none."""
    profile = builders.supervisor()
    with_password(profile.person_id, Role.SUPERVISOR)
    process = builders.process(profile, **TERMS)
    neighbour = builders.process(profile, min_gap_days=7, max_gap_days=60)
    builders.busy(profile, *BUSY_DAY)
    other = builders.supervisor()
    with_password(other.person_id, Role.SUPERVISOR)
    return SeriesDesk(
        profile.person.email,
        other.person.email,
        process.id,
        neighbour.id,
        process.participants[0].person_id,
        process.code,
    )
