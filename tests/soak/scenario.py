"""The scale-out scenario: supervisors whose calendars receive their sessions, clients
that search slots and book through nginx, faults on a timeline, then the checks.

A client books like a careful API client: it searches, picks one of the first few free
times (so clients collide and some get 409), and repeats a request that got no answer
or a 5xx with the same Idempotency-Key, so a booking committed before its answer was
lost is not made twice.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import select

from service import clock, create_app
from service.extensions import db
from service.models import ConnectedCalendar
from service.services.accounts.tokens import create_token
from service.services.calendars.setup import ConnectCalendar, choose_calendars, connect_calendar
from tests import builders
from tests.conftest import test_config
from tests.fixtures.caldav_servers import PASSWORD, USERNAME
from tests.soak.installation import Installation
from tests.soak.load import NO_ANSWER, ApiClient, Recorder, drain

ZONE = "Europe/Helsinki"
CHOICES = 6
SEARCHES = 10
TRIES_PER_TIME = 8
RETRY_PAUSE_SECONDS = 0.3
FAILED = {NO_ANSWER, 500, 502, 503, 504}


@dataclass(frozen=True)
class Plan:
    supervisors: int = 2
    processes_per_supervisor: int = 30
    clients: int = 8
    rate: float | None = 5.0  # bookings started per second; None: as fast as possible
    faults: bool = True
    fault_gap_seconds: float = 1.5


@dataclass(frozen=True)
class BookingJob:
    process_id: uuid.UUID
    token: str
    seed: int


@dataclass
class Supervisor:
    supervisor_id: str
    token: str
    calendar_url: str
    process_ids: list[uuid.UUID]


@dataclass
class Fault:
    name: str
    began: float
    ended: float


@dataclass
class Outcome:
    recorder: Recorder
    acknowledged: list[str]
    faults: list[Fault]
    seconds: float
    unexpected: list[int] = field(default_factory=list)


def local_app(installation: Installation) -> Flask:
    """An app in this process on the installation's database, with its keys."""
    return create_app(test_config(installation.database_url))


def seed(installation: Installation, plan: Plan) -> list[Supervisor]:
    """Supervisors, each with a calendar on the CalDAV server that receives its sessions,
    and processes starting today."""
    assert installation.caldav is not None
    app = local_app(installation)
    today = clock.now().date()
    supervisors = []
    with app.app_context():
        for _ in range(plan.supervisors):
            profile = builders.supervisor(max_advance_days=120)
            calendar_url = installation.caldav.make_calendar()
            principal = builders.principal(profile.person)
            connection_id = connect_calendar(
                principal,
                profile.id,
                ConnectCalendar(installation.caldav.url, USERNAME, PASSWORD),
                now=clock.now(),
            )
            calendar_id = db.session.scalar(
                select(ConnectedCalendar.id).where(
                    ConnectedCalendar.connection_id == connection_id,
                    ConnectedCalendar.url == calendar_url,
                )
            )
            choose_calendars(
                principal, connection_id, blocking=(), receiving=calendar_id, now=clock.now()
            )
            processes = [
                builders.process(
                    profile, starts_on=today, planned_end_on=today + dt.timedelta(days=365)
                ).id
                for _ in range(plan.processes_per_supervisor)
            ]
            _, token = create_token(profile.person, "soak", ("read", "write"))
            supervisors.append(Supervisor(str(profile.id), token, calendar_url, processes))
        db.session.remove()
        db.engine.dispose()
    return supervisors


def slot_query(process_id: uuid.UUID) -> str:
    start = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    window = {
        "process": str(process_id),
        "from": (start + dt.timedelta(days=2)).isoformat(),
        "to": (start + dt.timedelta(days=23)).isoformat(),
        "zone": ZONE,
    }
    return "/api/v1/slots?" + urlencode(window)


def book(client: ApiClient, job: BookingJob, unexpected: list[int]) -> str | None:
    """Search and book until one time is booked; returns the booking id."""
    rng = random.Random(job.seed)
    for _ in range(SEARCHES):
        status, slots = client.request("slots", "GET", slot_query(job.process_id))
        if status != 200:
            if status not in FAILED:
                unexpected.append(status)
            time.sleep(RETRY_PAUSE_SECONDS)
            continue
        if not slots:
            return None
        chosen = rng.choice(slots[:CHOICES])["start"]
        body = {"process_id": str(job.process_id), "starts_at": chosen}
        key = f"soak-{job.process_id}-{chosen}"
        for _ in range(TRIES_PER_TIME):
            status, answer = client.request(
                "booking", "POST", "/api/v1/bookings", body, {"Idempotency-Key": key}
            )
            if status in (200, 201):
                return str(answer["id"])
            if status == 409:
                break
            if status not in FAILED:
                unexpected.append(status)
                break
            time.sleep(RETRY_PAUSE_SECONDS)
    return None


def fault_timeline(installation: Installation, plan: Plan) -> tuple[Callable[[], None], list]:
    """Restart PostgreSQL with `pg_ctl restart -m fast`, SIGKILL worker 1 (and start a
    new one), restart node 1 (SIGTERM, then start), a pause apart; the slowest last."""
    faults: list[Fault] = []

    def timed(name: str, action: Callable[[], None]) -> None:
        time.sleep(plan.fault_gap_seconds)
        began = time.monotonic()
        action()
        faults.append(Fault(name, began, time.monotonic()))

    def node_restart() -> None:
        installation.web[0].stop()
        installation.web[0].start()

    def worker_kill() -> None:
        installation.outbox_workers[0].kill()
        installation.outbox_workers[0].start()

    def run() -> None:
        assert installation.postgres is not None
        timed("postgresql restart", installation.postgres.restart)
        timed("worker SIGKILL", worker_kill)
        timed("node restart", node_restart)

    return run, faults


def run_load(installation: Installation, plan: Plan, supervisors: list[Supervisor]) -> Outcome:
    assert installation.nginx is not None
    recorder = Recorder()
    unexpected: list[int] = []
    jobs = [
        BookingJob(process_id, supervisor.token, seed=index * 1000 + number)
        for index, supervisor in enumerate(supervisors)
        for number, process_id in enumerate(supervisor.process_ids)
    ]
    random.Random(7).shuffle(jobs)

    def work(job: BookingJob) -> str | None:
        client = ApiClient(installation.nginx.base, job.token, recorder, installation.tls)
        return book(client, job, unexpected)

    faults: list[Fault] = []
    chaos = None
    if plan.faults:
        timeline, faults = fault_timeline(installation, plan)
        chaos = threading.Thread(target=timeline)
        chaos.start()
    began = time.monotonic()
    booked = drain(jobs, plan.clients, work, plan.rate)
    seconds = time.monotonic() - began
    if chaos is not None:
        chaos.join()
    acknowledged = [booking for booking in booked if booking is not None]
    return Outcome(recorder, acknowledged, faults, seconds, unexpected)
