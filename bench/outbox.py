"""Outbox delivery throughput: 5,000 booking emails rendered (text, HTML, invitation) and
sent to a local aiosmtpd by 1 and by 4 `ohjaamo worker` processes on PostgreSQL.

Prints `name=value` lines: messages per second for each run and each worker's peak
resident memory (VmHWM).

    .venv/bin/python bench/outbox.py [--messages N] [--workers 1,4]
"""

from __future__ import annotations

import argparse
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

from service import create_app
from service.extensions import db
from service.models import OutboxMessage, OutboxState, SupervisionSession
from service.models.base import utcnow
from service.services.booking_mail import BOOKING_EMAIL
from tests.conftest import TEST_ENCRYPTION_KEY, test_config
from tests.fixtures.smtp import free_port
from tests.outbox_helpers import QUIET_PERIODIC, book_sessions
from tests.postgres import PostgresCluster

OHJAAMO = Path(sys.executable).parent / "ohjaamo"


class CountingHandler:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def enqueue(count: int) -> None:
    """``count`` email messages for one booked session and its participant."""
    db.session.execute(delete(OutboxMessage))
    session = db.session.scalars(select(SupervisionSession)).one()
    person_id = session.process.participants[0].person_id
    now = utcnow()
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


def run(url: str, smtp_port: int, workers: int, count: int) -> dict[str, float]:
    enqueue(count)
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
    started = time.perf_counter()
    processes = [
        subprocess.Popen([str(OHJAAMO), "worker", "--name", f"bench-{n}"], env=environment)
        for n in range(workers)
    ]
    while delivered() < count:
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    memory = [peak_rss_mb(process.pid) for process in processes]
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)
    return {
        f"workers{workers}_messages_per_second": round(count / elapsed, 1),
        f"workers{workers}_seconds": round(elapsed, 2),
        f"workers{workers}_peak_rss_mb_max": round(max(memory), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--workers", default="1,4")
    arguments = parser.parse_args()
    cluster = PostgresCluster()
    cluster.start()
    handler = CountingHandler()
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
            for workers in (int(n) for n in arguments.workers.split(",")):
                for name, value in run(url, smtp_port, workers, arguments.messages).items():
                    print(f"{name}={value}", flush=True)
            print(f"smtp_received={handler.count}")
            db.session.remove()
            db.engine.dispose()
    finally:
        controller.stop()
        cluster.stop()


if __name__ == "__main__":
    main()
