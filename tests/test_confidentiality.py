"""The canary: a marker written into every confidential field (session notes, next
steps, evaluation answers, a calendar password, a room-system secret, a TOTP secret)
must appear nowhere else: not in the database in plain text, the outbox (calendar and
room messages), the emails as the SMTP server receives them, the audit trail, log lines
(as captured and as the JSON log writes them), API answers, reports, CSV exports, error
pages, webhook deliveries as the receiver gets them, or calendar feeds. The API token
used must not appear in a log line either.

Extend `outputs()` whenever a change adds a way for data to leave the system.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from service.crypto import vault
from service.domain.processes import ProcessMode
from service.domain.rules import PlaceKind
from service.domain.webhooks import EVENTS
from service.extensions import db
from service.logs import configure_logging
from service.models import (
    AuditEvent,
    CalendarConnection,
    ConnectedCalendar,
    EvaluationKind,
    EvaluationRound,
    FeedKind,
    Goal,
    GoalKind,
    OrganisationContact,
    OutboxMessage,
    UserAccount,
)
from service.models.base import Base
from service.services.auth import Principal
from service.services.booking.changes import BookSession, book_session, reschedule_session
from service.services.calendars import feeds
from service.services.notify import webhooks
from service.services.orderer import reports
from service.services.processes import evaluations, session_records
from tests import builders
from tests.api.helpers import bearer, token_for
from tests.builders import NOW, helsinki
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.fixtures.webhook_receiver import WebhookReceiver, fixture_webhook_receiver  # noqa: F401
from tests.outbox.helpers import deliver_all, mail_settings
from tests.postgres import free_port

CANARY = "KANARIA-7f3e9c"


def raw_bytes(path: Path) -> bytes:
    """The file as it lies on disk, read by another process: closing a descriptor of a
    database file in this process would drop the POSIX locks SQLite holds on it here."""
    return subprocess.run(["cat", str(path)], check=True, capture_output=True).stdout


def readable(message: EmailMessage) -> str:
    """The message as sent and each of its parts decoded (bodies travel base64-encoded)."""
    parts = [part.get_content() for part in message.walk() if not part.is_multipart()]
    return "\n".join(
        [message.as_string(), *(p if isinstance(p, str) else p.decode() for p in parts)]
    )


def database_text() -> str:
    """Every column of every row, as text: encrypted fields show only ciphertext."""
    dump = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            dump.append(" ".join(str(value) for value in row))
    return "\n".join(dump)


def connect_unreachable_calendar(profile_id: object) -> None:
    """A calendar whose server refuses connections: the live check and the calendar push
    fail and log, with the canary as the stored password."""
    url = f"http://127.0.0.1:{free_port()}/"
    connection = CalendarConnection(
        supervisor_id=profile_id,
        url=url,
        username="aino",
        password_encrypted=vault().encrypt(f"{CANARY} password"),
    )
    connection.calendars.append(ConnectedCalendar(url=url + "cal/", receives_sessions=True))
    db.session.add(connection)
    db.session.commit()


@pytest.fixture
def json_log(app: Flask) -> Iterator[io.StringIO]:
    """What the JSON log handler of a production start writes, from DEBUG up."""
    stream = io.StringIO()
    handler = configure_logging(app.config, level="DEBUG", stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def test_the_canary_stays_in_its_encrypted_fields(
    app: Flask,
    caplog: pytest.LogCaptureFixture,
    json_log: io.StringIO,
    smtp_server: SMTPServer,
    webhook_receiver: WebhookReceiver,
) -> None:
    caplog.set_level(logging.DEBUG)
    app.config.update(mail_settings(smtp_server))
    client = app.test_client()
    with app.app_context():
        org = builders.organisation(8)
        process = builders.process(
            builders.supervisor(),
            mode=ProcessMode.GROUP,
            participants=3,
            place=PlaceKind.CLIENT_PREMISES,
            org=org,
            orderer_report_items=["sessions_held", "invoicing", "goal_averages"],
        )
        for participant in process.participants:
            participant.consents_to_share_averages = True
        db.session.add(
            UserAccount(
                person_id=process.participants[0].person_id,
                totp_secret_encrypted=vault().encrypt(f"{CANARY} totp"),
            )
        )
        org.organisation.room_system_secret_encrypted = vault().encrypt(f"{CANARY} room")
        connect_unreachable_calendar(process.supervisor_id)
        goal = Goal(process_id=process.id, kind=GoalKind.ORGANISATION, title="Yhteistyö")
        evaluation = EvaluationRound(
            process_id=process.id, kind=EvaluationKind.INTERIM, opens_at=NOW
        )
        db.session.add_all([goal, evaluation])
        db.session.commit()
        supervisor = builders.supervisor_principal(process)
        webhooks.create_subscription(supervisor, webhook_receiver.url, EVENTS)
        contact = builders.person("Tilaaja")
        db.session.add(
            OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id)
        )
        db.session.commit()
        orderer = Principal(person_id=contact.id, organisation_id=org.organisation.id)
        webhooks.create_subscription(orderer, webhook_receiver.url, EVENTS)
        _, supervisor_feed = feeds.create_feed(supervisor, FeedKind.SUPERVISOR)
        _, participant_feed = feeds.create_feed(
            builders.participant_principal(process), FeedKind.PARTICIPANT
        )
        start = helsinki(2027, 3, 3, 10)
        session_id = book_session(supervisor, BookSession(process.id, start), now=NOW).session_id
        session_records.write_content(
            supervisor, session_id, notes=f"{CANARY} notes", next_step=f"{CANARY} step"
        )
        # A change after the content was written: its webhook is built afterwards.
        reschedule_session(supervisor, session_id, helsinki(2027, 3, 4, 10), now=NOW)
        for index, scale in enumerate([4, 6, 8]):
            who = builders.participant_principal(process, index)
            evaluations.answer_evaluation(
                who, evaluation.id, goal.id, scale, f"{CANARY} answer", now=NOW
            )
        # The confidential reads themselves work (the canary is really there).
        assert CANARY in session_records.read_content(supervisor, session_id).notes
        assert all(CANARY in a.next_step for a in evaluations.answers(supervisor, process.id))

        deliver_all(app)
        emails = [readable(m.message) for m in smtp_server.messages]
        assert emails  # the booking's notices really went out
        participant = builders.participant_principal(process, 0)
        person = db.session.get(type(process.participants[0].person), participant.person_id)
        token = token_for(person, "read")
        supervisor_token = token_for(process.supervisor.person, "read")
        orderer = builders.person("Tilaaja")
        db.session.add(
            OrganisationContact(organisation_id=org.organisation.id, person_id=orderer.id)
        )
        db.session.commit()
        orderer_token = token_for(orderer, "read", organisation=org.organisation)
        names = [participant.person.name for participant in process.participants]
        report = reports.process_report(supervisor, process.id, now=NOW + dt.timedelta(days=3))
        csv = reports.invoice_csv(supervisor, process.id, now=NOW + dt.timedelta(days=3))
        outbox = [
            json.dumps([m.kind, m.payload, m.last_error])
            for m in db.session.scalars(select(OutboxMessage))
        ]
        audit = [json.dumps([a.action, a.details]) for a in db.session.scalars(select(AuditEvent))]
        stored = database_text()
        sqlite_file = db.engine.url.database if db.engine.dialect.name == "sqlite" else None

    answers = [
        client.get(f"/api/v1/bookings/{session_id}", headers=bearer(token)).get_data(as_text=True),
        client.get("/api/v1/bookings/not-a-uuid", headers=bearer(token)).get_data(as_text=True),
        client.get(f"/api/v1/bookings/{session_id}").get_data(as_text=True),
        client.get("/no-such-page").get_data(as_text=True),
    ]
    window = {"from": "2027-02-01T00:00:00Z", "to": "2027-04-01T00:00:00Z"}
    for reader in (supervisor_token, orderer_token, token):
        for path, query in (
            ("/api/v1/processes", {}),
            (f"/api/v1/processes/{process.id}", {}),
            (f"/api/v1/processes/{process.id}/agreement/versions", {}),
            ("/api/v1/sessions", window),
            (f"/api/v1/sessions/{session_id}/attendance", {}),
            (f"/api/v1/processes/{process.id}/report", {}),
            (f"/api/v1/processes/{process.id}/invoicing", {}),
            (f"/api/v1/processes/{process.id}/invoicing.csv", {}),
            ("/api/v1/rooms", {}),
            ("/api/v1/room-reservations", window),
        ):
            response = client.get(path, query_string=query, headers=bearer(reader))
            assert response.status_code in (200, 403), (path, response.status_code)
            answers.append(response.get_data(as_text=True))
            if reader is orderer_token:
                assert not [name for name in names if name in answers[-1]], path
    feed_bodies = [
        client.get(urlsplit(url).path).get_data(as_text=True)
        for url in (supervisor_feed, participant_feed)
    ]
    assert all("BEGIN:VEVENT" in body for body in feed_bodies)
    hooks = [received.body.decode("utf-8") for received in webhook_receiver.received]
    assert len(hooks) >= 3  # created, room confirmed, moved
    outputs = {
        "database": stored,
        "outbox": "\n".join(outbox),
        "audit": "\n".join(audit),
        "logs": caplog.text,
        "json logs": json_log.getvalue(),
        "api": "\n".join(answers),
        "report": repr(report),
        "csv": csv,
        "emails": "\n".join(emails),
        "webhooks": "\n".join(hooks),
        "feeds": "\n".join(feed_bodies),
    }
    if sqlite_file:
        for suffix in ("", "-wal"):
            path = Path(sqlite_file + suffix)
            if path.exists():
                outputs[f"sqlite file{suffix}"] = raw_bytes(path).decode("latin-1")
    assert report.goal_averages  # the consented averages are reported, as numbers only
    leaks = [name for name, output in outputs.items() if CANARY in output]
    assert leaks == []
    lines = json_log.getvalue().splitlines()
    assert any(json.loads(line).get("kind") == "calendar.push_session" for line in lines)
    assert all(token not in line for line in [*lines, *caplog.messages])


def test_the_canary_test_can_see_a_leak(app: Flask) -> None:
    """Guard: the database scan finds the marker when it is stored in plain text."""
    with app.app_context():
        builders.person(CANARY)
        assert CANARY in database_text()
