"""``/metrics`` for Prometheus, and the timing of every request.

Protected from the public: with METRICS_TOKEN set, a scrape must carry
``Authorization: Bearer <token>``; without it, only a direct request from the machine
itself (loopback, no proxy's X-Forwarded-For) is answered. Others get 404, so the
endpoint is not advertised.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time
from collections.abc import Iterator

from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from service import clock, metrics
from service.extensions import db
from service.services.operations.monitoring import (
    calendar_sync_ages,
    outbox_figures,
    room_sync_ages,
)

bp = Blueprint("metrics", __name__)


def init_app(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_observe)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None and request.endpoint != "metrics.scrape":
        metrics.REQUEST_SECONDS.labels(
            endpoint=request.endpoint or "unmatched",
            method=request.method,
            status=str(response.status_code),
        ).observe(time.perf_counter() - started)
    return response


def allowed() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if request.headers.get("X-Forwarded-For") or not request.remote_addr:
        return False
    try:
        return ipaddress.ip_address(request.remote_addr).is_loopback
    except ValueError:
        return False


@bp.get("/metrics")
def scrape() -> Response:
    if not allowed():
        abort(404)
    counted = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(counted)
        body = generate_latest(counted)
    else:
        body = generate_latest(REGISTRY)
    from_database = CollectorRegistry()
    from_database.register(DatabaseCollector())
    return Response(body + generate_latest(from_database), mimetype=CONTENT_TYPE_LATEST)


class DatabaseCollector(Collector):
    """Gauges read from the database at scrape time (the same for every process)."""

    def collect(self) -> Iterator[Metric]:
        now = clock.now()
        try:
            outbox = outbox_figures(now)
            calendars = calendar_sync_ages(now)
            rooms = room_sync_ages(now)
        finally:
            db.session.rollback()
        messages = GaugeMetricFamily(
            "ohjaamo_outbox_messages", "Outbox messages by state.", labels=["state"]
        )
        for state, count in outbox.by_state.items():
            messages.add_metric([state], count)
        yield messages
        yield GaugeMetricFamily(
            "ohjaamo_outbox_due_messages", "Messages due for delivery now.", value=outbox.due
        )
        yield GaugeMetricFamily(
            "ohjaamo_outbox_oldest_due_age_seconds",
            "How long the oldest due message has waited (0 when none waits).",
            value=outbox.oldest_due_age_seconds,
        )
        for name, what, ages in (
            ("calendar", "calendar connection", calendars),
            ("room", "organisation's room system", rooms),
        ):
            age = GaugeMetricFamily(
                f"ohjaamo_{name}_sync_age_seconds",
                f"Seconds since each {what} last synced (since it was added, if never).",
                labels=["id", "backend"],
            )
            failing = GaugeMetricFamily(
                f"ohjaamo_{name}_sync_failing",
                f"1 when the last sync of the {what} failed.",
                labels=["id", "backend"],
            )
            for each in ages:
                age.add_metric([str(each.id), each.backend], each.age_seconds)
                failing.add_metric([str(each.id), each.backend], int(each.failing))
            yield age
            yield failing
