"""Booking throughput through HTTP under gunicorn (4 workers, the shipped
config/gunicorn.conf.py otherwise), on SQLite and PostgreSQL, against a bare single-row
insert-and-commit on the same database in the same run.

Every request books a different free slot of one supervisor, so each goes through the
whole booking transaction (lock, re-check, session, hold, outbox, audit) and should
succeed; by default no calendar is asked (see ``--calendar``). For
each database: bookings per second, the latency of every request (p50/p95/p99), CPU
milliseconds per booking across the machine from /proc (bench/machine.py: the app's
gunicorn process tree, PostgreSQL's process tree, both, the load generator and the rest
of the machine), and every failed request grouped by its status and its problem
document's `code`, `title` and `reasons` (status 0: no answer). Prints `name=value`
lines.

    .venv/bin/python bench/booking.py [--bookings N] [--clients N] [--backends sqlite,postgresql]
        [--warm-up N] [--years N] [--calendar none|radicale|xandikos]

``--calendar radicale`` puts the supervisor's calendar on a Radicale server on loopback
(Xandikos with ``xandikos``), so each booking asks it about the slot, as a booking does
for a supervisor with a connected calendar: the server's own CPU is printed apart
(`*_cpu_ms_per_booking_calendar`), the app's side of the question stays in the app's.

``--years`` lays that many years of the supervisor's past behind now (other processes'
held sessions with their holds, and calendar busy time, in the server's calendar with
``--calendar``, else in one no booking asks): run it with 1 and with 10 to compare a
supervisor's history.

Goals (issue 21), on PostgreSQL with 8 clients: at most 10 ms of CPU per booking (app
and database), p95 at most 150 ms, every failure explained.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import insert, select

from bench.history import lay_past
from bench.machine import CpuMeter, load_average, postgres_pid
from service import clock, create_app
from service.domain.holidays_fi import finnish_holidays
from service.extensions import db
from service.models import AuditEvent, ConnectedCalendar
from service.services.accounts.tokens import create_token
from service.services.calendars.setup import ConnectCalendar, connect_calendar
from tests import builders
from tests.conftest import test_config
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer
from tests.fixtures.gunicorn import GunicornNode, production_environment
from tests.postgres import PostgresCluster
from tests.soak.load import ApiClient, Recorder, drain, percentile

HELSINKI = ZoneInfo("Europe/Helsinki")
ROOT = Path(__file__).resolve().parent.parent
GUNICORN_OPTIONS = ("-c", str(ROOT / "config" / "gunicorn.conf.py"), "--workers", "4")
GOAL_CPU_MS = 10.0
GOAL_P95_MS = 150.0


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


def prepare(
    url: str, count: int, years: int | None, calendar: CalDAVServer | None
) -> tuple[str, list[dict[str, str]], dict[str, int]]:
    """One supervisor, ``count`` processes with no sessions yet (each booking is its
    process's first, so the cadence lets every one through), with ``years`` the
    supervisor's past behind now (bench/history.py: other processes' held sessions
    and calendar busy time), and with ``calendar`` a calendar of theirs on that server,
    connected as a supervisor connects one (it blocks time: each booking asks it)."""
    app = create_app(test_config(url))
    with app.app_context():
        upgrade()
        today = clock.now().astimezone(HELSINKI).date()
        profile = builders.supervisor(max_advance_days=720)
        calendar_id = None
        if calendar is not None:
            calendar.make_calendar()
            connection_id = connect_calendar(
                builders.principal(profile.person),
                profile.id,
                ConnectCalendar(calendar.url, USERNAME, PASSWORD),
                now=clock.now(),
            )
            calendar_id = db.session.scalar(
                select(ConnectedCalendar.id).where(ConnectedCalendar.connection_id == connection_id)
            )
        processes = [
            builders.process(
                profile, starts_on=today, planned_end_on=today + dt.timedelta(days=720)
            )
            for _ in range(count)
        ]
        past = lay_past(profile, years, clock.now(), calendar_id) if years else {}
        _, token = create_token(profile.person, "bench", ("read", "write"))
        bodies = [
            {"process_id": str(process.id), "starts_at": start}
            for process, start in zip(processes, free_starts(count), strict=True)
        ]
        db.session.remove()
        db.engine.dispose()
    return token, bodies, past


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


def failure(status: int, answer: object) -> str:
    """A failed request's group: its status and what its problem document says."""
    if not isinstance(answer, dict):
        return f"status={status} (no problem document)" if status else "no answer"
    reasons = ",".join(str(reason) for reason in answer.get("reasons") or ())
    parts = [f"status={status}", f"code={answer.get('code', '-')}"]
    parts.append(f"title={answer.get('title', '-')}")
    if reasons:
        parts.append(f"reasons={reasons}")
    return " ".join(parts)


def http_bookings(
    backend: str,
    url: str,
    token: str,
    bodies: list[dict[str, str]],
    clients: int,
    warm_up: int,
    database_pid: int | None,
    calendar_pid: int | None,
) -> dict[str, float]:
    """Book every body through the API, the first ``warm_up`` of them before the
    measurement (each worker's first requests load what it keeps); print the figures
    of the measured ones and every failure, warm-up included."""
    failures: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as instance:
        # The API's rate limit is not what is measured; with it off the shipped config
        # starts four workers without a shared store.
        env = production_environment(Path(instance), url, RATELIMIT_ENABLED=False)
        node = GunicornNode(env, Path(instance) / "gunicorn.log", GUNICORN_OPTIONS)
        node.start()
        try:
            recorder = Recorder()
            client = ApiClient(node.base, token, recorder)

            def post(body: dict[str, str]) -> int:
                status, answer = client.request("booking", "POST", "/api/v1/bookings", body)
                if status != 201:
                    failures[failure(status, answer)] += 1
                return status

            assert node.process is not None
            drain(bodies[:warm_up], clients, post)
            recorder.samples.clear()
            meter = CpuMeter(app=node.process.pid, database=database_pid, calendar=calendar_pid)
            meter.start()
            statuses = drain(bodies[warm_up:], clients, post)
            spent = meter.stop()
        finally:
            node.stop()
    created = statuses.count(201)
    latencies = [sample.seconds * 1000 for sample in recorder.samples]
    figures = {
        "http_bookings_per_second": created / spent.seconds,
        "requests": len(statuses),
        "created": created,
        "failed_requests": len(statuses) - created,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
    }
    for part, value in spent.per_request_ms(created).items():
        figures[f"cpu_ms_per_booking_{part}"] = value
    figures["machine_busy_percent"] = spent.machine_busy_percent
    for name, value in figures.items():
        print(f"{backend}_{name}={round(value, 2):g}")
    for number, (group, count) in enumerate(failures.most_common(), start=1):
        print(f"{backend}_failure_{number}={count} x {group}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bookings", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warm-up", type=int, default=24, help="bookings before measuring")
    parser.add_argument("--years", type=int, help="years of the supervisor's past behind now")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--calendar",
        choices=("none", "radicale", "xandikos"),
        default="none",
        help="a calendar server the supervisor's calendar is on, asked at each booking",
    )
    args = parser.parse_args()
    print(f"bookings={args.bookings}")
    print(f"clients={args.clients}")
    print(f"history_years={args.years or 0}")
    print(f"calendar={args.calendar}")
    print(f"cpus={os.cpu_count()}")
    cluster = None
    calendar = None
    if args.calendar != "none":
        calendar = CalDAVServer(args.calendar, Path(tempfile.mkdtemp(prefix="ohjaamo-bench-")))
        calendar.start()
    try:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp(prefix='ohjaamo-bench-')}/bench.sqlite3"
            else:
                cluster = cluster or PostgresCluster()
                if not cluster.data.exists():
                    cluster.start()
                url = cluster.create_database("bench")
            count = args.warm_up + args.bookings
            token, bodies, past = prepare(url, count, args.years, calendar)
            for name, value in past.items():
                print(f"{backend}_{name}={value}")
            print(f"{backend}_load_average_at_start={load_average()}")
            database_pid = postgres_pid(cluster.data) if backend == "postgresql" else None
            calendar_pid = calendar.process.pid if calendar and calendar.process else None
            figures = http_bookings(
                backend, url, token, bodies, args.clients, args.warm_up, database_pid, calendar_pid
            )
            bare = bare_inserts_per_second(url)
            rate = figures["http_bookings_per_second"]
            print(f"{backend}_bare_inserts_per_second={bare:.1f}")
            print(f"{backend}_ratio_to_bare={rate / bare:.3f}")
            if backend == "postgresql":
                met = (
                    figures["cpu_ms_per_booking_app_db"] <= GOAL_CPU_MS
                    and figures["p95_ms"] <= GOAL_P95_MS
                )
                print(f"{backend}_goal_met={'yes' if met else 'no'}")
            print(f"{backend}_load_average_at_end={load_average()}")
    finally:
        if cluster is not None:
            cluster.stop()
        if calendar is not None:
            calendar.stop()


if __name__ == "__main__":
    main()
