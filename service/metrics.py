"""Prometheus metrics counted in this process (``prometheus_client``).

Under gunicorn each worker process counts its own; with ``PROMETHEUS_MULTIPROC_DIR``
set in the environment before start, every process (the web workers and ``ohjaamo
worker`` on the same machine) writes its counts there and ``/metrics`` adds them up.
Figures read from the database at scrape time (outbox depth and age, sync ages) are in
``service.web.operations.metrics``. Labels are endpoint names, kinds, outcomes and reason codes:
never a name, an address or any content.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_SECONDS = Histogram(
    "ohjaamo_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint, method and status.",
    ["endpoint", "method", "status"],
    buckets=LATENCY_BUCKETS,
)
SLOT_SEARCH_SECONDS = Histogram(
    "ohjaamo_slot_search_duration_seconds",
    "Time of one slot search (database reads and the rules).",
    buckets=LATENCY_BUCKETS,
)
BOOKING_CHANGES = Counter(
    "ohjaamo_booking_changes",
    "Committed booking changes: created, moved, cancelled.",
    ["change"],
)
BOOKING_CONFLICTS = Counter(
    "ohjaamo_booking_conflicts",
    "Bookings refused at the final check, by the first reason.",
    ["reason"],
)
DELIVERIES = Counter(
    "ohjaamo_outbox_deliveries",
    "Outbox delivery attempts by message kind and outcome (delivered, failed).",
    ["kind", "outcome"],
)
DELIVERY_SECONDS = Histogram(
    "ohjaamo_outbox_delivery_duration_seconds",
    "Time of one delivery attempt, by outcome.",
    ["outcome"],
    buckets=LATENCY_BUCKETS,
)


def booking_changed(change: str) -> None:
    BOOKING_CHANGES.labels(change=change).inc()


def booking_conflict(reason: str) -> None:
    BOOKING_CONFLICTS.labels(reason=reason).inc()


def delivered(kind: str, outcome: str, seconds: float) -> None:
    DELIVERIES.labels(kind=kind, outcome=outcome).inc()
    DELIVERY_SECONDS.labels(outcome=outcome).observe(seconds)
