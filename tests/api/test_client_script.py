"""docs/api-client.sh, run as a reader would run it: curl against gunicorn, the token
from `ohjaamo tokens create`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from flask import Flask

from service import clock
from service.extensions import db
from service.models import ApiToken, SessionStatus, SupervisionProcess, SupervisionSession
from tests.api.world import build_world
from tests.fixtures.gunicorn import ROOT, gunicorn, production_environment, server_log

SCRIPT = ROOT / "docs" / "api-client.sh"


@pytest.mark.sqlite_only  # the flow is HTTP's; both databases are covered by the API tests
def test_the_documented_client_flow_runs(app: Flask, database_url: str, tmp_path: Path) -> None:
    with app.app_context():
        world = build_world()
        process = db.session.get(SupervisionProcess, world.process_id)
        booker = next(p for p in process.participants if p.is_group_contact)
        email = booker.person.email

    with gunicorn(database_url, tmp_path) as base:
        env = {
            **production_environment(tmp_path, database_url),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "OHJAAMO_URL": base,
            "EMAIL": email,
            "PROCESS": str(world.process_id),
            # The server runs on the test's day; the script would ask the machine's.
            "FROM": (clock.now() + dt.timedelta(days=3)).isoformat(),
            "TO": (clock.now() + dt.timedelta(days=70)).isoformat(),
        }
        result = subprocess.run(
            ["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout + result.stderr + server_log(tmp_path)

    lines = dict(line.split(": ", 1) for line in result.stdout.strip().splitlines())
    booking_id = uuid.UUID(lines["booked"].split()[0])
    assert lines["retried with the same key"] == str(booking_id)
    assert lines["cancelled"].startswith("cancelled, charge 0")
    with app.app_context():
        db.session.expire_all()
        session = db.session.get(SupervisionSession, booking_id)
        assert session.process_id == world.process_id
        assert session.status is SessionStatus.CANCELLED
        made = db.session.scalars(
            db.select(SupervisionSession).where(SupervisionSession.booked_by_id == booker.person_id)
        ).all()
        assert [s.id for s in made] == [booking_id]  # the retry booked nothing more
        token = db.session.scalar(db.select(ApiToken).where(ApiToken.name == "api-client.sh"))
        assert token.last_used_at is not None
