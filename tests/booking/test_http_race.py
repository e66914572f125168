"""Fifty simultaneous requests for one slot through HTTP, under gunicorn with four
worker processes: exactly one books, every other one is told 409, and the database
holds one active booking."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from service.extensions import db
from service.models import SupervisionSession, SupervisorHold
from service.services.accounts.tokens import create_token
from tests import builders
from tests.fixtures.gunicorn import gunicorn, server_log

REQUESTS = 50


def post(url: str, body: dict, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310 (loopback)
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_fifty_concurrent_bookings_of_one_slot(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    from tests.builders import upcoming

    start = upcoming(2, 10).isoformat()
    with app.app_context():
        profile = builders.supervisor()
        processes = [builders.process(profile) for _ in range(REQUESTS)]
        _, token = create_token(profile.person, "race", ("read", "write"))
        bodies = [{"process_id": str(p.id), "starts_at": start} for p in processes]

    statuses: list[int] = [0] * REQUESTS
    with gunicorn(database_url, tmp_path, workers=4) as base:
        barrier = threading.Barrier(REQUESTS)

        def attempt(index: int) -> None:
            barrier.wait()
            statuses[index] = post(f"{base}/api/v1/bookings", bodies[index], token)

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)

    assert sorted(statuses) == [201] + [409] * (REQUESTS - 1), server_log(tmp_path)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupervisionSession)) == 1
        active = select(func.count()).select_from(SupervisorHold).where(SupervisorHold.active)
        assert db.session.scalar(active) == 1
