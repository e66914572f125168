"""Booking throughput through HTTP under gunicorn (4 workers), on SQLite and PostgreSQL,
against a bare single-row insert-and-commit on the same database in the same run.

Every request books a different free slot of one supervisor, so each goes through the
whole booking transaction (lock, re-check, session, hold, outbox, audit) and succeeds.
Prints `name=value` lines.

    .venv/bin/python bench/booking.py [--bookings N] [--clients N] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import insert

from service import clock, create_app
from service.domain.holidays_fi import finnish_holidays
from service.extensions import db
from service.models import AuditEvent
from service.services.accounts.tokens import create_token
from tests import builders
from tests.conftest import test_config
from tests.fixtures.gunicorn import gunicorn
from tests.postgres import PostgresCluster
from tests.soak.load import ApiClient, Recorder, drain

HELSINKI = ZoneInfo("Europe/Helsinki")


def free_starts(count: int) -> list[str]:
    """Working-day starts 08:00, 10:00, 12:00 and 14:00 local from two weeks ahead."""
    day = clock.now().astimezone(HELSINKI).date() + dt.timedelta(days=14)
    days_off = finnish_holidays(range(day.year, day.year + 3))
    starts: list[str] = []
    while len(starts) < count:
        if day.weekday() < 5 and day not in days_off:
            for hour in (8, 10, 12, 14):
                local = dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)
                starts.append(local.astimezone(dt.UTC).isoformat())
        day += dt.timedelta(days=1)
    return starts[:count]


def prepare(url: str, count: int) -> tuple[str, list[dict[str, str]]]:
    app = create_app(test_config(url))
    with app.app_context():
        upgrade()
        profile = builders.supervisor(max_advance_days=720)
        processes = [builders.process(profile) for _ in range(count)]
        _, token = create_token(profile.person, "bench", ("read", "write"))
        bodies = [
            {"process_id": str(process.id), "starts_at": start}
            for process, start in zip(processes, free_starts(count), strict=True)
        ]
        db.engine.dispose()
    return token, bodies


def bare_inserts_per_second(url: str, seconds: float = 3.0) -> float:
    app = create_app(test_config(url))
    with app.app_context():
        done, began = 0, time.perf_counter()
        while time.perf_counter() - began < seconds:
            with db.engine.begin() as connection:
                connection.execute(
                    insert(AuditEvent).values(action="bench", object_type="bench", details={})
                )
            done += 1
        elapsed = time.perf_counter() - began
        db.engine.dispose()
    return done / elapsed


def http_bookings_per_second(
    url: str, token: str, bodies: list[dict[str, str]], clients: int
) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as instance, gunicorn(url, Path(instance), 4) as base:
        client = ApiClient(base, token, Recorder())

        def post(body: dict[str, str]) -> int:
            return client.request("booking", "POST", "/api/v1/bookings", body)[0]

        began = time.perf_counter()
        statuses = drain(bodies, clients, post)
        elapsed = time.perf_counter() - began
    created = statuses.count(201)
    return created / elapsed, len(statuses) - created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    cluster = None
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp(prefix='ohjaamo-bench-')}/bench.sqlite3"
            else:
                cluster = cluster or PostgresCluster()
                if not cluster.data.exists():
                    cluster.start()
                url = cluster.create_database("bench")
            token, bodies = prepare(url, args.bookings)
            rate, failed = http_bookings_per_second(url, token, bodies, args.clients)
            bare = bare_inserts_per_second(url)
            print(f"{backend}_http_bookings_per_second={rate:.1f}")
            print(f"{backend}_failed_requests={failed}")
            print(f"{backend}_bare_inserts_per_second={bare:.1f}")
            print(f"{backend}_ratio_to_bare={rate / bare:.3f}")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
