"""Side effects written in the same transaction as the change that causes them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service import clock
from service.models.base import Base, CreatedMixin, IdMixin, JSONType


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    LEASED = "leased"
    DELIVERED = "delivered"
    DEAD = "dead"


class OutboxMessage(IdMixin, CreatedMixin, Base):
    """One delivery (email, calendar push, room change, webhook) for the worker.

    The payload carries identifiers, not confidential content: the worker renders
    messages from the database at delivery time.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "state", "due_at"),)

    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[OutboxState] = mapped_column(default=OutboxState.PENDING)
    due_at: Mapped[dt.datetime] = mapped_column(default=clock.now)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    leased_until: Mapped[dt.datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[dt.datetime | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
