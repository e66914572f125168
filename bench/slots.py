"""Slot search speed: the service layer against the bare interval arithmetic.

A supervisor with 10,000 busy intervals over a year (recurring series expanded, and
single events), two client organisations with 5 rooms each, a group process at one
organisation's premises; search 8 weeks of 90-minute slots, many times, on a warm
database. Prints `name=value` lines.

    .venv/bin/python bench/slots.py [--database sqlite|postgresql] [--database-url URL]
        [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service import create_app
from service.domain.availability import find_slots
from service.domain.intervals import Interval, IntervalIndex
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import BusyInterval, ProcessMode, RemoteObject, RoomBusyInterval
from service.models.calendar import CalendarConnection, ConnectedCalendar
from service.services.availability.rooms import BUSY_MARGIN
from service.services.availability.schedule import booking_context, load_schedule
from service.services.booking.slots import SlotQuery, search_slots
from service.services.calendars.busy_cache import busy_changed
from tests import builders
from tests.postgres import PostgresCluster

START = dt.datetime(2027, 1, 4, 6, 0, tzinfo=dt.UTC)
BUSY_COUNT = 10_000
RECURRING_SERIES = 96  # weekly series x 52 weeks = 4,992 occurrences


def busy_intervals(rng: random.Random) -> list[tuple[dt.datetime, dt.datetime]]:
    intervals = []
    for _ in range(RECURRING_SERIES):
        first = START + dt.timedelta(days=rng.randrange(7), minutes=30 * rng.randrange(2, 34))
        length = dt.timedelta(minutes=rng.choice((30, 45, 60, 90)))
        intervals += [
            (first + dt.timedelta(weeks=w), first + dt.timedelta(weeks=w) + length)
            for w in range(52)
        ]
    while len(intervals) < BUSY_COUNT:
        begin = START + dt.timedelta(minutes=15 * rng.randrange(365 * 96))
        intervals.append((begin, begin + dt.timedelta(minutes=rng.choice((15, 30, 60, 120)))))
    return intervals


def populate(rng: random.Random):
    profile = builders.supervisor(max_advance_days=400, min_notice_minutes=60)
    connection = CalendarConnection(supervisor_id=profile.id, url="https://calendar.invalid/")
    calendar = ConnectedCalendar(url="https://calendar.invalid/work/")
    connection.calendars.append(calendar)
    db.session.add(connection)
    db.session.flush()
    for index, (begin, end) in enumerate(busy_intervals(rng)):
        remote = RemoteObject(calendar_id=calendar.id, href=f"/work/{index}.ics", uid=str(index))
        db.session.add(remote)
        db.session.flush()
        db.session.add(
            BusyInterval(
                supervisor_id=profile.id, remote_object_id=remote.id, starts_at=begin, ends_at=end
            )
        )
    busy_changed(profile.id)
    db.session.commit()
    organisations = [builders.organisation(4, 6, 8, 12, 20) for _ in range(2)]
    for organisation in organisations:
        for room in organisation.rooms:
            for _ in range(200):
                begin = START + dt.timedelta(minutes=30 * rng.randrange(365 * 48))
                db.session.add(
                    RoomBusyInterval(
                        room_id=room.id, starts_at=begin, ends_at=begin + dt.timedelta(hours=2)
                    )
                )
    db.session.commit()
    process = builders.process(
        profile,
        mode=ProcessMode.GROUP,
        participants=5,
        org=organisations[0],
        place=PlaceKind.CLIENT_PREMISES,
    )
    return profile, process


def timed(function, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        begin = time.perf_counter()
        function()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url", help="an empty database to use instead")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    cluster = None
    if args.database_url:
        url = args.database_url
    elif args.database == "postgresql":
        cluster = PostgresCluster()
        cluster.start()
        url = cluster.create_database("bench")
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='ohjaamo-bench-')}/bench.sqlite3"
    try:
        run(url, args.runs)
    finally:
        if cluster is not None:
            cluster.stop()


def run(url: str, runs: int) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "ENCRYPTION_KEYS": [Fernet.generate_key().decode()]}
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        profile, process = populate(random.Random(20270104))
        now = dt.datetime(2027, 3, 1, 6, 0, tzinfo=dt.UTC)
        window = Interval(now, now + dt.timedelta(weeks=8))
        principal = builders.supervisor_principal(process)
        query = SlotQuery(window=window, process_id=process.id)

        def through_service() -> int:
            slots = search_slots(principal, query, now)
            db.session.rollback()
            return len(slots)

        context = booking_context(process, process_kind(process), window)
        loaded = load_schedule(profile, window, now)
        # Busy time near the window, as the rooms' is read (the service caches it all).
        near = Interval(window.start - BUSY_MARGIN, window.end + BUSY_MARGIN)
        busy = [(i.start, i.end) for i in loaded.busy.overlapping(near.start, near.end)]
        rooms = [
            (room, list(zip(room.busy.starts, room.busy.ends, strict=True)))
            for room in context.request.rooms or ()
        ]

        def bare() -> int:
            """The same computation from plain in-memory lists: merging the busy time and
            the rooms' busy time, then the slots. Everything but the database."""
            schedule = replace(loaded, busy=IntervalIndex.from_pairs(busy))
            request = replace(
                context.request,
                rooms=tuple(
                    replace(room, busy=IntervalIndex.from_pairs(pairs)) for room, pairs in rooms
                ),
            )
            return len(find_slots(schedule, request, window, now))

        def bare_slots_only() -> int:
            return len(find_slots(loaded, context.request, window, now))

        assert through_service() == bare()
        timed(through_service, 10)
        service_ms = timed(through_service, runs)
        bare_ms = timed(bare, runs)
        slots_only_ms = timed(bare_slots_only, runs)
        print(f"database={db.engine.dialect.name}")
        print(f"busy_intervals={BUSY_COUNT}")
        print(f"slots_found={bare()}")
        print(f"service_median_ms={statistics.median(service_ms):.2f}")
        print(f"service_p95_ms={p95(service_ms):.2f}")
        print(f"bare_median_ms={statistics.median(bare_ms):.2f}")
        print(f"bare_p95_ms={p95(bare_ms):.2f}")
        print(f"slots_only_median_ms={statistics.median(slots_only_ms):.2f}")
        print(f"ratio_median={statistics.median(service_ms) / statistics.median(bare_ms):.2f}")


def process_kind(process):
    from service.services.availability.schedule import MODE_KINDS

    return MODE_KINDS[process.mode]


if __name__ == "__main__":
    main()
