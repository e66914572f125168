"""A person's calendar subscription page: a participant makes an address, sees it once,
their calendar app reads their sessions from it under the neutral title, and revoking
stops it; a supervisor may also subscribe to every session they supervise; nobody
revokes another person's address."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import clock
from service.services.booking.changes import BookSession, book_session
from tests import builders
from tests.web.pages import csrf_token, sign_in

pytestmark = pytest.mark.sqlite_only
EN = {"Accept-Language": "en"}
FEED = re.compile(r"http://[^<\s]+(/feeds/[^<\s]+\.ics)")


@pytest.fixture
def scene(app: Flask):
    with app.app_context():
        process = builders.process(builders.supervisor())
        supervisor = builders.supervisor_principal(process)
        book_session(
            supervisor, BookSession(process.id, builders.upcoming(2, 10, weeks=1)), now=clock.now()
        )
        participant = process.participants[0]
        return {
            "code": process.code,
            "client": participant.person_id,
            "client_name": participant.person.name,
            "supervisor": process.supervisor.person_id,
        }


def test_a_participant_subscribes_and_revokes(app: Flask, client: FlaskClient, scene) -> None:
    sign_in(client, scene["client"], language="en")
    assert "/my/calendar-feeds" in client.get("/my", headers=EN, follow_redirects=True).text
    page = client.get("/my/calendar-feeds", headers=EN)
    assert page.status_code == 200 and "No addresses yet." in page.text
    assert "Every session you supervise" not in page.text
    made = client.post(
        "/my/calendar-feeds",
        data={"csrf_token": csrf_token(page.text), "name": "Puhelin", "kind": "participant"},
        headers=EN,
    )
    assert made.status_code == 200 and "it is not shown again" in made.text
    path = FEED.search(made.text).group(1)
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert scene["code"] in feed.text and scene["client_name"] not in feed.text
    listing = client.get("/my/calendar-feeds", headers=EN)
    assert "Puhelin" in listing.text and path not in listing.text  # shown once only
    revoke = re.search(r'action="(/my/calendar-feeds/[0-9a-f-]{36}/revoke)"', listing.text)

    stranger = app.test_client()
    sign_in(stranger, scene["supervisor"], language="en")
    token = csrf_token(stranger.get("/my/calendar-feeds").text)
    assert stranger.post(revoke.group(1), data={"csrf_token": token}).status_code == 404
    assert client.get(path).status_code == 200

    answer = client.post(revoke.group(1), data={"csrf_token": csrf_token(listing.text)})
    assert answer.status_code == 302
    assert client.get(path).status_code == 404
    assert "revoked" in client.get("/my/calendar-feeds", headers=EN).text


def test_a_supervisor_subscribes_to_every_session_they_supervise(
    client: FlaskClient, scene
) -> None:
    sign_in(client, scene["supervisor"], language="en")
    page = client.get("/my/calendar-feeds", headers=EN)
    assert "Every session you supervise" in page.text
    made = client.post(
        "/my/calendar-feeds",
        data={"csrf_token": csrf_token(page.text), "kind": "supervisor"},
        headers=EN,
    )
    feed = client.get(FEED.search(made.text).group(1))
    assert feed.status_code == 200 and scene["code"] in feed.text
    assert scene["client_name"] not in feed.text
