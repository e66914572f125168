"""`ohjaamo outbox list|retry|purge`, and what `ohjaamo worker` loads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid

from flask import Flask
from flask.testing import FlaskCliRunner

from service import clock
from service.cli import cli
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from tests.outbox.helpers import QUIET_PERIODIC


def add(state: OutboxState, key: str, age_days: int = 0) -> uuid.UUID:
    message = OutboxMessage(
        kind="email.booking",
        payload={},
        idempotency_key=key,
        state=state,
        last_error="ConnectionRefusedError: [Errno 111]" if state is OutboxState.DEAD else None,
        attempts=8 if state is OutboxState.DEAD else 1,
        created_at=clock.now() - dt.timedelta(days=age_days),
    )
    db.session.add(message)
    db.session.commit()
    return message.id


def test_outbox_list_retry_and_purge(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        dead = add(OutboxState.DEAD, "a", age_days=40)
        add(OutboxState.DELIVERED, "b", age_days=40)
        add(OutboxState.DELIVERED, "c", age_days=1)

    listed = runner.invoke(cli, ["outbox", "list", "--state", "dead"])
    assert listed.exit_code == 0, listed.output
    assert str(dead) in listed.output and "ConnectionRefusedError" in listed.output
    assert listed.output.count("\n") == 1

    unknown = uuid.uuid4()
    retried = runner.invoke(cli, ["outbox", "retry", str(dead), str(unknown)])
    assert "1 message(s)" in retried.output and retried.exit_code == 1
    assert runner.invoke(cli, ["outbox", "retry"]).exit_code == 2

    purged = runner.invoke(cli, ["outbox", "purge", "--older-than-days", "30"])
    assert "Purged 1 message(s)." in purged.output
    with app.app_context():
        states = sorted(m.state.value for m in db.session.query(OutboxMessage))
        revived = db.session.get(OutboxMessage, dead)
        assert (revived.state, revived.attempts) == (OutboxState.PENDING, 0)
    assert states == ["delivered", "pending"]


# What `ohjaamo worker` leaves unloaded, keeping each worker's memory down: the API and
# the pages, and Alembic (some 11 MB), which only `ohjaamo db` and the web app use.
NOT_FOR_THE_WORKER = ("alembic", "flask_migrate", "flask_smorest", "service.api", "service.web")


def test_worker_command_loads_neither_the_api_nor_the_migrations(app: Flask) -> None:
    environment = {
        **os.environ,
        "OHJAAMO_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "OHJAAMO_TESTING": "true",
        "OHJAAMO_SECRET_KEY": "test-secret-key-" + "x" * 32,
        "OHJAAMO_WORKER_LOG_LEVEL": "WARNING",
        **{f"OHJAAMO_{name}": "0" for name in QUIET_PERIODIC},
    }
    program = (
        "import sys\n"
        "from service.cli import cli\n"
        "cli.main(['worker', '--once'], prog_name='ohjaamo', standalone_mode=False)\n"
        f"print([name for name in {NOT_FOR_THE_WORKER!r} if name in sys.modules])\n"
    )
    finished = subprocess.run(
        [sys.executable, "-c", program],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines()[-1] == "[]"
