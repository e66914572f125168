"""Outbox delivery throughput: 5,000 booking emails rendered (text, HTML, invitation) and
sent to a local aiosmtpd by 1 and by 4 `ohjaamo worker` processes on PostgreSQL.

Prints `name=value` lines: for each run, messages per second from the workers' start
and from the first delivery on (the workers' start-up left out), each worker's peak
resident memory (VmHWM), and the workers' CPU time per message (user + system, less
what a worker spends starting and stopping with nothing to do: the figure that matters
when other work shares the cores); then both rates side by side and the ratio of the
last run to the first (4 workers to 1). `idle_*` is one worker started with an empty
outbox.

With ``--smtp-delay-ms`` the SMTP sink takes that long to accept each message (it waits
before answering DATA, as a remote server across a network does), so a worker spends
most of its time waiting for the server: what several workers are for.

    .venv/bin/python bench/outbox.py [--messages N] [--workers 1,4] [--smtp-delay-ms 20]

Goal (issue 21): with a 20 ms SMTP server, 4 workers deliver at least 3 x what one does
(`goal_met` judges the rates from the first delivery on).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import delete, func, insert, select

from bench.machine import load_average
from service import clock, create_app
from service.extensions import db
from service.models import OutboxMessage, OutboxState, SupervisionSession
from service.services.booking.mail import BOOKING_EMAIL
from tests.conftest import TEST_ENCRYPTION_KEY, test_config
from tests.fixtures.smtp import free_port
from tests.outbox.helpers import QUIET_PERIODIC, book_sessions
from tests.postgres import PostgresCluster

OHJAAMO = Path(sys.executable).parent / "ohjaamo"


GOAL_RATIO = 3.0


class CountingHandler:
    """Counts the messages it accepts, each after ``delay`` seconds (the sessions of
    several workers wait side by side)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.count = 0
        self.delay = delay

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        return "250 OK"


def enqueue(count: int) -> None:
    """``count`` email messages for one booked session and its participant."""
    db.session.execute(delete(OutboxMessage))
    session = db.session.scalars(select(SupervisionSession)).one()
    person_id = session.process.participants[0].person_id
    now = clock.now()
    rows = [
        {
            "kind": BOOKING_EMAIL,
            "payload": {
                "event": "created",
                "session_id": str(session.id),
                "sequence": session.sequence,
                "person_id": str(person_id),
            },
            "idempotency_key": f"bench:{index}",
            "state": OutboxState.PENDING,
            "due_at": now,
            "attempts": 0,
        }
        for index in range(count)
    ]
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    db.session.commit()


def delivered() -> int:
    db.session.rollback()
    query = select(func.count()).where(OutboxMessage.state == OutboxState.DELIVERED)
    return int(db.session.scalar(query) or 0)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def cpu_seconds_at_exit(process: subprocess.Popen[bytes]) -> float:
    """The CPU time of a worker told to stop, once it has exited."""
    _pid, _status, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_utime + usage.ru_stime


def idle(url: str, smtp_port: int) -> dict[str, float]:
    """One worker that finds nothing to do: its start-up CPU and resident memory, read
    once it has started (its CPU time grows by no more than polling an empty outbox)."""
    enqueue(0)
    process = subprocess.Popen(
        [str(OHJAAMO), "worker", "--name", "bench-idle"], env=worker_environment(url, smtp_port)
    )
    used, previous = cpu_ticks(process.pid), -100
    while used - previous > 5:
        time.sleep(1)
        used, previous = cpu_ticks(process.pid), used
    memory = peak_rss_mb(process.pid)
    process.send_signal(signal.SIGTERM)
    return {
        "idle_cpu_seconds": round(cpu_seconds_at_exit(process), 3),
        "idle_peak_rss_mb": round(memory, 1),
    }


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return int(fields[11]) + int(fields[12])


def worker_environment(url: str, smtp_port: int) -> dict[str, str]:
    environment = dict(os.environ)
    config = {
        **test_config(url),
        "ENCRYPTION_KEYS": [TEST_ENCRYPTION_KEY],
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_SECURITY": "none",
        "WORKER_POLL_SECONDS": 0.1,
        "WORKER_LOG_LEVEL": "WARNING",
        "DATABASE_POOL_SIZE": 2,
        **QUIET_PERIODIC,
    }
    for name, value in config.items():
        environment[f"OHJAAMO_{name}"] = value if isinstance(value, str) else json.dumps(value)
    return environment


def run(url: str, smtp_port: int, workers: int, count: int, idle_cpu: float) -> dict[str, float]:
    enqueue(count)
    environment = worker_environment(url, smtp_port)
    started = time.perf_counter()
    processes = [
        subprocess.Popen([str(OHJAAMO), "worker", "--name", f"bench-{n}"], env=environment)
        for n in range(workers)
    ]
    first: tuple[float, int] | None = None  # when delivery was first seen, and how many
    while (done := delivered()) < count:
        if first is None and done:
            first = (time.perf_counter(), done)
        time.sleep(0.1)
    ended = time.perf_counter()
    elapsed = ended - started
    first = first or (started, 0)
    memory = [peak_rss_mb(process.pid) for process in processes]
    for process in processes:
        process.send_signal(signal.SIGTERM)
    cpu = sum(cpu_seconds_at_exit(process) for process in processes)
    return {
        f"workers{workers}_messages_per_second": round(count / elapsed, 1),
        # From the first delivery on: the workers' start-up left out.
        f"workers{workers}_delivering_messages_per_second": round(
            (count - first[1]) / max(ended - first[0], 1e-3), 1
        ),
        f"workers{workers}_seconds": round(elapsed, 2),
        f"workers{workers}_peak_rss_mb_max": round(max(memory), 1),
        f"workers{workers}_cpu_ms_per_message": round((cpu - workers * idle_cpu) / count * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument(
        "--smtp-delay-ms", type=float, default=0, help="how long the sink takes per message"
    )
    arguments = parser.parse_args()
    cluster = PostgresCluster()
    cluster.start()
    handler = CountingHandler(arguments.smtp_delay_ms / 1000)
    smtp_port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        url = cluster.create_database("ohjaamo_bench")
        app = create_app(test_config(url))
        with app.app_context():
            upgrade()
            book_sessions(1)
            print(f"messages={arguments.messages}")
            print(f"smtp_delay_ms={arguments.smtp_delay_ms:g}")
            print(f"cpus={os.cpu_count()}")
            print(f"load_average_at_start={load_average()}")
            figures = idle(url, smtp_port)
            for name, value in figures.items():
                print(f"{name}={value}", flush=True)
            runs = {}
            for workers in (int(n) for n in arguments.workers.split(",")):
                ran = run(url, smtp_port, workers, arguments.messages, figures["idle_cpu_seconds"])
                runs[workers] = ran
                for name, value in ran.items():
                    print(f"{name}={value}", flush=True)
            if len(runs) > 1:
                first, *_, last = runs
                for figure in ("messages_per_second", "delivering_messages_per_second"):
                    rate = {n: runs[n][f"workers{n}_{figure}"] for n in (first, last)}
                    print(f"{figure}={first}:{rate[first]} {last}:{rate[last]}")
                    ratio = rate[last] / rate[first]
                    print(f"{figure}_workers{last}_to_workers{first}_ratio={ratio:.2f}")
                    if figure == "delivering_messages_per_second":
                        print(f"goal_met={'yes' if ratio >= GOAL_RATIO else 'no'}")
            print(f"load_average_at_end={load_average()}")
            print(f"smtp_received={handler.count}")
            db.session.remove()
            db.engine.dispose()
    finally:
        controller.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
