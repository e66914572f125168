"""Calendar feeds as a calendar app fetches them: RFC 5545 text read by icalendar and
by Radicale (a second, independent parser), conditional GETs, revocation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import caldav
import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import clock
from service.domain.cancellation import CancellationCategory
from service.domain.vevent import PRODUCT_ID, session_uid
from service.models import FeedKind, SupervisionProcess
from service.services.booking.changes import (
    BookSession,
    book_session,
    cancel_session,
    reschedule_session,
)
from service.services.calendars import feeds
from tests import builders
from tests.builders import NOW, helsinki
from tests.fixtures.caldav_servers import USERNAME, CalDAVServer

FIRST = helsinki(2027, 3, 3, 10)
SECOND = helsinki(2027, 3, 10, 10)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAVServer]:
    server = CalDAVServer("radicale", tmp_path_factory.mktemp("radicale-feeds"))
    server.start()
    yield server
    server.stop()


def path_of(url: str) -> str:
    return urlsplit(url).path


def booked_process() -> tuple[SupervisionProcess, list[uuid.UUID]]:
    """Two sessions of an individual process, the second cancelled; another process of
    the same supervisor with a session of its own."""
    profile = builders.supervisor()
    process = builders.process(profile)
    who = builders.participant_principal(process)
    first = book_session(who, BookSession(process.id, FIRST), now=NOW).session_id
    second = book_session(who, BookSession(process.id, SECOND), now=NOW).session_id
    cancel_session(who, second, CancellationCategory.SICKNESS, now=NOW)
    other = builders.process(profile)
    book_session(
        builders.participant_principal(other),
        BookSession(other.id, helsinki(2027, 3, 4, 12)),
        now=NOW,
    )
    return process, [first, second]


def events_of(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["PRODID"]) == PRODUCT_ID
    assert str(calendar["VERSION"]) == "2.0"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_participants_feed_lists_their_sessions_with_the_invitations_uids(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        process, (first, second) = booked_process()
        participant = builders.participant_principal(process)
        _, url = feeds.create_feed(participant, FeedKind.PARTICIPANT)
        name = process.participants[0].person.name
        title = f"Työnohjaus {process.code}"

    answer = client.get(path_of(url))
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    assert answer.headers["ETag"] and answer.headers["Last-Modified"]
    assert "private" in answer.headers["Cache-Control"]
    events = events_of(answer.data)
    assert set(events) == {session_uid(first), session_uid(second)}
    assert str(events[session_uid(first)]["SUMMARY"]) == title
    assert events[session_uid(first)]["DTSTART"].dt == FIRST
    assert str(events[session_uid(first)]["STATUS"]) == "CONFIRMED"
    assert str(events[session_uid(second)]["STATUS"]) == "CANCELLED"
    assert name.encode() not in answer.data


def test_a_supervisors_feed_lists_every_session_they_supervise(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        process, _ = booked_process()
        supervisor = builders.supervisor_principal(process)
        _, url = feeds.create_feed(supervisor, FeedKind.SUPERVISOR)
        participant = builders.participant_principal(process)
        with pytest.raises(feeds.AccessDenied):
            feeds.create_feed(participant, FeedKind.SUPERVISOR)
    events = events_of(client.get(path_of(url)).data)
    assert len(events) == 3


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        process, (first, _) = booked_process()
        participant = builders.participant_principal(process)
        _, url = feeds.create_feed(participant, FeedKind.PARTICIPANT)
    path = path_of(url)
    answer = client.get(path)
    etag, modified = answer.headers["ETag"], answer.headers["Last-Modified"]

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get(path, headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200

    with app.app_context():
        reschedule_session(participant, first, helsinki(2027, 3, 4, 10), now=NOW)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    moved = events_of(changed.data)[session_uid(first)]
    assert moved["DTSTART"].dt == helsinki(2027, 3, 4, 10)
    assert int(moved["SEQUENCE"]) == 1


def test_a_revoked_or_unknown_address_is_not_found(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        process, _ = booked_process()
        participant = builders.participant_principal(process)
        feed, url = feeds.create_feed(participant, FeedKind.PARTICIPANT)
        assert client.get(path_of(url)).status_code == 200
        feeds.revoke_feed(participant, feed.id, now=clock.now())
        stranger = builders.principal(builders.person())
        with pytest.raises(feeds.NotFound):
            feeds.revoke_feed(stranger, feed.id, now=clock.now())
    assert client.get(path_of(url)).status_code == 404
    assert client.get("/feeds/not-a-secret.ics").status_code == 404


def test_radicale_accepts_the_feed_as_a_whole_calendar(
    app: Flask, client: FlaskClient, radicale: CalDAVServer
) -> None:
    with app.app_context():
        process, (first, second) = booked_process()
        _, url = feeds.create_feed(builders.supervisor_principal(process), FeedKind.SUPERVISOR)
    body = client.get(path_of(url)).data
    collection = f"{radicale.base}/{USERNAME}/feed-{uuid.uuid4().hex}/"
    dav = radicale.client()
    uploaded = dav.request(
        collection, "PUT", body, {"Content-Type": "text/calendar; charset=utf-8"}
    )
    assert uploaded.status == 201, uploaded.raw
    calendar = caldav.Calendar(client=dav, url=collection)
    uids = {str(item.icalendar_component["UID"]) for item in calendar.events()}
    assert {session_uid(first), session_uid(second)} <= uids
    assert len(uids) == 3
