"""Webhooks through the real path: a booking commits, the worker delivers each
subscription's signed event to a receiver on loopback, and logs every attempt."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from service.domain.cancellation import CancellationCategory
from service.domain.webhooks import (
    BOOKING_CANCELLED,
    BOOKING_CREATED,
    BOOKING_MOVED,
    EVENT_HEADER,
    EVENT_ID_HEADER,
    ROOM_CONFIRMED,
)
from service.extensions import db
from service.models import OutboxState, WebhookDelivery
from service.services.booking import steps as booking_steps
from service.services.booking.changes import (
    BookSession,
    book_session,
    cancel_session,
    reschedule_session,
)
from service.services.notify import webhooks
from service.services.notify.webhooks import WEBHOOK
from tests import builders
from tests.builders import NOW, helsinki
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.fixtures.webhook_receiver import WebhookReceiver, fixture_webhook_receiver  # noqa: F401
from tests.notify.webhook_helpers import opened, signed_with, subscribed_process, verified
from tests.outbox.helpers import count_messages, deliver_all, mail_settings

START = helsinki(2027, 3, 3, 10)


@pytest.fixture
def worker_app(app: Flask, smtp_server: SMTPServer) -> Flask:
    app.config.update(mail_settings(smtp_server, OUTBOX_RETRY_BASE_SECONDS=0))
    return app


def by_type(receiver: WebhookReceiver, event: str) -> list:
    return [r for r in receiver.received if r.headers[EVENT_HEADER] == event]


def test_a_committed_booking_is_delivered_signed_to_each_subscription(
    worker_app: Flask, webhook_receiver: WebhookReceiver
) -> None:
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url)
        supervisor = builders.supervisor_principal(setup.process)
        session_id = book_session(
            supervisor, BookSession(setup.process.id, START), now=NOW
        ).session_id
        deliver_all(worker_app)
        names = [p.person.name for p in setup.process.participants]

        created = by_type(webhook_receiver, BOOKING_CREATED)
        assert len(created) == 2
        assert {r.path for r in created} == {"/hooks/ohjaamo?source=test"}
        orderer_copy = next(r for r in created if signed_with(r, setup.orderer_secret))
        supervisor_copy = next(r for r in created if signed_with(r, setup.supervisor_secret))
        orderer_body = verified(orderer_copy, setup.orderer_secret)
        supervisor_body = verified(supervisor_copy, setup.supervisor_secret)
        assert orderer_body["id"] == supervisor_body["id"] == orderer_copy.headers[EVENT_ID_HEADER]
        booking = orderer_body["data"]["booking"]
        assert booking["id"] == str(session_id)
        assert booking["process_code"] == setup.process.code
        assert booking["participant_count"] == 3
        assert booking["starts_at"] == START.isoformat()
        # The orderer never learns who the participants are; the supervisor does.
        assert "participants" not in booking
        assert not any(name.encode() in orderer_copy.body for name in names)
        assert sorted(supervisor_body["data"]["booking"]["participants"]) == sorted(names)

        rooms = by_type(webhook_receiver, ROOM_CONFIRMED)
        assert len(rooms) == 2
        room = opened(rooms[0], setup)["data"]["room"]
        assert room["name"] == "Huone 8"

        log = db.session.scalars(select(WebhookDelivery)).all()
        assert len(log) == 4
        assert {(row.status_code, row.attempt, row.error) for row in log} == {(200, 1, None)}
        assert count_messages(OutboxState.DELIVERED, WEBHOOK) == 4


def test_moves_and_cancellations_are_delivered_as_their_events(
    worker_app: Flask, webhook_receiver: WebhookReceiver
) -> None:
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url, (BOOKING_MOVED, BOOKING_CANCELLED))
        supervisor = builders.supervisor_principal(setup.process)
        session_id = book_session(
            supervisor, BookSession(setup.process.id, START), now=NOW
        ).session_id
        later = helsinki(2027, 3, 4, 12)
        reschedule_session(supervisor, session_id, later, now=NOW)
        cancel_session(supervisor, session_id, CancellationCategory.SICKNESS, now=NOW)
        deliver_all(worker_app)

        types = [r.headers[EVENT_HEADER] for r in webhook_receiver.received]
        assert sorted(types) == sorted([BOOKING_MOVED] * 2 + [BOOKING_CANCELLED] * 2)
        moved = opened(by_type(webhook_receiver, BOOKING_MOVED)[0], setup)
        assert moved["data"]["booking"]["previous_starts_at"] == START.isoformat()
        assert moved["data"]["booking"]["starts_at"] == later.isoformat()
        cancelled = by_type(webhook_receiver, BOOKING_CANCELLED)[0].body
        assert b'"cancellation_reason":"sickness"' in cancelled
        assert b'"status":"cancelled"' in cancelled


def test_a_rolled_back_booking_delivers_nothing(
    worker_app: Flask, webhook_receiver: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url)
        supervisor = builders.supervisor_principal(setup.process)

        def audit_fails(*_: object, **__: object) -> None:
            raise RuntimeError("the audit trail refused the write")

        # The failure comes after the webhook messages are written, in the same transaction.
        monkeypatch.setattr(booking_steps.audit, "record", audit_fails)
        with pytest.raises(RuntimeError):
            book_session(supervisor, BookSession(setup.process.id, START), now=NOW)
        monkeypatch.undo()
        assert count_messages(kind=WEBHOOK) == 0
        deliver_all(worker_app)
        assert webhook_receiver.received == []


def test_a_failing_receiver_is_retried_until_it_recovers(
    worker_app: Flask, webhook_receiver: WebhookReceiver
) -> None:
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url, (BOOKING_CREATED,))
        webhooks.set_active(setup.orderer, webhooks.subscriptions(setup.orderer)[0].id, False)
        webhook_receiver.statuses = [500, 503]
        supervisor = builders.supervisor_principal(setup.process)
        book_session(supervisor, BookSession(setup.process.id, START), now=NOW)
        deliver_all(worker_app)

        assert len(webhook_receiver.received) == 3
        assert len({r.headers[EVENT_ID_HEADER] for r in webhook_receiver.received}) == 1
        assert all(signed_with(r, setup.supervisor_secret) for r in webhook_receiver.received)
        log = db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.attempt)).all()
        assert [(row.attempt, row.status_code, row.error) for row in log] == [
            (1, 500, "HTTP 500"),
            (2, 503, "HTTP 503"),
            (3, 200, None),
        ]
        assert count_messages(OutboxState.DELIVERED, WEBHOOK) == 1


def test_a_receiver_that_does_not_answer_in_time_is_logged_as_a_timeout(
    worker_app: Flask, webhook_receiver: WebhookReceiver
) -> None:
    worker_app.config.update(WEBHOOK_TIMEOUT_SECONDS=0.3, OUTBOX_MAX_ATTEMPTS=1)
    webhook_receiver.delay = 1.0
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url, (BOOKING_CREATED,))
        supervisor = builders.supervisor_principal(setup.process)
        book_session(supervisor, BookSession(setup.process.id, START), now=NOW)
        deliver_all(worker_app)
        log = db.session.scalars(select(WebhookDelivery)).all()
        assert {(row.status_code, row.error) for row in log} == {(None, "timeout")}
        assert count_messages(OutboxState.DEAD, WEBHOOK) == 2


def test_a_deleted_subscription_gets_nothing_more(
    worker_app: Flask, webhook_receiver: WebhookReceiver
) -> None:
    with worker_app.app_context():
        setup = subscribed_process(webhook_receiver.url, (BOOKING_CREATED,))
        supervisor = builders.supervisor_principal(setup.process)
        book_session(supervisor, BookSession(setup.process.id, START), now=NOW)
        for subscription in webhooks.subscriptions(setup.orderer):
            webhooks.delete_subscription(setup.orderer, subscription.id)
        deliver_all(worker_app)
        assert len(webhook_receiver.received) == 1
        assert signed_with(webhook_receiver.received[0], setup.supervisor_secret)
