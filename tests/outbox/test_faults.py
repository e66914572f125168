"""Fault tests: the mail server down for a while, a worker killed with SIGKILL in the
middle of its batch, PostgreSQL going away under a running worker. In each, every
committed message arrives, nothing of a rolled-back booking is sent, and Message-IDs
are not repeated (except at most the one message in flight at the kill)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from service.extensions import db
from service.models import OutboxMessage, OutboxState, SessionStatus, SupervisionSession
from service.services.booking import steps as booking_steps
from service.services.booking.changes import BookSession, book_session
from service.services.booking.mail import BOOKING_EMAIL
from service.services.notify.mail import message_id_for
from service.services.worker.loop import Worker
from tests import builders
from tests.builders import NOW, helsinki
from tests.conftest import TEST_ENCRYPTION_KEY
from tests.fixtures.at_time import command_at
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import QUIET_PERIODIC, book_sessions, count_messages, mail_settings
from tests.postgres import PostgresCluster

OHJAAMO = Path(sys.executable).parent / "ohjaamo"


@pytest.fixture
def ctx(app: Flask, smtp_server: SMTPServer) -> Iterator[Flask]:
    app.config.update(mail_settings(smtp_server))
    with app.app_context():
        yield app


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def all_delivered() -> bool:
    db.session.rollback()
    return count_messages(OutboxState.DELIVERED) == count_messages()


def expected_message_ids() -> set[str]:
    db.session.rollback()
    keys = db.session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == BOOKING_EMAIL)
    )
    return {message_id_for(key) for key in keys}


def book_then_roll_back() -> list[str]:
    """A booking whose transaction fails after writing its outbox message; the
    addresses of the people it would have told."""
    process = builders.process(builders.supervisor())
    addresses = [process.supervisor.person.email, process.participants[0].person.email]
    who = builders.participant_principal(process)
    original = booking_steps.audit.record

    def failing_record(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the audit write failed")

    booking_steps.audit.record = failing_record  # type: ignore[assignment]
    try:
        with pytest.raises(RuntimeError):
            book_session(who, BookSession(process.id, helsinki(2027, 3, 4, 10)), now=NOW)
    finally:
        booking_steps.audit.record = original  # type: ignore[assignment]
    db.session.rollback()
    assert (
        db.session.scalars(
            select(SupervisionSession).where(SupervisionSession.process_id == process.id)
        ).all()
        == []
    )
    return addresses


def test_smtp_down_then_back_every_committed_message_arrives_once(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    ctx.config.update(
        OUTBOX_RETRY_BASE_SECONDS=0.05, OUTBOX_RETRY_MAX_SECONDS=0.2, OUTBOX_MAX_ATTEMPTS=100
    )
    smtp_server.stop()
    sessions = book_sessions(3, participants=2)
    people = {sessions[0].process.supervisor.person.email} | {
        p.person.email for p in sessions[0].process.participants
    }
    rolled_back = book_then_roll_back()
    assert count_messages() == 3
    db.session.commit()
    worker = Worker(ctx, name="fault-worker")

    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        worker.run_batch()
    db.session.rollback()
    failing = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == BOOKING_EMAIL)
    ).all()
    assert len(failing) == 9
    assert all(m.attempts >= 1 and m.state is OutboxState.PENDING for m in failing)
    assert max(m.attempts for m in failing) >= 2, "retried while the server was down"
    assert smtp_server.messages == []

    smtp_server.start_again()
    wait_for(lambda: worker.run_batch() == 0 and all_delivered(), 30, "every delivery")

    arrived = Counter(address for r in smtp_server.messages for address in r.rcpt_tos)
    assert arrived == {address: 3 for address in people}
    assert not set(arrived) & set(rolled_back)
    ids = smtp_server.message_ids()
    assert len(ids) == len(set(ids)) == 9
    assert set(ids) == expected_message_ids()


def worker_environment(database_url: str, server: SMTPServer, **settings: Any) -> dict[str, str]:
    environment = dict(os.environ)
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "ENCRYPTION_KEYS": [TEST_ENCRYPTION_KEY],
        "WORKER_POLL_SECONDS": 0.1,
        **mail_settings(server),
        **QUIET_PERIODIC,
        **settings,
    }
    for name, value in config.items():
        environment[f"OHJAAMO_{name}"] = value if isinstance(value, str) else json.dumps(value)
    return environment


def start_worker(environment: dict[str, str], name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command_at("service.cli", "worker", "--name", name),
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen[str]) -> str:
    """SIGTERM, which a worker obeys promptly; its output."""
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output
    return output


def test_worker_killed_mid_batch_its_lease_runs_out_and_nothing_is_lost(
    ctx: Flask, smtp_server: SMTPServer, database_url: str
) -> None:
    smtp_server.delay_seconds = 0.15
    book_sessions(6, participants=2)
    db.session.commit()
    environment = worker_environment(
        database_url, smtp_server, OUTBOX_BATCH_SIZE=10, OUTBOX_LEASE_SECONDS=4
    )

    first = start_worker(environment, "doomed")
    try:
        wait_for(lambda: len(smtp_server.messages) >= 4, 60, "the first worker to send")
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=20)
    db.session.rollback()
    assert count_messages(OutboxState.LEASED) > 0, "the kill must leave a leased batch"
    assert count_messages(OutboxState.PENDING) + count_messages(OutboxState.LEASED) > 0

    second = start_worker(environment, "survivor")
    try:
        wait_for(all_delivered, 60, "the second worker to take the leases over")
    finally:
        output = stop_worker(second)
    assert "survivor stopped" in output

    expected = expected_message_ids()
    ids = smtp_server.message_ids()
    assert len(expected) == 18
    assert set(ids) == expected
    repeated = [message_id for message_id, count in Counter(ids).items() if count > 1]
    assert len(repeated) <= 1, "only the message in flight at the kill may come twice"


@pytest.mark.postgresql_only
def test_worker_survives_postgresql_going_away(
    ctx: Flask, smtp_server: SMTPServer, database_url: str, postgres: PostgresCluster
) -> None:
    environment = worker_environment(database_url, smtp_server, WORKER_DATABASE_RETRY_SECONDS=0.3)
    worker = start_worker(environment, "steady")
    try:
        process = builders.process(builders.supervisor())
        who, process_id = builders.participant_principal(process), process.id
        book_session(who, BookSession(process_id, helsinki(2027, 3, 3, 10)), now=NOW)
        wait_for(all_delivered, 60, "delivery before the outage")

        db.session.remove()
        postgres.pause()
        time.sleep(1.5)
        postgres.resume()
        db.engine.dispose()

        book_session(who, BookSession(process_id, helsinki(2027, 3, 10, 10)), now=NOW)
        wait_for(all_delivered, 60, "delivery after the outage")
        assert worker.poll() is None, "the worker must keep running"
    finally:
        output = stop_worker(worker)
    assert "database unavailable" in output
    sessions = db.session.scalars(select(SupervisionSession)).all()
    assert [s.status for s in sessions] == [SessionStatus.BOOKED] * 2
    ids = smtp_server.message_ids()
    assert len(ids) == len(set(ids)) == 4
