"""A supervisor's past, written in bulk: what makes ten years of history differ from one
in `bench/slots.py` and `bench/booking.py`.

Sessions fall on a working week of 5 days x 4 times (8, 10, 12 and 14 local), one
supervisor hold each (an unmarked one in 13 past sessions is cancelled, with no hold);
calendar busy time is one calendar object per interval, as a full sync leaves it. Each
week is drawn from a seed of its own, so two histories share their recent weeks.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert

from service.domain.intervals import Interval
from service.domain.rules import BookingRules, PlaceKind, SessionKind
from service.extensions import db
from service.models import (
    Attendance,
    AttendanceStatus,
    BusyInterval,
    CalendarConnection,
    ConnectedCalendar,
    RemoteObject,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.models.session import SupervisorHold
from service.services.availability.schedule import booking_rules
from service.services.booking.steps import hold_bounds
from service.services.calendars.busy_cache import busy_changed
from tests import builders

HELSINKI = ZoneInfo("Europe/Helsinki")
SESSION_TIMES = [(weekday, hour) for weekday in range(5) for hour in (8, 10, 12, 14)]
SESSIONS_PER_WEEK = 10
PAST_PROCESSES = 12
BUSY_PER_WEEK = 20
CANCELLED_EVERY = 13
INSERT_CHUNK = 5000


def local(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI).astimezone(dt.UTC)


def monday_of(moment: dt.datetime) -> dt.date:
    day = moment.astimezone(HELSINKI).date()
    return day - dt.timedelta(days=day.weekday())


def insert_rows(table: Table, rows: list[dict]) -> None:
    for offset in range(0, len(rows), INSERT_CHUNK):
        db.session.execute(insert(table), rows[offset : offset + INSERT_CHUNK])


def spread(
    rng: random.Random, first: dt.datetime, last: dt.datetime, count: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """``count`` events of 30-90 minutes on a 15-minute grid between two instants."""
    quarters = int((last - first).total_seconds() // 900)
    pairs = []
    for _ in range(count):
        begin = first + dt.timedelta(minutes=15 * rng.randrange(quarters))
        pairs.append((begin, begin + dt.timedelta(minutes=rng.choice((30, 60, 90)))))
    return pairs


def calendar_of(
    supervisor_id: uuid.UUID, backend: str = "caldav", *, blocks_time: bool = True
) -> CalendarConnection:
    """A calendar connection of the supervisor with one calendar (no server behind it:
    a booking's live check would ask it about a calendar that blocks time)."""
    connection = CalendarConnection(
        supervisor_id=supervisor_id, backend=backend, url="http://127.0.0.1:9/"
    )
    connection.calendars.append(
        ConnectedCalendar(url="http://127.0.0.1:9/calendar/", blocks_time=blocks_time)
    )
    db.session.add(connection)
    db.session.flush()
    return connection


def bulk_busy(
    supervisor_id: uuid.UUID, calendar_id: uuid.UUID, pairs: list[tuple[dt.datetime, dt.datetime]]
) -> None:
    """Busy intervals of one calendar, one calendar object each, written in bulk (the
    caller records the change with `busy_changed`)."""
    objects, intervals = [], []
    for begin, end in pairs:
        remote_id = uuid.uuid4()
        objects.append({"id": remote_id, "calendar_id": calendar_id, "href": f"/{remote_id}.ics"})
        intervals.append(
            {
                "id": uuid.uuid4(),
                "supervisor_id": supervisor_id,
                "remote_object_id": remote_id,
                "starts_at": begin,
                "ends_at": end,
            }
        )
    insert_rows(RemoteObject.__table__, objects)
    insert_rows(BusyInterval.__table__, intervals)


def session_row(
    process: SupervisionProcess,
    starts: dt.datetime,
    status: SessionStatus,
    *,
    kind: SessionKind = SessionKind.INDIVIDUAL,
    place_kind: PlaceKind = PlaceKind.REMOTE,
    minutes: int = 90,
    **place: object,
) -> dict:
    """A session's row (``place``: location_id and room_id at premises)."""
    return {
        "id": uuid.uuid4(),
        "process_id": process.id,
        "kind": kind,
        "status": status,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(minutes=minutes),
        "place_kind": place_kind,
        "revision": 1,
        **place,
    }


def hold_row(supervisor_id: uuid.UUID, session: dict, rules: BookingRules) -> dict:
    """The supervisor's hold of a session's row, its buffers included."""
    return {
        "id": uuid.uuid4(),
        "supervisor_id": supervisor_id,
        "session_id": session["id"],
        **hold_bounds(Interval(session["starts_at"], session["ends_at"]), rules),
    }


def week_rng(week: dt.date) -> random.Random:
    return random.Random(week.toordinal())


def lay_past(
    profile, years: int, now: dt.datetime, calendar_id: uuid.UUID | None = None
) -> dict[str, int]:
    """``years`` of the supervisor's past up to ``now``: PAST_PROCESSES other individual
    processes with SESSIONS_PER_WEEK held sessions a week between them (holds and
    attendance), and BUSY_PER_WEEK busy intervals a week in the calendar
    ``calendar_id``, or else in a calendar of their own that no booking asks (marked
    as not blocking time, which only the live check reads). The supervisor's other
    processes are left as they are."""
    rules = booking_rules(profile)
    today = now.astimezone(HELSINKI).date()
    first_week = monday_of(now) - dt.timedelta(weeks=52 * years)
    processes = [
        builders.process(
            profile, starts_on=first_week, planned_end_on=today, session_count=52 * years
        )
        for _ in range(PAST_PROCESSES)
    ]
    sessions, holds, attendance, busy = [], [], [], []
    week = first_week
    while local(week, 0) < now:
        rng = week_rng(week)
        week_end = local(week + dt.timedelta(days=7), 0)
        busy += [
            pair for pair in spread(rng, local(week, 0), week_end, BUSY_PER_WEEK) if pair[1] < now
        ]
        chosen = zip(
            rng.sample(processes, SESSIONS_PER_WEEK),
            rng.sample(SESSION_TIMES, SESSIONS_PER_WEEK),
            strict=True,
        )
        for process, (weekday, hour) in chosen:
            starts = local(week + dt.timedelta(days=weekday), hour)
            cancelled = rng.randrange(CANCELLED_EVERY) == 0
            status = SessionStatus.CANCELLED if cancelled else SessionStatus.HELD
            row = session_row(process, starts, status)
            if row["ends_at"] >= now:
                continue
            sessions.append(row)
            if cancelled:
                continue
            holds.append(hold_row(profile.id, row, rules))
            attendance.append(
                {
                    "session_id": row["id"],
                    "participant_id": process.participants[0].id,
                    "status": AttendanceStatus.PRESENT,
                }
            )
        week += dt.timedelta(weeks=1)
    insert_rows(SupervisionSession.__table__, sessions)
    insert_rows(SupervisorHold.__table__, holds)
    insert_rows(Attendance.__table__, attendance)
    if calendar_id is None:
        calendar_id = calendar_of(profile.id, blocks_time=False).calendars[0].id
    bulk_busy(profile.id, calendar_id, busy)
    busy_changed(profile.id)
    db.session.commit()
    return {
        "past_sessions": len(sessions),
        "past_holds": len(holds),
        "past_busy_intervals": len(busy),
    }
