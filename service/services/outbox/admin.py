"""What an administrator does with the outbox: look, try dead messages again, purge."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, delete, select, update

from service import clock
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from service.services.transactions import write_transaction

RETRYABLE = (OutboxState.DEAD, OutboxState.PENDING)


def list_messages(state: OutboxState | None = None, limit: int = 50) -> list[OutboxMessage]:
    """The newest messages first, optionally of one state."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    return list(db.session.scalars(query))


def retry(message_ids: Sequence[uuid.UUID] | None = None) -> int:
    """Make dead (or waiting) messages due now with a fresh count of attempts; without
    ids, every dead message. Delivered and leased ones are left alone. Returns how many."""
    condition = (
        OutboxMessage.state.in_(RETRYABLE) & OutboxMessage.id.in_(message_ids)
        if message_ids is not None
        else OutboxMessage.state == OutboxState.DEAD
    )
    with write_transaction():
        result = db.session.execute(
            update(OutboxMessage)
            .where(condition)
            .values(state=OutboxState.PENDING, due_at=clock.now(), attempts=0)
        )
    # Session.execute is typed as giving a Result; for UPDATE and DELETE it is a CursorResult
    return int(cast(CursorResult[Any], result).rowcount or 0)


def purge(older_than: dt.datetime, *, dead: bool = False) -> int:
    """Delete delivered messages (and dead ones with ``dead``) created before
    ``older_than``. Returns how many."""
    states = [OutboxState.DELIVERED, *([OutboxState.DEAD] if dead else [])]
    with write_transaction():
        result = db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.state.in_(states), OutboxMessage.created_at < older_than
            )
        )
    # Session.execute is typed as giving a Result; for UPDATE and DELETE it is a CursorResult
    return int(cast(CursorResult[Any], result).rowcount or 0)


def purge_delivered(now: dt.datetime) -> int:
    """The periodic purge: delivered messages older than OUTBOX_KEEP_DELIVERED_DAYS."""
    keep = dt.timedelta(days=current_app.config["OUTBOX_KEEP_DELIVERED_DAYS"])
    return purge(now - keep)
