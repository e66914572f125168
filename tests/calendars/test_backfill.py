"""Sessions booked before a calendar received them reach it once it does, through the
outbox, once each: on the first choice of a receiving calendar, on choosing another
(which moves them), and at once from `ohjaamo calendar sync` with a progress bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from service.cli import cli
from service.domain.cancellation import CancellationCategory
from service.domain.vevent import session_uid
from service.extensions import db
from service.models import OutboxMessage, OutboxState
from service.services.booking.changes import BookSession, book_session, cancel_session
from service.services.calendars.setup import choose_calendars
from tests import builders
from tests.builders import NOW, helsinki
from tests.calendars.scenes import (
    calendar_id_of,
    connected,
    counted_requests,
    deliver_outbox,
    session_objects,
)
from tests.fixtures.caldav_servers import (  # noqa: F401
    CalDAVServer,
    fixture_caldav_server,
)

TIMES = (helsinki(2027, 3, 3, 10), helsinki(2027, 3, 11, 13), helsinki(2027, 3, 19, 9))


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


def booked_before(process) -> list[str]:
    """Three sessions booked, the last one cancelled: the UIDs of the two upcoming."""
    supervisor = builders.supervisor_principal(process)
    outcomes = [book_session(supervisor, BookSession(process.id, at), now=NOW) for at in TIMES]
    cancel_session(
        supervisor, outcomes[-1].session_id, CancellationCategory.SUPERVISOR_CANCELLED, now=NOW
    )
    return sorted(session_uid(outcome.session_id) for outcome in outcomes[:2])


def uids(caldav_server: CalDAVServer, url: str) -> list[str]:
    return sorted(str(event["UID"]) for event in session_objects(caldav_server, url))


def test_sessions_booked_before_reach_the_chosen_calendar_once(
    ctx: Flask, caldav_server: CalDAVServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    process = builders.process(builders.supervisor())
    booked = booked_before(process)
    work, other = caldav_server.make_calendar("Työ"), caldav_server.make_calendar("Ohjaamo")
    connection_id = connected(caldav_server, process, work, receiving=False)
    supervisor = builders.supervisor_principal(process)
    work_id, other_id = calendar_id_of(work), calendar_id_of(other)
    assert deliver_outbox() == [] and uids(caldav_server, work) == []

    queued = choose_calendars(
        supervisor, connection_id, blocking={work_id}, receiving=work_id, now=NOW
    )
    assert queued == 2
    assert deliver_outbox() == ["calendar.push_session"] * 2
    assert uids(caldav_server, work) == booked

    again = choose_calendars(
        supervisor, connection_id, blocking={work_id}, receiving=work_id, now=NOW
    )
    assert again == 0 and deliver_outbox() == []
    with counted_requests(monkeypatch) as requests:  # a message delivered twice
        delivered = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == OutboxState.DELIVERED)
        ).all()
        for message in delivered:
            message.state = OutboxState.PENDING
        db.session.commit()
        deliver_outbox()
    assert requests.count == 0 and uids(caldav_server, work) == booked

    moved = choose_calendars(
        supervisor, connection_id, blocking={work_id}, receiving=other_id, now=NOW
    )
    assert moved == 2
    deliver_outbox()
    assert uids(caldav_server, other) == booked
    assert uids(caldav_server, work) == []  # moved, not copied


@pytest.mark.sqlite_only
@pytest.mark.parametrize("caldav_server", ["radicale"], indirect=True)
def test_the_sync_command_writes_the_waiting_sessions_with_a_progress_bar(
    app: Flask, runner: FlaskCliRunner, caldav_server: CalDAVServer
) -> None:
    with app.app_context():
        process = builders.process(builders.supervisor())
        booked = booked_before(process)
        work = caldav_server.make_calendar("Työ")
        connected(caldav_server, process, work)

    result = runner.invoke(cli, ["calendar", "sync"])

    assert result.exit_code == 0, result.output
    assert "Writing sessions to the calendar" in result.output
    assert uids(caldav_server, work) == booked
    with app.app_context():
        states = db.session.scalars(
            select(OutboxMessage.state).where(OutboxMessage.kind == "calendar.push_session")
        ).all()
        assert states == [OutboxState.DELIVERED] * 2
        assert deliver_outbox() == []  # the worker finds nothing left
