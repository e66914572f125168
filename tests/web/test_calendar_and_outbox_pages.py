"""The calendar connections page against a real Radicale on loopback, and the page of
messages not sent: wrong passwords told in plain words with nothing stored, choosing
calendars, reading now, another supervisor's connection out of reach, retrying; sessions
changed in the supervisor's own calendar written back or cancelled."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service import clock
from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    ConnectionStatus,
    OutboxMessage,
    OutboxState,
    PushedEventState,
    Role,
    SessionCalendarEvent,
    SessionStatus,
    SupervisionSession,
)
from service.services.booking.changes import BookSession, book_session
from tests import builders
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer
from tests.web.pages import csrf_token, sign_in_with_password, with_password

EN = {"Accept-Language": "en"}
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[CalDAVServer]:
    server = CalDAVServer("radicale", tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def supervisor(app: Flask) -> str:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        return profile.person.email


def connect(client: FlaskClient, server: CalDAVServer, password: str = PASSWORD):
    page = client.get("/supervisor/calendars", headers=EN)
    return client.post(
        "/supervisor/calendars",
        data={
            "csrf_token": csrf_token(page.text),
            "url": server.url,
            "username": USERNAME,
            "password": password,
        },
        headers=EN,
    )


def connections(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CalendarConnection))


def test_connecting_choosing_and_reading_a_calendar(
    app: Flask, client: FlaskClient, supervisor: str, radicale: CalDAVServer
) -> None:
    work, home = radicale.make_calendar("Työ"), radicale.make_calendar("Koti")
    sign_in_with_password(client, supervisor)
    refused = connect(client, radicale, password="väärä")
    assert refused.status_code == 422
    assert "did not accept the username and password" in refused.text
    assert 'value="väärä"' not in refused.text
    assert connections(app) == 0

    assert connect(client, radicale).status_code == 302
    page = client.get("/supervisor/calendars", headers=EN)
    assert "Työ" in page.text and "Koti" in page.text and "Working" in page.text
    with app.app_context():
        by_url = {c.url: c.id for c in db.session.scalars(select(ConnectedCalendar))}
        connection_id = db.session.scalar(select(CalendarConnection.id))
    work_id, home_id = by_url[work], by_url[home]
    chosen = client.post(
        f"/supervisor/calendars/{connection_id}/choose",
        data={
            "csrf_token": csrf_token(page.text),
            "blocks": [str(work_id)],
            "receives": str(work_id),
        },
    )
    assert chosen.status_code == 302
    with app.app_context():
        work_row, home_row = (
            db.session.get(ConnectedCalendar, work_id),
            db.session.get(ConnectedCalendar, home_id),
        )
        assert work_row.blocks_time and work_row.receives_sessions
        assert not home_row.blocks_time and not home_row.receives_sessions
    wrong = client.post(
        f"/supervisor/calendars/{connection_id}/choose",
        data={"csrf_token": csrf_token(page.text), "blocks": [str(uuid.uuid4())]},
        headers=EN,
    )
    assert wrong.status_code == 422
    with app.app_context():
        assert db.session.get(ConnectedCalendar, work_id).blocks_time

    synced = client.post(
        f"/supervisor/calendars/{connection_id}/sync", data={"csrf_token": csrf_token(page.text)}
    )
    assert synced.status_code == 302
    checked = client.post(
        f"/supervisor/calendars/{connection_id}/check",
        data={"csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert checked.status_code == 302
    after = client.get("/supervisor/calendars", headers=EN)
    assert "The calendar server answers" in after.text
    assert "Not yet" not in after.text  # the last reading is shown with its time


def test_a_server_gone_is_told_in_plain_words(
    app: Flask, client: FlaskClient, supervisor: str, radicale: CalDAVServer
) -> None:
    radicale.make_calendar("Työ")
    sign_in_with_password(client, supervisor)
    connect(client, radicale)
    with app.app_context():
        connection_id = db.session.scalar(select(CalendarConnection.id))
    radicale.stop()
    page = client.get("/supervisor/calendars", headers=EN)
    answer = client.post(
        f"/supervisor/calendars/{connection_id}/sync",
        data={"csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert answer.status_code == 422 and "could not be reached" in answer.text
    assert "Not working:" in answer.text
    with app.app_context():
        assert db.session.get(CalendarConnection, connection_id).status is ConnectionStatus.FAILING


def test_another_supervisors_connection_is_out_of_reach(
    app: Flask, client: FlaskClient, supervisor: str, radicale: CalDAVServer
) -> None:
    radicale.make_calendar("Työ")
    sign_in_with_password(client, supervisor)
    connect(client, radicale)
    with app.app_context():
        connection_id = db.session.scalar(select(CalendarConnection.id))
        other = builders.supervisor()
        with_password(other.person_id, Role.SUPERVISOR)
        other_email = other.person.email
    intruder = app.test_client()
    sign_in_with_password(intruder, other_email)
    page = intruder.get("/supervisor/calendars")
    assert radicale.url not in page.text
    for action in ("sync", "check", "choose"):
        answer = intruder.post(
            f"/supervisor/calendars/{connection_id}/{action}",
            data={"csrf_token": csrf_token(page.text)},
        )
        assert answer.status_code == 403, action


def dead_message(key: str) -> uuid.UUID:
    message = OutboxMessage(
        kind="email.booking",
        payload={},
        idempotency_key=key,
        state=OutboxState.DEAD,
        attempts=8,
        last_error="SMTPRecipientsRefused: 550 mailbox unavailable",
    )
    db.session.add(message)
    db.session.commit()
    return message.id


def test_the_admin_sends_dead_messages_again(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        admin = builders.supervisor()
        with_password(admin.person_id, Role.SUPERVISOR, Role.ADMIN)
        first, second = dead_message("a"), dead_message("b")
        plain = builders.supervisor()
        with_password(plain.person_id, Role.SUPERVISOR)
        emails = admin.person.email, plain.person.email
    sign_in_with_password(client, emails[0])
    page = client.get("/admin/outbox", headers=EN)
    assert page.text.count("550 mailbox unavailable") == 2
    one = client.post(
        "/admin/outbox/retry", data={"csrf_token": csrf_token(page.text), "message": str(first)}
    )
    assert one.status_code == 302
    with app.app_context():
        assert db.session.get(OutboxMessage, first).state is OutboxState.PENDING
        assert db.session.get(OutboxMessage, second).state is OutboxState.DEAD
    client.post("/admin/outbox/retry", data={"csrf_token": csrf_token(page.text)})
    with app.app_context():
        assert db.session.get(OutboxMessage, second).state is OutboxState.PENDING
    assert "Nothing here" in client.get("/admin/outbox", headers=EN).text

    supervisor_only = app.test_client()
    sign_in_with_password(supervisor_only, emails[1])
    assert supervisor_only.get("/admin/outbox").status_code == 403
    assert supervisor_only.post("/admin/outbox/retry", data={}).status_code == 403
    assert re.search("Messages not sent", page.text)


def test_a_session_changed_in_the_supervisors_calendar_is_put_back_or_cancelled(
    app: Flask, client: FlaskClient
) -> None:
    """The sync marked two session events: one deleted and one moved in the supervisor's
    own calendar. The page lists them to this supervisor only; one is written back as
    booked, the other cancelled free of charge with its participants told."""
    with app.app_context():
        profile = builders.supervisor()
        process = builders.process(profile)
        supervisor = builders.supervisor_principal(process)
        with_password(profile.person_id, Role.SUPERVISOR)
        connection = CalendarConnection(supervisor_id=profile.id, url="https://cal.example/")
        calendar = ConnectedCalendar(connection=connection, url="https://cal.example/work/")
        db.session.add_all([connection, calendar])
        db.session.commit()
        calendar_id = calendar.id
        sessions = []
        for weeks, state in [(1, PushedEventState.DELETED_REMOTELY), (3, "moved_remotely")]:
            booked = book_session(
                supervisor,
                BookSession(process.id, builders.upcoming(2, 10, weeks=weeks)),
                now=clock.now(),
            )
            db.session.add(
                SessionCalendarEvent(
                    session_id=booked.session_id,
                    calendar_id=calendar_id,
                    href=f"{booked.session_id}.ics",
                    uid=str(booked.session_id),
                    state=PushedEventState(state),
                )
            )
            db.session.commit()
            sessions.append(booked.session_id)
        email = profile.person.email
        stranger = builders.supervisor()
        with_password(stranger.person_id, Role.SUPERVISOR)
        stranger_email = stranger.person.email
    deleted, moved = sessions

    other = app.test_client()
    sign_in_with_password(other, stranger_email)
    assert (
        "Sessions changed in your calendar"
        not in other.get("/supervisor/calendars", headers=EN).text
    )
    token = csrf_token(other.get("/supervisor/calendars").text)
    refused = other.post(
        f"/supervisor/calendars/sessions/{moved}/cancel", data={"csrf_token": token}
    )
    assert refused.status_code == 403

    sign_in_with_password(client, email)
    page = client.get("/supervisor/calendars", headers=EN)
    assert "You deleted this session from your calendar." in page.text
    assert "You moved this session in your calendar" in page.text
    token = csrf_token(page.text)
    assert client.post(
        f"/supervisor/calendars/sessions/{deleted}/restore", data={"csrf_token": token}
    ).location.endswith("/supervisor/calendars")
    cancelled = client.post(
        f"/supervisor/calendars/sessions/{moved}/cancel", data={"csrf_token": token}
    )
    assert cancelled.location.endswith("/supervisor/calendars")
    with app.app_context():
        events = {e.session_id: e.state for e in db.session.scalars(select(SessionCalendarEvent))}
        assert events[deleted] is PushedEventState.IN_SYNC
        pushes = [m.payload for m in db.session.scalars(select(OutboxMessage))]
        assert {"session_id": str(deleted), "sequence": 0} in pushes
        session = db.session.get(SupervisionSession, moved)
        assert session.status is SessionStatus.CANCELLED and session.charge_percent == 0
        kinds = set(db.session.scalars(select(OutboxMessage.kind)))
        assert "booking.cancelled" in kinds
