"""A booking change told to everyone concerned, after its transaction committed.

The booking transaction writes one ``booking.<event>`` message (identifiers only). Its
handler, in the worker, writes each person's email (`booking.mail`) and one
``booking.announce`` message, whose own handler tells plugins through
``ohjaamo_booking_changed``. Keys make a re-delivered fan-out write nothing twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app

from service.backends import BookingChange
from service.extensions import db
from service.models import SupervisionSession
from service.services.booking.mail import enqueue_emails
from service.services.outbox.queue import Delivery, enqueue_once
from service.services.transactions import end_read_transaction, write_transaction

ANNOUNCE = "booking.announce"
CHANGE_KINDS = ("booking.created", "booking.moved", "booking.cancelled")


def fan_out_booking_change(delivery: Delivery) -> None:
    """Handler of ``booking.created``, ``booking.moved`` and ``booking.cancelled``."""
    event = delivery.kind.removeprefix("booking.")
    sequence = int(delivery.payload["sequence"])
    with write_transaction():
        session = db.session.get(SupervisionSession, uuid.UUID(delivery.payload["session_id"]))
        if session is None:
            return
        previous = delivery.payload.get("previous_start")
        enqueue_emails(session, event, sequence, previous)
        enqueue_once(
            ANNOUNCE,
            {**delivery.payload, "event": event},
            f"{ANNOUNCE}:{event}:{session.id}:{sequence}",
        )


def announce_booking_change(delivery: Delivery) -> None:
    """Handler of ``booking.announce``: plugins hear of the change (times and the
    process code, nothing confidential)."""
    session = db.session.get(SupervisionSession, uuid.UUID(delivery.payload["session_id"]))
    if session is None:
        return
    previous = delivery.payload.get("previous_start")
    change = BookingChange(
        event=delivery.payload["event"],
        session_id=session.id,
        process_code=session.process.code,
        start=session.starts_at,
        end=session.ends_at,
        previous_start=dt.datetime.fromisoformat(previous) if previous else None,
    )
    end_read_transaction()
    current_app.extensions["ohjaamo.plugins"].hook.ohjaamo_booking_changed(change=change)
