"""The calendar connections page and the week against real Radicale and Xandikos: the
events that could not be read are listed until fixed or removed, session events the
supervisor changed in their calendar are put back or cancelled from the page, and the
feed address for calendars read through an address is offered once.

Database work is done in app contexts of its own: a request inside the test's context
would share its `g` (and Flask-WTF's CSRF token with it) across sign-ins."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.domain.vevent import session_uid
from service.extensions import db
from service.models import (
    CalendarConnection,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from service.services.booking.changes import BookSession, book_session
from tests import builders
from tests.builders import NOW, helsinki
from tests.calendars.helpers import other_client_calendar, put_raw, vevent
from tests.calendars.pages import EN, page, read_now, supervised_process
from tests.calendars.scenes import calendar_id_of, deliver_outbox, session_objects
from tests.fixtures.caldav_servers import (  # noqa: F401
    PASSWORD,
    USERNAME,
    CalDAVServer,
    fixture_caldav_server,
)
from tests.web.pages import csrf_token

pytestmark = pytest.mark.sqlite_only

# A shape each server keeps but Ohjaamo cannot read (see test_caldav_backend.UNREADABLE).
BROKEN = {
    "radicale": ("DTSTART:20270310T100000Z", "DURATION:PT1H", "RRULE:FREQ=WEEKLY;INTERVAL=0"),
    "xandikos": ("DTSTART:20270231T100000Z", "DURATION:PT1H"),
}
REASON = {
    "radicale": "Its repeat rule cannot be read.",
    "xandikos": "A date or time in it does not exist, such as 31 February.",
}


def connect_on_page(
    app: Flask, client: FlaskClient, server: CalDAVServer, calendar_url: str, *, receives: bool
) -> str:
    page = client.get("/supervisor/calendars", headers=EN)
    answer = client.post(
        "/supervisor/calendars",
        data={
            "csrf_token": csrf_token(page.text),
            "url": server.url,
            "username": USERNAME,
            "password": PASSWORD,
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        connection_id = str(db.session.scalar(select(CalendarConnection.id)))
        calendar_id = str(calendar_id_of(calendar_url))
    chosen = client.post(
        f"/supervisor/calendars/{connection_id}/choose",
        data={
            "csrf_token": csrf_token(page.text),
            "blocks": [calendar_id],
            "receives": calendar_id if receives else "",
        },
    )
    assert chosen.status_code == 302
    return connection_id


def booked(app: Flask, process_id: uuid.UUID, *starts) -> list[uuid.UUID]:
    with app.app_context():
        process = db.session.get(SupervisionProcess, process_id)
        supervisor = builders.supervisor_principal(process)
        return [
            book_session(supervisor, BookSession(process_id, at), now=NOW).session_id
            for at in starts
        ]


def test_events_that_cannot_be_read_are_shown_until_fixed_or_removed(
    app: Flask, client: FlaskClient, caldav_server: CalDAVServer
) -> None:
    supervised_process(app, client)
    url = caldav_server.make_calendar()
    broken = vevent("broken", *BROKEN[caldav_server.kind]).replace(
        "SUMMARY:Oma", "SUMMARY:Hammaslääkäri"
    )
    assert put_raw(caldav_server, url, "broken", broken) in (201, 204)
    connection_id = connect_on_page(app, client, caldav_server, url, receives=False)
    read_now(client, connection_id)

    shown = page(client)
    assert "Working, but some events could not be read" in shown
    assert (
        "Hammaslääkäri" in shown and REASON[caldav_server.kind] in shown and "broken.ics" in shown
    )
    week = page(client, f"/supervisor/week?day={NOW.date().isoformat()}")
    assert "Some busy time from your own calendar may be missing here: 1 events" in week

    fixed = vevent("broken", "DTSTART:20270310T100000Z", "DURATION:PT1H")
    if caldav_server.kind == "xandikos":  # it cannot replace an object it cannot read (500)
        caldav_server.client().request(f"{url}broken.ics", "DELETE")
    assert put_raw(caldav_server, url, "broken", fixed) in (201, 204)
    read_now(client, connection_id)
    assert "could not be read" not in page(client)
    assert "may be missing" not in page(client, "/supervisor/week")

    put_raw(caldav_server, url, "second", vevent("second", *BROKEN[caldav_server.kind]))
    read_now(client, connection_id)
    assert "second.ics" in page(client)
    # deleted by its address: the caldav library's own search loops on a 0-week rule
    assert caldav_server.client().request(f"{url}second.ics", "DELETE").status in (200, 204)
    read_now(client, connection_id)
    assert "could not be read" not in page(client)


@pytest.mark.parametrize("caldav_server", ["radicale"], indirect=True)
def test_sessions_changed_in_the_calendar_are_put_back_or_cancelled_from_the_page(
    app: Flask, client: FlaskClient, caldav_server: CalDAVServer
) -> None:
    process_id, code = supervised_process(app, client)
    url = caldav_server.make_calendar()
    connection_id = connect_on_page(app, client, caldav_server, url, receives=True)
    kept, dropped = booked(app, process_id, helsinki(2027, 3, 3, 10), helsinki(2027, 3, 11, 13))
    with app.app_context():
        deliver_outbox()
    read_now(client, connection_id)
    for session_id in (kept, dropped):
        other_client_calendar(caldav_server, url).event_by_uid(session_uid(session_id)).delete()
    read_now(client, connection_id)

    shown = page(client)
    assert shown.count("deleted from your calendar") == 2
    assert code in shown
    week = page(client, f"/supervisor/week?day={NOW.date().isoformat()}")
    assert "You deleted or changed 2 sessions in your own calendar" in week

    restored = client.post(
        f"/supervisor/calendars/sessions/{kept}/restore", data={"csrf_token": csrf_token(shown)}
    )
    assert restored.status_code == 302
    cancelled = client.post(
        f"/supervisor/calendars/sessions/{dropped}/cancel",
        data={"csrf_token": csrf_token(shown), "reason": "sickness"},
    )
    assert cancelled.status_code == 302
    with app.app_context():
        deliver_outbox()
        assert db.session.get(SupervisionSession, dropped).status is SessionStatus.CANCELLED
        assert db.session.get(SupervisionSession, kept).status is SessionStatus.BOOKED
    assert [str(event["UID"]) for event in session_objects(caldav_server, url)] == [
        session_uid(kept)
    ]
    assert "deleted from your calendar" not in page(client)
    assert "You deleted or changed" not in page(client, "/supervisor/week")
    again = client.post(
        f"/supervisor/calendars/sessions/{kept}/restore", data={"csrf_token": csrf_token(shown)}
    )
    assert again.status_code == 404  # nothing left to resolve


def test_another_supervisors_sessions_are_out_of_reach(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        process = builders.process(builders.supervisor())
        process_id = process.id
    booked_ids = booked(app, process_id, helsinki(2027, 3, 3, 10))
    supervised_process(app, client)  # someone else's supervisor signs in
    shown = page(client)
    for action, data in (("restore", {}), ("cancel", {"reason": "sickness"})):
        answer = client.post(
            f"/supervisor/calendars/sessions/{booked_ids[0]}/{action}",
            data={"csrf_token": csrf_token(shown), **data},
        )
        assert answer.status_code == 404, action  # not there for another supervisor
    with app.app_context():
        assert db.session.get(SupervisionSession, booked_ids[0]).status is SessionStatus.BOOKED


def test_the_feed_address_is_shown_once_with_how_to_subscribe(
    app: Flask, client: FlaskClient
) -> None:
    process_id, code = supervised_process(app, client)
    booked(app, process_id, helsinki(2027, 3, 3, 10))
    shown = page(client)
    assert "Google Calendar" in shown and "Subscribe from web" in shown

    made = client.post("/supervisor/calendars/feeds", data={"csrf_token": csrf_token(shown)})
    assert made.status_code == 200
    address = re.search(r"<code>(http[^<]+\.ics)</code>", made.text).group(1)
    path = "/" + address.split("/", 3)[3]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert f"Työnohjaus {code}" in feed.text
    assert address not in page(client)  # shown that once

    feed_id = re.search(r"/supervisor/calendars/feeds/([0-9a-f-]+)/revoke", made.text).group(1)
    revoked = client.post(
        f"/supervisor/calendars/feeds/{feed_id}/revoke", data={"csrf_token": csrf_token(shown)}
    )
    assert revoked.status_code == 302
    assert client.get(path).status_code == 404
