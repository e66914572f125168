"""The service's one clock: every "now" of the service comes from `now()`.

Rules in `service/domain/` take `now` as an argument; the pages, the API, the use
cases that stamp what they write, the worker and the commands ask this module, and
nothing else reads the wall clock. Tests set the time with time-machine, in their own
process and in the servers they start (`tests/fixtures/at_time.py`).
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)
