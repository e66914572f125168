"""The demo data of `bench/pages.py`, scaled: 50 supervisors with working hours and a
synced calendar, 10 individual processes each with an accepted agreement, 40 sessions
per process (20,000 in all) every two weeks, the last two still to come. With
``years``, each process has that many years of sessions behind it instead (26 a year),
and the calendar's weekly events reach as far back.

Each process has its own weekday, hour and week parity, so a supervisor's sessions
never overlap and their holds satisfy the exclusion constraint. Held and booked
sessions have their supervisor hold, held ones the participant's attendance, and one
past session in 13 was cancelled (no hold). People and processes go through the test
builders; sessions, holds, attendance and busy time are inserted in bulk.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert

from bench.history import HELSINKI, bulk_busy, calendar_of, local
from service.domain.agenda import week_start
from service.domain.cancellation import CancellationCategory
from service.domain.intervals import Interval
from service.domain.rules import PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    Attendance,
    AttendanceStatus,
    SessionStatus,
    SupervisionSession,
)
from service.models.session import SupervisorHold
from service.services.availability.schedule import booking_rules
from service.services.booking.steps import hold_bounds
from service.services.calendars.busy_cache import busy_changed
from tests import builders

SUPERVISORS = 50
PROCESSES_PER_SUPERVISOR = 10
SESSIONS_PER_PROCESS = 40
SESSIONS_AHEAD = 2
SESSION_MINUTES = 90
EVERY = dt.timedelta(days=14)
CANCELLED_EVERY = 13
# Weekly calendar events: (weekday, local start hour), an hour each.
BUSY_EVENTS = ((0, 11), (2, 15), (4, 11))
BUSY_WEEKS_AHEAD = 10


@dataclass
class Population:
    supervisors: list[uuid.UUID] = field(default_factory=list)
    """Person ids of the supervisors."""
    supervisees: list[tuple[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    """(person id, process id) of every process's participant."""
    counts: dict[str, int] = field(default_factory=dict)


def sessions_per_process(years: int | None) -> int:
    """40 by default; 26 a year behind now, and the two to come, with ``years``."""
    return SESSIONS_PER_PROCESS if years is None else 26 * years + SESSIONS_AHEAD


def _session_days(today: dt.date, number: int, count: int) -> list[dt.date]:
    """Process ``number``'s session days, latest first: its weekday, every other week."""
    first = week_start(today) + dt.timedelta(days=7 * (number % 2) + number % 5)
    while first < today + dt.timedelta(days=2):
        first += EVERY
    upcoming = first + EVERY * (SESSIONS_AHEAD - 1)
    return [upcoming - EVERY * n for n in range(count)]


def _busy(profile_id: uuid.UUID, today: dt.date, weeks_back: int) -> int:
    monday = week_start(today)
    pairs = []
    for week in range(-weeks_back, BUSY_WEEKS_AHEAD):
        for weekday, hour in BUSY_EVENTS:
            start = local(monday + dt.timedelta(days=7 * week + weekday), hour)
            pairs.append((start, start + dt.timedelta(hours=1)))
    bulk_busy(profile_id, calendar_of(profile_id).calendars[0].id, pairs)
    busy_changed(profile_id)
    return len(pairs)


def _supervisor(population: Population, now: dt.datetime, today: dt.date, count: int) -> None:
    profile = builders.supervisor(min_notice_minutes=24 * 60, max_advance_days=365)
    population.supervisors.append(profile.person_id)
    rules = booking_rules(profile)
    sessions, holds, attendance = [], [], []
    for number in range(PROCESSES_PER_SUPERVISOR):
        days = _session_days(today, number, count)
        hour = 9 if number < 5 else 13
        process = builders.process(
            profile,
            session_count=count + 20,
            min_gap_days=7,
            max_gap_days=28,
            starts_on=days[-1] - dt.timedelta(days=7),
            planned_end_on=today + dt.timedelta(days=365),
        )
        participant = process.participants[0]
        population.supervisees.append((participant.person_id, process.id))
        for index, day in enumerate(reversed(days)):
            starts = local(day, hour)
            ends = starts + dt.timedelta(minutes=SESSION_MINUTES)
            past = ends < now
            # Counted from the latest session, so the recent weeks are the same whatever
            # the length of the history (with 40 sessions, as the data always was).
            cancelled = past and (len(days) - 1 - index) % CANCELLED_EVERY == 1
            status = (
                SessionStatus.CANCELLED
                if cancelled
                else (SessionStatus.HELD if past else SessionStatus.BOOKED)
            )
            session_id = uuid.uuid4()
            sessions.append(
                {
                    "id": session_id,
                    "process_id": process.id,
                    "kind": SessionKind.INDIVIDUAL,
                    "status": status,
                    "starts_at": starts,
                    "ends_at": ends,
                    "place_kind": PlaceKind.REMOTE,
                    "video_url": "https://video.invalid/room",
                    "series_index": index,
                    "revision": 1,
                    "booked_by_id": participant.person_id,
                    "cancelled_at": starts - dt.timedelta(days=3) if cancelled else None,
                    "cancellation_reason": CancellationCategory.SICKNESS if cancelled else None,
                    "charge_percent": 0 if cancelled else None,
                }
            )
            if cancelled:
                continue
            holds.append(
                {
                    "id": uuid.uuid4(),
                    "supervisor_id": profile.id,
                    "session_id": session_id,
                    **hold_bounds(Interval(starts, ends), rules),
                }
            )
            if past:
                attendance.append(
                    {
                        "session_id": session_id,
                        "participant_id": participant.id,
                        "status": AttendanceStatus.PRESENT,
                    }
                )
    db.session.execute(insert(SupervisionSession.__table__), sessions)
    db.session.execute(insert(SupervisorHold.__table__), holds)
    db.session.execute(insert(Attendance.__table__), attendance)
    weeks_back = (today - min(row["starts_at"] for row in sessions).date()).days // 7 + 1
    busy = _busy(profile.id, today, weeks_back)
    db.session.commit()
    for name, value in (
        ("sessions", len(sessions)),
        ("holds", len(holds)),
        ("attendance", len(attendance)),
        ("busy_intervals", busy),
    ):
        population.counts[name] = population.counts.get(name, 0) + value


def populate(now: dt.datetime, years: int | None = None) -> Population:
    """Insert the data (inside an app context, on an empty migrated database)."""
    today = now.astimezone(HELSINKI).date()
    population = Population()
    for _ in range(SUPERVISORS):
        _supervisor(population, now, today, sessions_per_process(years))
    population.counts["supervisors"] = len(population.supervisors)
    population.counts["processes"] = len(population.supervisees)
    return population
