"""Reminders before a session: a periodic job of the worker."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from service.extensions import db
from service.models import SessionStatus, SupervisionSession
from service.services.booking.mail import enqueue_emails
from service.services.transactions import write_transaction

REMINDED_STATUSES = (SessionStatus.BOOKED, SessionStatus.WAITING_FOR_ROOM)


def enqueue_reminders(now: dt.datetime) -> int:
    """One reminder per recipient for each booked session starting within
    REMINDER_HOURS_BEFORE; the key (session, sequence, person) makes it once, however
    often the job runs. A session booked or moved inside that window is not reminded of:
    its confirmation has just told the time. Returns how many reminders were written."""
    before = dt.timedelta(hours=current_app.config["REMINDER_HOURS_BEFORE"])
    written = 0
    with write_transaction():
        due = db.session.scalars(
            select(SupervisionSession).where(
                SupervisionSession.status.in_(REMINDED_STATUSES),
                SupervisionSession.starts_at > now,
                SupervisionSession.starts_at <= now + before,
            )
        )
        for session in due:
            if session.updated_at > session.starts_at - before:
                continue
            written += enqueue_emails(session, "reminder", session.sequence)
    return written
