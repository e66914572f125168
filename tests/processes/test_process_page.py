"""The supervisor's process page and what it posts to: only the supervisor reads it,
each open step posts to its use case, a refused step is told on the page; the supervisor
cancels a session for their own reason (never charged, the client told) and moves one
from their page; an inquiry is declined from the page (the inquirer told, the held time
freed) and the list names the inquirer and shows what waits for an answer; a process is
started from the list; an office is added on the availability page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service import clock
from service.extensions import db
from service.models import (
    EvaluationRound,
    OutboxMessage,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
    SupervisorHold,
)
from service.services.booking.changes import BookSession, book_session
from service.services.processes.inquiries import (
    confirm_inquiry,
    confirmation_token,
    submit_inquiry,
)
from tests import builders
from tests.builders import NOW, helsinki
from tests.processes import people
from tests.web.pages import csrf_token, sign_in

pytestmark = pytest.mark.sqlite_only
EN = {"Accept-Language": "en"}


@pytest.fixture
def scene(app: Flask):
    with app.app_context():
        profile = builders.supervisor()
        process = builders.process(profile)
        supervisor = builders.supervisor_principal(process)
        booked = book_session(
            supervisor, BookSession(process.id, builders.upcoming(2, 10, weeks=1)), now=clock.now()
        )
        return {
            "process": process.id,
            "session": booked.session_id,
            "supervisor": process.supervisor.person_id,
            "client": process.participants[0].person_id,
            "client_name": process.participants[0].person.name,
        }


def test_only_the_supervisor_reads_the_page(app: Flask, scene) -> None:
    url = f"/supervisor/processes/{scene['process']}"
    supervisor, client, stranger = app.test_client(), app.test_client(), app.test_client()
    sign_in(supervisor, scene["supervisor"], language="en")
    page = supervisor.get(url, headers=EN)
    assert page.status_code == 200
    assert scene["client_name"] in page.text and "What comes next" in page.text
    assert "Book one session" in page.text and "Ask the scaling question" in page.text
    sign_in(client, scene["client"], language="en")
    assert client.get(url, headers=EN).status_code == 403
    with app.app_context():
        other = builders.supervisor().person_id
    sign_in(stranger, other, language="en")
    assert stranger.get(url, headers=EN).status_code == 404


def test_steps_post_to_their_use_cases(app: Flask, client: FlaskClient, scene) -> None:
    sign_in(client, scene["supervisor"], language="en")
    url = f"/supervisor/processes/{scene['process']}"
    token = csrf_token(client.get(url, headers=EN).text)
    answer = client.post(f"{url}/sessions/{scene['session']}/scaling", data={"csrf_token": token})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(EvaluationRound.session_id)) == scene["session"]
    refused = client.post(
        f"{url}/participants/{scene['session']}/remove", data={"csrf_token": token}, headers=EN
    )
    assert refused.status_code == 422 and "not possible at this stage" in refused.text
    no_reason = client.post(f"{url}/end", data={"csrf_token": token, "reason": "x"}, headers=EN)
    assert no_reason.status_code == 422
    ended = client.post(f"{url}/end", data={"csrf_token": token, "reason": "funding_ended"})
    assert ended.status_code == 302
    with app.app_context():
        process = db.session.get(SupervisionProcess, scene["process"])
        assert process.status is ProcessStatus.TERMINATED
        session = db.session.get(SupervisionSession, scene["session"])
        assert session.status is SessionStatus.CANCELLED


def test_the_supervisor_cancels_for_their_own_reason(
    app: Flask, client: FlaskClient, scene
) -> None:
    sign_in(client, scene["supervisor"], language="en")
    url = f"/my/sessions/{scene['session']}/cancel"
    page = client.get(url, headers=EN)
    assert "Cancelled by the supervisor" in page.text
    answer = client.post(
        url, data={"csrf_token": csrf_token(page.text), "reason": "supervisor_cancelled"}
    )
    assert answer.location.endswith(f"/supervisor/processes/{scene['process']}")
    with app.app_context():
        session = db.session.get(SupervisionSession, scene["session"])
        assert session.status is SessionStatus.CANCELLED and session.charge_percent == 0
        assert "booking.cancelled" in set(db.session.scalars(select(OutboxMessage.kind)))


def test_a_process_is_started_and_an_office_added(app: Flask, client: FlaskClient, scene) -> None:
    sign_in(client, scene["supervisor"], language="en")
    listing = client.get("/supervisor/processes", headers=EN)
    token = csrf_token(listing.text)
    started = client.post("/supervisor/processes/new", data={"csrf_token": token, "mode": "group"})
    assert re.search(r"/supervisor/processes/[0-9a-f-]{36}$", started.location)
    page = client.get(started.location, headers=EN)
    assert "Mark the initial assessment held" in page.text and "No participants yet." in page.text
    availability = client.get("/supervisor/availability", headers=EN)
    missing = client.post(
        "/supervisor/availability/places",
        data={"csrf_token": csrf_token(availability.text), "place_name": ""},
        headers=EN,
    )
    assert missing.status_code == 422
    added = client.post(
        "/supervisor/availability/places",
        data={
            "csrf_token": csrf_token(availability.text),
            "place_name": "Vastaanotto",
            "street": "Hämeenkatu 12",
            "postal_code": "33100",
            "city": "Tampere",
        },
    )
    assert added.status_code == 302
    assert (
        "Vastaanotto, Hämeenkatu 12, 33100 Tampere"
        in client.get("/supervisor/availability", headers=EN).text
    )


def test_the_supervisor_moves_a_session_from_their_page(
    app: Flask, client: FlaskClient, scene
) -> None:
    sign_in(client, scene["supervisor"], language="en")
    page = client.get(f"/supervisor/processes/{scene['process']}", headers=EN)
    move = f"/my/sessions/{scene['session']}/move"
    assert f'href="{move}"' in page.text
    offered = client.get(move, headers=EN)
    slots = re.findall(r'name="slot" id="[^"]*" value="([^"]+)"', offered.text)
    with app.app_context():
        before = db.session.get(SupervisionSession, scene["session"]).starts_at
    chosen = next(slot for slot in slots if dt.datetime.fromisoformat(slot) != before)
    moved = client.post(
        move,
        data={
            "csrf_token": csrf_token(offered.text),
            "slot": chosen,
            "key": "move-1",
            "step": "confirm",
        },
    )
    assert moved.location.endswith(f"/supervisor/processes/{scene['process']}")
    with app.app_context():
        session = db.session.get(SupervisionSession, scene["session"])
        assert session.starts_at == dt.datetime.fromisoformat(chosen)
        assert session.status is SessionStatus.BOOKED
        assert "booking.moved" in set(db.session.scalars(select(OutboxMessage.kind)))


def test_the_supervisor_declines_an_inquiry_from_their_page(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        profile, _supervisor = people.supervisor()
        receipt = submit_inquiry(
            profile.slug, people.inquiry_form(), now=NOW, assessment_at=helsinki(2027, 3, 3, 10)
        )
        confirm_inquiry(confirmation_token(receipt.inquiry_id, now=NOW), now=NOW)
        supervisor_id = profile.person_id
    sign_in(client, supervisor_id, language="en")
    listing = client.get("/supervisor/processes", headers=EN).text
    assert "Iida Inkeri" in listing and "Inquiry to answer" in listing
    url = f"/supervisor/processes/{receipt.process_id}"
    page = client.get(url, headers=EN)
    assert "Accept the inquiry" in page.text and "Decline" in page.text
    declined = client.post(
        f"{url}/inquiry/decline",
        data={"csrf_token": csrf_token(page.text), "reason": "not_a_fit"},
        headers=EN,
    )
    assert declined.location.endswith(url)
    after = client.get(url, headers=EN)
    assert "the inquirer is told and the held time is free again" in after.text
    assert "Accept the inquiry" not in after.text
    assert "Inquiry to answer" not in client.get("/supervisor/processes", headers=EN).text
    with app.app_context():
        process = db.session.get(SupervisionProcess, receipt.process_id)
        assert process.status is ProcessStatus.DECLINED
        assessment = db.session.get(SupervisionSession, receipt.session_id)
        assert assessment.status is SessionStatus.CANCELLED
        holds = select(SupervisorHold).where(SupervisorHold.session_id == assessment.id)
        assert not any(hold.active for hold in db.session.scalars(holds))
        told = [
            m.payload
            for m in db.session.scalars(select(OutboxMessage))
            if m.kind == "email.inquiry_answer"
        ]
        assert told == [{"inquiry_id": str(receipt.inquiry_id), "accepted": False}]
