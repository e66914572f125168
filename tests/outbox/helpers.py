"""Shared steps of the outbox tests: point the app at an SMTP server, run the worker,
book sessions on separate days, read invitations back."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

import icalendar
from flask import Flask
from sqlalchemy import func, select

from service.extensions import db
from service.models import OutboxMessage, OutboxState, SupervisionSession
from service.services.booking.changes import BookSession, book_session
from service.services.worker.loop import Worker
from service.work import all_work
from tests import builders
from tests.builders import NOW, helsinki
from tests.fixtures.smtp import SMTPServer

# Every periodic job off, so a test sees only the messages it wrote.
QUIET_PERIODIC = {job.every_setting: 0 for job in all_work().jobs}


def mail_settings(server: SMTPServer, **extra: Any) -> dict[str, Any]:
    return {
        "SMTP_HOST": server.host,
        "SMTP_PORT": server.port,
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT_SECONDS": 5,
        "MAIL_SENDER": "Ohjaamo <noreply@ohjaamo.test>",
        **QUIET_PERIODIC,
        **extra,
    }


def deliver_all(app: Flask) -> None:
    """Run a worker until nothing is due. The test's own session ends its transaction
    before and after, so it neither blocks the worker nor reads an old snapshot."""
    db.session.commit()
    Worker(app, name="test-worker").run(once=True)
    db.session.rollback()


def weekly_starts(count: int) -> list[dt.datetime]:
    """10:00 Helsinki on ``count`` Wednesdays from 3 March 2027 (the cadence's minimum
    gap is a week)."""
    first = dt.date(2027, 3, 3)
    days = [first + dt.timedelta(weeks=week) for week in range(count)]
    return [helsinki(day.year, day.month, day.day, 10) for day in days]


def book_sessions(count: int, participants: int = 1) -> list[SupervisionSession]:
    """``count`` weekly sessions of one process."""
    process = builders.process(builders.supervisor(), participants=participants)
    who = builders.participant_principal(process)
    booked = []
    for start in weekly_starts(count):
        outcome = book_session(who, BookSession(process.id, start), now=NOW)
        booked.append(db.session.get(SupervisionSession, outcome.session_id))
    return booked


def count_messages(state: OutboxState | None = None, kind: str | None = None) -> int:
    query = select(func.count()).select_from(OutboxMessage)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return int(db.session.scalar(query) or 0)


def calendar_parts(message: EmailMessage) -> tuple[icalendar.Calendar, icalendar.Calendar]:
    """The inline ``text/calendar`` part and the ``.ics`` attachment, parsed."""
    inline = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    attached = next(part for part in message.iter_attachments())
    return (
        icalendar.Calendar.from_ical(inline.get_content()),
        icalendar.Calendar.from_ical(attached.get_content()),
    )


def the_event(calendar: icalendar.Calendar) -> icalendar.Event:
    (event,) = calendar.walk("VEVENT")
    return event
