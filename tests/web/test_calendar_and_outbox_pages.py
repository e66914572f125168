"""The calendar connections page against a real Radicale on loopback, and the page of
messages not sent: wrong passwords told in plain words with nothing stored, choosing
calendars, reading now, another supervisor's connection out of reach, retrying; sessions
changed in the supervisor's own calendar written back or cancelled."""

from __future__ import annotations

import re
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service.extensions import db
from service.models import (
    CalendarConnection,
    ConnectedCalendar,
    ConnectionStatus,
    OutboxMessage,
    OutboxState,
    Person,
    Role,
    SupervisorProfile,
)
from tests import builders
from tests.fixtures.caldav_servers import PASSWORD, USERNAME, CalDAVServer
from tests.fixtures.smtp import HOST
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
    sign_in_with_password(client, supervisor, language="en")
    refused = connect(client, radicale, password="väärä")
    assert refused.status_code == 422
    assert "did not accept the username and password" in refused.text
    assert 'value="väärä"' not in refused.text
    empty = connect(client, radicale, password="")  # a username without a password
    assert empty.status_code == 422
    assert "did not accept the username and password" in empty.text
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
    sign_in_with_password(client, supervisor, language="en")
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
    sign_in_with_password(client, supervisor, language="en")
    connect(client, radicale)
    with app.app_context():
        connection_id = db.session.scalar(select(CalendarConnection.id))
        other = builders.supervisor()
        with_password(other.person_id, Role.SUPERVISOR)
        other_email = other.person.email
    intruder = app.test_client()
    sign_in_with_password(intruder, other_email, language="en")
    page = intruder.get("/supervisor/calendars")
    assert radicale.url not in page.text
    for action in ("sync", "check", "choose"):
        answer = intruder.post(
            f"/supervisor/calendars/{connection_id}/{action}",
            data={"csrf_token": csrf_token(page.text)},
        )
        assert answer.status_code == 404, action  # not there for another supervisor


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A calendar server that accepts connections and never answers."""
    with socket.socket() as silent:
        silent.bind((HOST, 0))
        silent.listen(16)
        yield f"http://{HOST}:{silent.getsockname()[1]}/"


def test_a_server_that_does_not_answer_is_told_within_a_few_seconds(
    app: Flask, client: FlaskClient, supervisor: str, silent_url: str
) -> None:
    deadline = app.config["CALENDAR_PAGE_DEADLINE_SECONDS"]
    assert deadline <= 5
    sign_in_with_password(client, supervisor, language="en")
    page = client.get("/supervisor/calendars", headers=EN)
    started = time.monotonic()
    refused = client.post(
        "/supervisor/calendars",
        data={
            "csrf_token": csrf_token(page.text),
            "url": silent_url,
            "username": "u",
            "password": "p",
        },
        headers=EN,
    )
    assert time.monotonic() - started < deadline + 1
    assert refused.status_code == 422 and "did not answer in time" in refused.text
    assert connections(app) == 0

    with app.app_context():  # a server that answered once and has gone silent since
        profile_id = db.session.scalar(
            select(SupervisorProfile.id).join(Person).where(Person.email == supervisor)
        )
        connection = CalendarConnection(supervisor_id=profile_id, url=silent_url, username="u")
        connection.calendars.append(ConnectedCalendar(url=silent_url + "cal/"))
        db.session.add(connection)
        db.session.commit()
        connection_id = connection.id
    started = time.monotonic()
    checked = client.post(
        f"/supervisor/calendars/{connection_id}/check",
        data={"csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert time.monotonic() - started < deadline + 1
    assert checked.status_code == 422 and "did not answer in time" in checked.text

    app.config["CALENDAR_PAGE_DEADLINE_SECONDS"] = 1
    app.config["CALDAV_TIMEOUT_SECONDS"] = 2
    started = time.monotonic()
    reading = client.post(
        f"/supervisor/calendars/{connection_id}/sync",
        data={"csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert time.monotonic() - started < 2
    assert reading.status_code == 302
    assert "goes on" in client.get("/supervisor/calendars", headers=EN).text
    for _ in range(50):  # the reading ends by its own timeout, and says so on the page
        with app.app_context():
            if db.session.get(CalendarConnection, connection_id).status is ConnectionStatus.FAILING:
                break
        time.sleep(0.1)
    after = client.get("/supervisor/calendars", headers=EN)
    assert "Not working:" in after.text and "did not answer in time" in after.text


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
    sign_in_with_password(client, emails[0], language="en")
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
    sign_in_with_password(supervisor_only, emails[1], language="en")
    assert supervisor_only.get("/admin/outbox").status_code == 403
    assert supervisor_only.post("/admin/outbox/retry", data={}).status_code == 403
    assert re.search("Messages not sent", page.text)
