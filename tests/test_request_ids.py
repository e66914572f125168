"""The request id follows a booking: from the HTTP request into its outbox messages, the
messages their deliveries write, the audit trail and the worker's JSON log lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from service.extensions import db
from service.logs import configure_logging
from service.models import AuditEvent, OutboxMessage, Person
from service.services.accounts.tokens import create_token
from tests import builders
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import deliver_all, mail_settings


@pytest.fixture
def json_log(app: Flask) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = configure_logging(app.config, stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_a_fresh_id_is_answered_when_none_or_a_bad_one_is_given(app: Flask) -> None:
    client = app.test_client()
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert len(fresh) == 32 and fresh != client.get("/healthz").headers["X-Request-ID"]
    given = client.get("/healthz", headers={"X-Request-ID": "lb-1234.abc"})
    assert given.headers["X-Request-ID"] == "lb-1234.abc"
    for bad in ("two words", "x" * 65, '{"level": "forged"}'):
        answered = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert answered != bad and len(answered) == 32


def test_a_bookings_request_id_follows_it_into_its_deliveries(
    app: Flask, json_log: io.StringIO, smtp_server: SMTPServer
) -> None:
    app.config.update(mail_settings(smtp_server))
    with app.app_context():
        process = builders.process(builders.supervisor())
        process_id, participants = process.id, len(process.participants)
        person = db.session.get(Person, process.participants[0].person_id)
        _, token = create_token(person, "test", ("read", "write"))
    answer = app.test_client().post(
        "/api/v1/bookings",
        json={"process_id": str(process_id), "starts_at": builders.upcoming(2, 10).isoformat()},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-booking-1"},
    )
    assert answer.status_code == 201, answer.json
    assert answer.headers["X-Request-ID"] == "req-booking-1"

    with app.app_context():
        deliver_all(app)
        messages = db.session.scalars(select(OutboxMessage)).all()
        audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "booking.created"))
        assert [event.request_id for event in audit] == ["req-booking-1"]
    kinds = {message.kind for message in messages}
    assert {"booking.created", "email.booking"} <= kinds  # the fan-out wrote emails
    assert {message.request_id for message in messages} == {"req-booking-1"}
    assert len(smtp_server.messages) == participants + 1

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    booked = [line for line in lines if line["logger"] == "ohjaamo.booking"]
    assert [(line["message"], line["request_id"]) for line in booked] == [
        (f"booking created: session {answer.json['id']}", "req-booking-1")
    ]
    delivered = [line for line in lines if line["message"].endswith("delivered")]
    assert {line["message_id"] for line in delivered} == {str(m.id) for m in messages}
    assert {line["request_id"] for line in delivered} == {"req-booking-1"}
    assert all(token not in json.dumps(line) for line in lines)
