"""The supervisor's pages through the test client: the week and the month with sessions,
busy time and travel; processes by stage; a session's attendance and private notes;
nobody else's; bad and forged input writing nothing; notes never leaving."""

from __future__ import annotations

import logging
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.extensions import db
from service.models import (
    OutboxMessage,
    SessionStatus,
    SupervisionSession,
)
from tests.web.pages import csrf_token, sign_in, sign_in_with_password
from tests.web.scenes import Desk, supervisor_desk

EN = {"Accept-Language": "en"}
MARKER = "CANARY-notes-7f3a"


@pytest.fixture
def desk(app: Flask) -> Desk:
    with app.app_context():
        return supervisor_desk()


def test_the_week_shows_sessions_busy_time_and_travel_in_the_zone(
    client: FlaskClient, desk: Desk
) -> None:
    sign_in_with_password(client, desk.email, language="en")
    page = client.get("/supervisor/week?day=2026-03-04", headers=EN)
    assert page.status_code == 200
    text = page.text
    assert "Week 10" in text and "2 Mar–8 Mar 2026" in text
    assert "Europe/Helsinki" not in text  # the reader's own zone is not named
    assert text.count(desk.code) == 2
    assert text.count("Aino Aaltonen") == 2  # the supervisor's own client, by name
    assert f"/supervisor/sessions/{desk.session_id}" in text
    assert "09:00–10:30" in text  # local time, not UTC
    assert "12:30–13:00" in text and "Travel, 30 min" in text
    assert "10:00–12:00" in text and "Busy in your calendar" in text


def test_the_week_opens_on_the_week_at_hand(client: FlaskClient, desk: Desk, service_clock) -> None:
    service_clock.move_to("2026-03-05T10:00:00+02:00")  # a Thursday
    sign_in_with_password(client, desk.email, language="en")
    week = client.get("/supervisor/week", headers=EN).text
    assert "Week 10" in week and "today" in week
    service_clock.move_to("2026-03-07T10:00:00+02:00")  # a Saturday: the coming week
    sign_in_with_password(client, desk.email, language="en")
    assert "Week 11" in client.get("/supervisor/week", headers=EN).text


def test_the_month_shows_the_sessions(client: FlaskClient, desk: Desk) -> None:
    sign_in_with_password(client, desk.email, language="en")
    page = client.get("/supervisor/month?month=2026-03", headers=EN)
    assert page.status_code == 200 and "March 2026" in page.text
    assert page.text.count(desk.code) == 2 and "1 busy time" in page.text


def test_a_bad_date_is_a_clear_error(client: FlaskClient, desk: Desk) -> None:
    sign_in_with_password(client, desk.email, language="en")
    assert client.get("/supervisor/week?day=2026-02-30", headers=EN).status_code == 400
    assert client.get("/supervisor/month?month=March", headers=EN).status_code == 400


def test_processes_are_grouped_by_stage(client: FlaskClient, desk: Desk) -> None:
    sign_in_with_password(client, desk.email, language="en")
    page = client.get("/supervisor/processes", headers=EN)
    assert "Active" in page.text and desk.code in page.text
    assert "Aino Aaltonen" in page.text and "Organisation" in page.text
    assert "Agreement sent" not in page.text  # the other supervisor's process


def test_another_supervisor_sees_nothing_of_the_session(
    app: Flask, client: FlaskClient, desk: Desk
) -> None:
    sign_in_with_password(client, desk.other_email, language="en")
    assert client.get(f"/supervisor/sessions/{desk.session_id}").status_code == 404
    week = client.get("/supervisor/week?day=2026-03-04")
    assert week.status_code == 200 and desk.code not in week.text
    page = client.get("/supervisor/week")
    answer = client.post(
        f"/supervisor/sessions/{desk.session_id}/notes",
        data={"csrf_token": csrf_token_of(client), "notes": MARKER, "next_step": ""},
    )
    assert answer.status_code == 404 and page.status_code == 200
    with app.app_context():
        assert db.session.get(SupervisionSession, desk.session_id).notes_encrypted is None


def csrf_token_of(client: FlaskClient) -> str:
    return csrf_token(client.get("/account").text)


def test_a_participant_and_a_stranger_are_kept_out(
    app: Flask, client: FlaskClient, desk: Desk
) -> None:
    sign_in(client, desk.participant_person, language="en")
    assert client.get(f"/supervisor/sessions/{desk.session_id}").status_code == 403
    assert client.get("/supervisor/week").status_code == 403
    assert client.get("/supervisor/calendars").status_code == 403
    assert client.get("/admin/outbox").status_code == 403
    anonymous = app.test_client()
    answer = anonymous.get(f"/supervisor/sessions/{desk.session_id}")
    assert answer.status_code == 302 and "/sign-in" in answer.location


def test_notes_are_kept_encrypted_and_never_leave(
    app: Flask, client: FlaskClient, desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in_with_password(client, desk.email, language="en")
    page = client.get(f"/supervisor/sessions/{desk.session_id}", headers=EN)
    saved = client.post(
        f"/supervisor/sessions/{desk.session_id}/notes",
        data={
            "csrf_token": csrf_token(page.text),
            "notes": f"{MARKER} muistiinpano",
            "next_step": "Kokeile yhtä pientä asiaa",
        },
        headers=EN,
    )
    assert saved.status_code == 302
    shown = client.get(f"/supervisor/sessions/{desk.session_id}", headers=EN)
    assert MARKER in shown.text and "The notes and the next small step are saved" in shown.text
    assert shown.headers["Cache-Control"] == "no-store"
    with app.app_context():
        row = db.session.get(SupervisionSession, desk.session_id)
        assert MARKER.encode() not in row.notes_encrypted
        payloads = [str(m.payload) for m in db.session.scalars(select(OutboxMessage))]
    assert not any(MARKER in payload for payload in payloads)
    assert MARKER not in caplog.text


def test_too_long_or_forged_notes_write_nothing(
    app: Flask, client: FlaskClient, desk: Desk
) -> None:
    sign_in_with_password(client, desk.email, language="en")
    page = client.get(f"/supervisor/sessions/{desk.session_id}", headers=EN)
    too_long = client.post(
        f"/supervisor/sessions/{desk.session_id}/notes",
        data={"csrf_token": csrf_token(page.text), "notes": "x" * 20_001, "next_step": "ok"},
        headers=EN,
    )
    assert too_long.status_code == 422 and "This is too long" in too_long.text
    forged = client.post(
        f"/supervisor/sessions/{desk.session_id}/notes",
        data={"csrf_token": "forged", "notes": MARKER, "next_step": "ok"},
        headers=EN,
    )
    assert forged.status_code == 422 and "The form expired" in forged.text
    with app.app_context():
        row = db.session.get(SupervisionSession, desk.session_id)
        assert row.notes_encrypted is None and row.next_step_encrypted is None


def test_attendance_is_recorded_and_bad_input_is_refused(
    app: Flask, client: FlaskClient, desk: Desk
) -> None:
    sign_in_with_password(client, desk.email, language="en")
    page = client.get(f"/supervisor/sessions/{desk.session_id}", headers=EN)
    with app.app_context():
        member = db.session.get(SupervisionSession, desk.session_id).process.participants[0].id
    bad = client.post(
        f"/supervisor/sessions/{desk.session_id}/attendance",
        data={"csrf_token": csrf_token(page.text), f"attendance-{member}": "sleeping"},
        headers=EN,
    )
    assert bad.status_code == 422
    stranger = client.post(
        f"/supervisor/sessions/{desk.session_id}/attendance",
        data={"csrf_token": csrf_token(page.text), f"attendance-{uuid.uuid4()}": "present"},
        headers=EN,
    )
    assert stranger.status_code == 422 and "participants of this session" in stranger.text
    with app.app_context():
        assert db.session.get(SupervisionSession, desk.session_id).status is SessionStatus.BOOKED
    good = client.post(
        f"/supervisor/sessions/{desk.session_id}/attendance",
        data={"csrf_token": csrf_token(page.text), f"attendance-{member}": "present"},
    )
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(SupervisionSession, desk.session_id).status is SessionStatus.HELD
