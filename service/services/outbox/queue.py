"""Writing side effects into the outbox, inside the caller's transaction.

Nothing here talks to a remote system: the worker delivers what is written, and a
rolled-back transaction takes its messages with it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from service import clock
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from service.request_ids import current_request_id


def enqueue(
    kind: str, payload: dict[str, Any], idempotency_key: str, *, due_at: dt.datetime | None = None
) -> OutboxMessage:
    """Add one message; the key makes delivery idempotent (one message per key). It
    carries the current request id, so its deliveries log under the same id."""
    message = OutboxMessage(
        kind=kind,
        payload=payload,
        idempotency_key=idempotency_key,
        due_at=due_at or clock.now(),
        request_id=current_request_id(),
    )
    db.session.add(message)
    return message


def enqueue_once(
    kind: str, payload: dict[str, Any], idempotency_key: str, *, due_at: dt.datetime | None = None
) -> bool:
    """Add the message unless one with this key exists; True if it was added.

    For work that may run more than once (a re-delivered fan-out, a periodic job on
    several workers): the unique key decides, in the database, which run writes it.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .values(
            id=uuid.uuid4(),
            kind=kind,
            payload=payload,
            idempotency_key=idempotency_key,
            state=OutboxState.PENDING,
            due_at=due_at or clock.now(),
            attempts=0,
            created_at=clock.now(),
            request_id=current_request_id(),
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(OutboxMessage.id)
    )
    return db.session.execute(statement).scalar() is not None


@dataclass(frozen=True)
class Delivery:
    """One claimed message as the worker hands it to its handler.

    A handler is called with no transaction open; it may read and write the database in
    transactions of its own, must end them before calling a remote system, and raises
    to have the message retried later.
    """

    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int
    now: dt.datetime
    request_id: str | None = None
