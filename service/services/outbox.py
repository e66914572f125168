"""Writing side effects into the outbox, inside the caller's transaction.

Nothing here talks to a remote system: the worker delivers what is written, and a
rolled-back transaction takes its messages with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.extensions import db
from service.models import OutboxMessage
from service.models.base import utcnow


def enqueue(
    kind: str, payload: dict[str, Any], idempotency_key: str, *, due_at: dt.datetime | None = None
) -> OutboxMessage:
    """Add one message; the key makes delivery idempotent (one message per key)."""
    message = OutboxMessage(
        kind=kind, payload=payload, idempotency_key=idempotency_key, due_at=due_at or utcnow()
    )
    db.session.add(message)
    return message
