"""/metrics: who may read it, what it counts, and the sum over gunicorn's processes."""

from __future__ import annotations

import datetime as dt
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from service import clock
from service.domain.intervals import Interval
from service.extensions import db
from service.models import CalendarConnection, OutboxMessage
from service.services.booking.changes import BookingConflict, BookSession, book_session
from service.services.booking.slots import SlotQuery, search_slots
from tests import builders
from tests.builders import NOW, helsinki
from tests.fixtures.gunicorn import gunicorn, server_log

OUTSIDE = {"REMOTE_ADDR": "203.0.113.7"}


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_only_the_machine_itself_may_read_metrics_without_a_token(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", environ_base=OUTSIDE).status_code == 404
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert proxied.status_code == 404


def test_with_a_token_every_scrape_must_carry_it(app: Flask) -> None:
    app.config["METRICS_TOKEN"] = "scrape-secret-123"
    client = app.test_client()
    assert client.get("/metrics").status_code == 404
    wrong = {"Authorization": "Bearer scrape-secret-124"}
    assert client.get("/metrics", headers=wrong, environ_base=OUTSIDE).status_code == 404
    right = {"Authorization": "Bearer scrape-secret-123"}
    assert client.get("/metrics", headers=right, environ_base=OUTSIDE).status_code == 200


def test_bookings_conflicts_slot_searches_and_requests_are_counted(app: Flask) -> None:
    before = {
        "created": counted("ohjaamo_booking_changes_total", change="created"),
        "conflicts": counted("ohjaamo_booking_conflicts_total", reason="session_conflict"),
        "searches": counted("ohjaamo_slot_search_duration_seconds_count"),
        "health": counted(
            "ohjaamo_http_request_duration_seconds_count",
            endpoint="health.healthz",
            method="GET",
            status="200",
        ),
    }
    with app.app_context():
        profile = builders.supervisor()
        first, second = builders.process(profile), builders.process(profile)
        start = helsinki(2027, 3, 3, 10)
        window = Interval(start - dt.timedelta(hours=2), start + dt.timedelta(days=1))
        who = builders.participant_principal(first)
        search_slots(who, SlotQuery(window, process_id=first.id), NOW)
        book_session(who, BookSession(first.id, start), now=NOW)
        with pytest.raises(BookingConflict):
            book_session(
                builders.participant_principal(second), BookSession(second.id, start), now=NOW
            )
    app.test_client().get("/healthz")
    assert counted("ohjaamo_booking_changes_total", change="created") == before["created"] + 1
    conflicts = counted("ohjaamo_booking_conflicts_total", reason="session_conflict")
    assert conflicts == before["conflicts"] + 1
    assert counted("ohjaamo_slot_search_duration_seconds_count") == before["searches"] + 1
    health = counted(
        "ohjaamo_http_request_duration_seconds_count",
        endpoint="health.healthz",
        method="GET",
        status="200",
    )
    assert health == before["health"] + 1


def test_outbox_and_sync_ages_come_from_the_database(app: Flask) -> None:
    with app.app_context():
        profile = builders.supervisor()
        old = clock.now() - dt.timedelta(minutes=15)
        db.session.add_all(
            [
                OutboxMessage(kind="email.test", payload={}, idempotency_key="a", due_at=old),
                OutboxMessage(kind="email.test", payload={}, idempotency_key="b"),
                OutboxMessage(
                    kind="email.test",
                    payload={},
                    idempotency_key="c",
                    due_at=clock.now() + dt.timedelta(hours=1),
                ),
            ]
        )
        connection = CalendarConnection(
            supervisor_id=profile.id, url="https://calendar.test/", last_sync_at=old
        )
        db.session.add(connection)
        db.session.commit()
        connection_id = str(connection.id)
    client = app.test_client()
    found = samples(client.get("/metrics").get_data(as_text=True))
    assert found[("ohjaamo_outbox_messages", (("state", "pending"),))] == 3
    assert found[("ohjaamo_outbox_due_messages", ())] == 2
    assert 900 <= found[("ohjaamo_outbox_oldest_due_age_seconds", ())] < 960
    age = found[
        ("ohjaamo_calendar_sync_age_seconds", (("backend", "caldav"), ("id", connection_id)))
    ]
    assert 900 <= age < 960

    app.config["READYZ_OUTBOX_BEHIND_SECONDS"] = 3600
    ready = client.get("/readyz").json
    assert ready["outbox"]["state"] == "ok" and ready["outbox"]["due"] == 2
    assert ready["outbox"]["oldest_due_age_seconds"] >= 900
    app.config["READYZ_OUTBOX_BEHIND_SECONDS"] = 600
    behind = client.get("/readyz")
    assert behind.status_code == 200 and behind.json["outbox"]["state"] == "behind"


@pytest.mark.sqlite_only
def test_gunicorn_workers_add_up_in_multiprocess_mode(database_url: str, tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared)}
    labels = (("endpoint", "health.healthz"), ("method", "GET"), ("status", "200"))
    key = ("ohjaamo_http_request_duration_seconds_count", labels)

    def scrape(base: str) -> float:
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as answer:  # noqa: S310
            return samples(answer.read().decode()).get(key, 0.0)

    with gunicorn(database_url, tmp_path, workers=2, env=env) as base:
        before = scrape(base)  # the fixture's start-up probes of /healthz count too
        for _ in range(30):
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 (loopback)
                pass
        assert scrape(base) == before + 30, server_log(tmp_path)
    assert any(path.name.startswith("histogram_") for path in shared.iterdir())
