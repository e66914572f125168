"""The states an outbox message passes through in the worker's hands.

pending --claim--> leased --complete--> delivered
                     |--fail--> pending (later, with backoff) or dead (after N attempts)
                     |--release--> pending (a stopping worker's unstarted messages)
A lease that expires (its worker was killed) makes the message claimable again. Every
change after the claim is conditional on still holding the lease, so a worker that was
too slow cannot overwrite the outcome of the one that took the message over.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Update, and_, bindparam, or_, select, update

from service.domain.backoff import retry_delay
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from service.services.outbox.queue import Delivery
from service.services.transactions import write_transaction

LAST_ERROR_LENGTH = 1000


@dataclass(frozen=True)
class LeaseSettings:
    batch_size: int
    lease: dt.timedelta
    max_attempts: int
    retry_base_seconds: float
    retry_max_seconds: float

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LeaseSettings:
        return cls(
            batch_size=int(config["OUTBOX_BATCH_SIZE"]),
            lease=dt.timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]),
            max_attempts=int(config["OUTBOX_MAX_ATTEMPTS"]),
            retry_base_seconds=float(config["OUTBOX_RETRY_BASE_SECONDS"]),
            retry_max_seconds=float(config["OUTBOX_RETRY_MAX_SECONDS"]),
        )


def claimable(now: dt.datetime) -> Any:
    """Due pending messages, and leased ones whose lease has run out."""
    return or_(
        and_(OutboxMessage.state == OutboxState.PENDING, OutboxMessage.due_at <= now),
        and_(OutboxMessage.state == OutboxState.LEASED, OutboxMessage.leased_until <= now),
    )


def claim(
    owner: str,
    now: dt.datetime,
    settings: LeaseSettings,
    *,
    only: Collection[uuid.UUID] | None = None,
) -> list[Delivery]:
    """Lease up to a batch of messages to ``owner``, oldest due first (of ``only`` these
    messages, when given: a command delivering some at once takes them the same way, so
    no worker delivers them beside it).

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so workers side by side take different rows
    without waiting on each other. SQLite: the IMMEDIATE transaction of
    ``write_transaction`` makes the select-and-lease one step. The attempt is counted
    here, so a message that kills its worker every time still ends dead.
    """
    query = select(OutboxMessage).where(claimable(now))
    if only is not None:
        query = query.where(OutboxMessage.id.in_(list(only)))
    with write_transaction():
        messages = db.session.scalars(
            query.order_by(OutboxMessage.due_at)
            .limit(settings.batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        for message in messages:
            message.state = OutboxState.LEASED
            message.lease_owner = owner
            message.leased_until = now + settings.lease
            message.attempts += 1
        claimed = [
            Delivery(
                id=message.id,
                kind=message.kind,
                payload=dict(message.payload),
                idempotency_key=message.idempotency_key,
                attempts=message.attempts,
                now=now,
                request_id=message.request_id,
            )
            for message in messages
        ]
    return claimed


def _change_held(message_ids: Sequence[uuid.UUID], owner: str, **values: Any) -> int:
    """Set ``values`` on those of the messages still leased to ``owner``, in a transaction
    of its own; how many changed. A plain statement on the connection, built once for
    each set of columns: through the ORM session (which would look for the rows among
    its loaded objects) it cost as much again as the rest of recording a delivery, and
    building the statement anew half as much."""
    names = tuple(sorted(values))
    parameters = {f"new_{name}": values[name] for name in names}
    with write_transaction() as session:
        result = session.connection().execute(
            _held_update(names), {"ids": list(message_ids), "owner": owner, **parameters}
        )
    return result.rowcount


@cache
def _held_update(names: tuple[str, ...]) -> Update:
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(bindparam("ids", expanding=True)),
            OutboxMessage.state == OutboxState.LEASED,
            OutboxMessage.lease_owner == bindparam("owner"),
        )
        .values({name: bindparam(f"new_{name}") for name in names})
    )


def complete(delivery: Delivery, owner: str, now: dt.datetime) -> bool:
    """Mark delivered; False when the lease was lost meanwhile (someone else has it)."""
    changed = _change_held(
        [delivery.id],
        owner,
        state=OutboxState.DELIVERED,
        delivered_at=now,
        leased_until=None,
        lease_owner=None,
        last_error=None,
    )
    return bool(changed)


def fail(
    delivery: Delivery,
    owner: str,
    now: dt.datetime,
    error: BaseException,
    settings: LeaseSettings,
    random: Callable[[], float],
) -> OutboxState:
    """Schedule the next attempt with backoff, or give up (dead) after the last one."""
    if delivery.attempts >= settings.max_attempts:
        state, due_at = OutboxState.DEAD, now
    else:
        state = OutboxState.PENDING
        due_at = now + retry_delay(
            delivery.attempts,
            base_seconds=settings.retry_base_seconds,
            max_seconds=settings.retry_max_seconds,
            random=random,
        )
    _change_held(
        [delivery.id],
        owner,
        state=state,
        due_at=due_at,
        leased_until=None,
        lease_owner=None,
        last_error=f"{type(error).__name__}: {error}"[:LAST_ERROR_LENGTH],
    )
    return state


def release(deliveries: Sequence[Delivery], owner: str) -> None:
    """Give back claimed messages that were not tried: not counted as attempts."""
    for attempts in sorted({delivery.attempts for delivery in deliveries}):
        _change_held(
            [delivery.id for delivery in deliveries if delivery.attempts == attempts],
            owner,
            state=OutboxState.PENDING,
            leased_until=None,
            lease_owner=None,
            attempts=attempts - 1,
        )


def release_all(owner: str) -> None:
    """Give back everything still leased to ``owner``, after the database went away in
    the middle of its batch: the outcome of those attempts is unknown, so they count."""
    with write_transaction():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.LEASED, OutboxMessage.lease_owner == owner)
            .values(state=OutboxState.PENDING, leased_until=None, lease_owner=None)
        )
