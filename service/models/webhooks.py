"""Webhook subscriptions of an organisation or a supervisor, and their delivery log."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from service import clock
from service.models.base import Base, CreatedMixin, IdMixin, JSONType


class WebhookSubscription(IdMixin, CreatedMixin, Base):
    """A URL told about booking events of one owner: an ordering organisation (its
    processes' sessions) or a supervisor (every session of their processes).

    The signing secret is kept encrypted, not hashed: each delivery is signed with it.
    """

    __tablename__ = "webhook_subscription"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (supervisor_id IS NULL)", name="one_owner"),
    )

    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("supervisor_profile.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    url: Mapped[str] = mapped_column(String(2000))
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    events: Mapped[list[str]] = mapped_column(JSONType, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class WebhookDelivery(IdMixin, Base):
    """One attempt to deliver one event: the answer's status code or the failure's
    category, never the body (the event id finds the event in the receiver's log)."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_subscription_time", "subscription_id", "attempted_at"),
    )

    subscription_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_subscription.id", ondelete="CASCADE")
    )
    event_id: Mapped[uuid.UUID]
    event: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(200))
    duration_ms: Mapped[int]
    attempted_at: Mapped[dt.datetime] = mapped_column(default=clock.now)
