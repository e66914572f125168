"""The lease guard: once a lease has run out and another worker holds the message, the
first worker can record nothing about it (delivered, failed or given back)."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select

from service import clock
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from service.services.outbox.leases import LeaseSettings, claim, complete, fail, release


def the_message() -> OutboxMessage:
    db.session.rollback()
    return db.session.scalars(select(OutboxMessage)).one()


def test_a_lapsed_lease_records_nothing_over_the_worker_that_took_the_message(
    app: Flask,
) -> None:
    with app.app_context():
        db.session.add(OutboxMessage(kind="inventory.count", payload={}, idempotency_key="l:1"))
        db.session.commit()
        settings = LeaseSettings.from_config(app.config)
        now = clock.now()
        (slow,) = claim("slow", now, settings)
        later = now + settings.lease + dt.timedelta(seconds=1)
        (fast,) = claim("fast", later, settings)

        assert complete(slow, "slow", later) is False
        fail(slow, "slow", later, RuntimeError("late"), settings, lambda: 0.5)
        release([slow], "slow")
        message = the_message()
        assert (message.state, message.lease_owner, message.attempts, message.last_error) == (
            OutboxState.LEASED,
            "fast",
            2,
            None,
        )

        assert complete(fast, "fast", later) is True
        message = the_message()
        assert (message.state, message.lease_owner) == (OutboxState.DELIVERED, None)
