"""The worker delivering booking changes to a real SMTP server on both databases:
one invitation per recipient, iTIP read back with icalendar, languages, reminders,
backoff and the dead-letter state."""

from __future__ import annotations

import datetime as dt
import email.policy
from email.utils import getaddresses

import pytest
from flask import Flask
from sqlalchemy import select

from service.cli import cli
from service.domain.cancellation import CancellationCategory
from service.domain.vevent import session_uid
from service.extensions import db
from service.hookspecs import hookimpl
from service.models import OutboxMessage, OutboxState, Person
from service.services.booking.announce import fan_out_booking_change
from service.services.booking.changes import cancel_session, reschedule_session
from service.services.booking.mail import BOOKING_EMAIL
from service.services.booking.reminders import enqueue_reminders
from service.services.outbox.queue import Delivery
from service.services.worker.loop import Worker
from tests import builders
from tests.builders import NOW
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import (
    book_sessions,
    calendar_parts,
    count_messages,
    deliver_all,
    mail_settings,
    the_event,
)


@pytest.fixture
def ctx(app: Flask, smtp_server: SMTPServer):
    app.config.update(mail_settings(smtp_server))
    with app.app_context():
        yield app


def by_recipient(server: SMTPServer) -> dict[str, email.message.EmailMessage]:
    return {received.rcpt_tos[0]: received.message for received in server.messages}


def test_group_booking_sends_one_invitation_to_each_person(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    (session,) = book_sessions(1, participants=3)
    process = session.process
    people = [process.supervisor.person] + [p.person for p in process.participants]

    deliver_all(ctx)

    assert sorted(len(r.rcpt_tos) for r in smtp_server.messages) == [1, 1, 1, 1]
    received = by_recipient(smtp_server)
    assert set(received) == {person.email for person in people}
    assert len(set(smtp_server.message_ids())) == 4
    for person in people:
        message = received[person.email]
        assert [address for _name, address in getaddresses(message.get_all("To"))] == [person.email]
        assert message["Cc"] is None and message["Bcc"] is None
        raw = message.as_string(policy=email.policy.SMTP)
        others = [other for other in people[1:] if other.id != person.id]
        for other in others:
            assert other.email not in raw and other.name not in raw
        assert process.code in message["Subject"] and person.name not in message["Subject"]
        inline, attached = calendar_parts(message)
        assert inline.to_ical() == attached.to_ical()
        event = the_event(inline)
        assert inline["METHOD"] == "REQUEST"
        assert str(event["UID"]) == session_uid(session.id)
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == session.starts_at
        assert event.decoded("DTEND") == session.ends_at
        assert str(event["SUMMARY"]) == f"Työnohjaus {process.code}"
        assert str(event["ATTENDEE"]) == f"mailto:{person.email}"
        assert str(event["ORGANIZER"]) == f"mailto:{process.supervisor.person.email}"
    assert count_messages(OutboxState.DELIVERED) == count_messages()


def test_each_person_reads_their_own_language(ctx: Flask, smtp_server: SMTPServer) -> None:
    (session,) = book_sessions(1, participants=2)
    swedish, english = (p.person for p in session.process.participants)
    swedish.language, english.language = "sv", "en"
    db.session.commit()

    deliver_all(ctx)

    received = by_recipient(smtp_server)
    assert "träff bokad" in received[swedish.email]["Subject"]
    assert received[swedish.email]["Content-Language"] == "sv"
    assert "session booked" in received[english.email]["Subject"]
    supervisor = received[session.process.supervisor.person.email]
    assert "tapaaminen varattu" in supervisor["Subject"]
    html = supervisor.get_body(("html",)).get_content()
    assert '<html lang="fi">' in html and "Tapaamisesi on varattu" in html


def test_move_raises_sequence_and_cancel_sends_cancel_with_the_charge(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    (session,) = book_sessions(1)
    process = session.process
    client = builders.participant_principal(process)
    deliver_all(ctx)
    new_start = session.starts_at + dt.timedelta(days=7)
    reschedule_session(client, session.id, new_start, now=NOW)
    deliver_all(ctx)
    late = new_start - dt.timedelta(hours=2)
    cancel_session(client, session.id, CancellationCategory.WORK_SITUATION, now=late)
    deliver_all(ctx)

    participant = process.participants[0].person.email
    mine = [r.message for r in smtp_server.messages if r.rcpt_tos == [participant]]
    assert len(mine) == 3
    created, moved, cancelled = (calendar_parts(m)[0] for m in mine)
    assert [the_event(c)["SEQUENCE"] for c in (created, moved, cancelled)] == [0, 1, 2]
    assert {str(the_event(c)["UID"]) for c in (created, moved, cancelled)} == {
        session_uid(session.id)
    }
    assert moved["METHOD"] == "REQUEST"
    assert the_event(moved).decoded("DTSTART") == new_start
    assert cancelled["METHOD"] == "CANCEL"
    assert the_event(cancelled)["STATUS"] == "CANCELLED"
    text = mine[2].get_body(("plain",)).get_content()
    assert "100 %" in text and "48" in text and "työtilanne" in text
    assert "Aiemmin" in mine[1].get_body(("plain",)).get_content()


def test_booking_change_hook_is_told_after_commit_by_the_worker(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    class Listener:
        def __init__(self) -> None:
            self.changes: list = []

        @hookimpl
        def ohjaamo_booking_changed(self, change):
            self.changes.append(change)

    listener = Listener()
    ctx.extensions["ohjaamo.plugins"].register(listener)
    (session,) = book_sessions(1)
    assert listener.changes == []

    deliver_all(ctx)

    (change,) = listener.changes
    assert (change.event, change.session_id, change.start) == (
        "created",
        session.id,
        session.starts_at,
    )


def test_hook_ohjaamo_booking_changed_redelivered_fan_out_writes_each_email_once(
    ctx: Flask,
) -> None:
    book_sessions(1, participants=2)
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "booking.created")
    ).one()
    delivery = Delivery(
        message.id, message.kind, dict(message.payload), message.idempotency_key, 1, NOW
    )
    db.session.rollback()

    fan_out_booking_change(delivery)
    fan_out_booking_change(delivery)

    assert count_messages(kind=BOOKING_EMAIL) == 3


def test_reminders_are_written_once_per_session_and_sequence(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    first, second = book_sessions(2)
    ctx.config["REMINDER_HOURS_BEFORE"] = 24
    db.session.rollback()
    day_before = first.starts_at - dt.timedelta(hours=20)

    assert enqueue_reminders(day_before) == 2
    assert enqueue_reminders(day_before + dt.timedelta(minutes=5)) == 0
    deliver_all(ctx)

    reminders = [r for r in smtp_server.messages if "muistutus" in r.message["Subject"]]
    assert len(reminders) == 2
    assert all(not list(r.message.iter_attachments()) for r in reminders)
    assert all(first.process.code in r.message["Subject"] for r in reminders)
    assert enqueue_reminders(second.starts_at - dt.timedelta(hours=1)) == 2


def test_failure_backs_off_then_ends_dead_and_retry_revives(
    ctx: Flask, smtp_server: SMTPServer
) -> None:
    ctx.config.update(OUTBOX_MAX_ATTEMPTS=2, OUTBOX_RETRY_BASE_SECONDS=600)
    book_sessions(1)
    smtp_server.stop()
    deliver_all(ctx)  # the fan-out succeeds; both emails fail once

    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == BOOKING_EMAIL))
    failed = failed.all()
    assert [m.state for m in failed] == [OutboxState.PENDING] * 2
    for message in failed:
        assert message.attempts == 1
        assert "ConnectionRefusedError" in message.last_error
        assert message.due_at >= message.created_at + dt.timedelta(seconds=300)
        message.due_at = NOW - dt.timedelta(days=1000)
    db.session.commit()

    deliver_all(ctx)

    assert count_messages(OutboxState.DEAD, BOOKING_EMAIL) == 2
    smtp_server.start_again()
    result = ctx.test_cli_runner().invoke(cli, ["outbox", "retry", "--all-dead"])
    assert "2 message(s)" in result.output
    deliver_all(ctx)
    assert len(smtp_server.messages) == 2


def test_superseded_email_is_not_sent_with_newer_times(ctx: Flask, smtp_server: SMTPServer):
    (session,) = book_sessions(1)
    client = builders.participant_principal(session.process)
    reschedule_session(client, session.id, session.starts_at + dt.timedelta(days=7), now=NOW)

    deliver_all(ctx)

    sequences = [the_event(calendar_parts(r.message)[0])["SEQUENCE"] for r in smtp_server.messages]
    assert sequences == [1, 1]


def test_unknown_kind_is_retried_until_dead(ctx: Flask) -> None:
    ctx.config.update(OUTBOX_MAX_ATTEMPTS=1)
    db.session.add(OutboxMessage(kind="inventory.count", payload={}, idempotency_key="x:1"))
    db.session.commit()

    Worker(ctx).run(once=True)

    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.state is OutboxState.DEAD
    assert message.last_error == "UnknownMessageKind: inventory.count"


def test_erased_person_gets_no_email(ctx: Flask, smtp_server: SMTPServer) -> None:
    (session,) = book_sessions(1)
    person = db.session.get(Person, session.process.participants[0].person_id)
    person.erased_at = NOW
    db.session.commit()

    deliver_all(ctx)

    assert [r.rcpt_tos for r in smtp_server.messages] == [[session.process.supervisor.person.email]]
