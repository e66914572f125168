"""The supervisor's series review through the test client, on both databases: a series
proposed from the page shows every occurrence with its time, zone and standing; a
calendar event makes a collision with alternatives; booking all books the ones that
fit (with their outbox messages) and keeps the collision proposed; an alternative moves
it and it can then be booked; nobody else sees or acts; bad, stale and forged input
gets a clear message and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service.extensions import db
from service.models import (
    AuditEvent,
    OutboxMessage,
    ProcessStatus,
    SessionStatus,
    SupervisionProcess,
    SupervisionSession,
)
from tests import builders
from tests.builders import helsinki
from tests.processes.series_scenes import SeriesDesk, series_desk
from tests.web.pages import csrf_token, sign_in, sign_in_with_password

DT_HOUR = dt.timedelta(hours=1)
EN = {"Accept-Language": "en"}
FI = {"Accept-Language": "fi"}


@pytest.fixture
def desk(app: Flask) -> SeriesDesk:
    with app.app_context():
        return series_desk()


def page_of(desk: SeriesDesk) -> str:
    return f"/supervisor/processes/{desk.process_id}/series"


def sessions_of(app: Flask, desk: SeriesDesk) -> dict[SessionStatus, list[SupervisionSession]]:
    with app.app_context():
        rows = db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.process_id == desk.process_id)
            .order_by(SupervisionSession.starts_at)
        ).all()
        grouped: dict[SessionStatus, list[SupervisionSession]] = {}
        for row in rows:
            db.session.expunge(row)
            grouped.setdefault(row.status, []).append(row)
        return grouped


def outbox_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def proposed(client: FlaskClient, desk: SeriesDesk) -> str:
    """Sign in, propose from the empty page, and answer the page as it then reads."""
    sign_in_with_password(client, desk.email, language="en")
    empty = client.get(page_of(desk), headers=EN)
    assert empty.status_code == 200 and "No sessions are proposed now" in empty.text
    answer = client.post(
        f"{page_of(desk)}/propose", data={"csrf_token": csrf_token(empty.text)}, headers=EN
    )
    assert answer.status_code == 302
    page = client.get(page_of(desk), headers=EN)
    assert "6 sessions are proposed" in page.text
    return page.text


def collision_row(html: str) -> tuple[str, list[str]]:
    """The colliding row's session id and its alternative times as offered."""
    row = re.search(r'<tr id="occurrence-([0-9a-f-]+)" class="collision">(.*?)</tr>', html, re.S)
    assert row, "no collision on the page"
    return row.group(1), re.findall(r'name="start" value="([^"]+)"', row.group(2))


def test_the_proposed_series_shows_times_zone_collisions_and_moves(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    assert "Europe/Helsinki" not in html  # the reader's own zone is not named
    assert "Wed, 5 Feb 2031 at 10:00–11:30" in html
    assert html.count('type="checkbox"') == 6
    assert html.count(">Fits<") == 4
    assert "Fits, moved out of a break or holiday" in html
    assert "Originally Wed, 19 Mar 2031." in html  # the break's day, moved to the 26th
    assert "Wed, 26 Mar 2031 at 10:00" in html
    assert "Collides" in html and "Your calendar is busy then." in html
    _, alternatives = collision_row(html)
    assert 1 <= len(alternatives) <= 3
    assert "0 of 6 sessions" in html
    sign_in_with_password(client, desk.email, language="fi")
    page = client.get(page_of(desk), headers=FI)
    assert "ke 5.2.2031 klo 10.00–11.30" in page.text
    assert page.headers["Cache-Control"] == "no-store"


def test_booking_all_books_what_fits_and_keeps_the_collision(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    colliding, _ = collision_row(html)
    before = outbox_count(app)
    answer = client.post(
        f"{page_of(desk)}/accept",
        data={"csrf_token": csrf_token(html), "action": "all"},
        headers=EN,
    )
    assert answer.status_code == 200
    assert "5 sessions are booked" in answer.text
    assert "1 session collides and stays proposed" in answer.text
    assert f'href="#occurrence-{colliding}"' in answer.text
    assert "5 of 6 sessions" in answer.text
    rows = sessions_of(app, desk)
    assert len(rows[SessionStatus.BOOKED]) == 5
    assert [str(s.id) for s in rows[SessionStatus.PROPOSED]] == [colliding]
    assert outbox_count(app) > before
    with app.app_context():
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
    assert kinds.count("booking.created") == 5


def test_an_alternative_moves_the_collision_and_then_it_is_booked(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    colliding, alternatives = collision_row(html)
    moved = client.post(
        f"{page_of(desk)}/move",
        data={"csrf_token": csrf_token(html), "session_id": colliding, "start": alternatives[0]},
        headers=EN,
    )
    assert moved.status_code == 302
    page = client.get(page_of(desk), headers=EN)
    assert "The session is moved to the chosen time" in page.text
    assert 'class="collision"' not in page.text
    [session] = [
        s for s in sessions_of(app, desk)[SessionStatus.PROPOSED] if str(s.id) == colliding
    ]
    assert session.starts_at.isoformat() == alternatives[0]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "series.occurrence_moved")
            )
            == 1
        )
    booked = client.post(
        f"{page_of(desk)}/accept",
        data={"csrf_token": csrf_token(page.text), "action": "chosen", "sessions": colliding},
        headers=EN,
    )
    assert booked.status_code == 200 and "1 session is booked" in booked.text
    rows = sessions_of(app, desk)
    assert [str(s.id) for s in rows[SessionStatus.BOOKED]] == [colliding]
    assert len(rows[SessionStatus.PROPOSED]) == 5


def test_a_stale_alternative_is_refused_and_nothing_moves(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    colliding, alternatives = collision_row(html)
    with app.app_context():
        profile = db.session.get(SupervisionProcess, desk.process_id).supervisor
        start = dt.datetime.fromisoformat(alternatives[0])
        builders.busy(profile, start, start + DT_HOUR)  # a calendar event synced meanwhile
    before = {s.id: s.starts_at for s in sessions_of(app, desk)[SessionStatus.PROPOSED]}
    answer = client.post(
        f"{page_of(desk)}/move",
        data={"csrf_token": csrf_token(html), "session_id": colliding, "start": alternatives[0]},
        headers=EN,
    )
    assert answer.status_code == 422
    assert "The chosen time is no longer free: Your calendar is busy then." in answer.text
    after = {s.id: s.starts_at for s in sessions_of(app, desk)[SessionStatus.PROPOSED]}
    assert after == before


def test_a_time_of_another_proposed_session_or_in_the_break_is_refused(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    colliding, _ = collision_row(html)
    before = {s.id: s.starts_at for s in sessions_of(app, desk)[SessionStatus.PROPOSED]}
    sibling = helsinki(2031, 4, 16, 10).isoformat()
    taken = client.post(
        f"{page_of(desk)}/move",
        data={"csrf_token": csrf_token(html), "session_id": colliding, "start": sibling},
        headers=EN,
    )
    assert taken.status_code == 422 and "Another session is booked then." in taken.text
    in_break = client.post(
        f"{page_of(desk)}/move",
        data={
            "csrf_token": csrf_token(html),
            "session_id": colliding,
            "start": helsinki(2031, 3, 20, 10).isoformat(),
        },
        headers=EN,
    )
    assert in_break.status_code == 422 and "is outside the agreement" in in_break.text
    after = {s.id: s.starts_at for s in sessions_of(app, desk)[SessionStatus.PROPOSED]}
    assert after == before


def test_unknown_sessions_and_bad_times_write_nothing(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    token = csrf_token(html)
    colliding, alternatives = collision_row(html)
    first_fitting = sessions_of(app, desk)[SessionStatus.PROPOSED][0].id
    cases = [
        ("accept", {"action": "chosen", "sessions": [str(first_fitting), str(uuid.uuid4())]}),
        ("accept", {"action": "chosen", "sessions": "not-an-id"}),
        ("accept", {"action": "chosen"}),
        ("move", {"session_id": str(uuid.uuid4()), "start": alternatives[0]}),
        ("move", {"session_id": colliding, "start": "tomorrow"}),
        ("move", {"session_id": colliding, "start": "2031-02-27T10:00:00"}),  # no zone
    ]
    messages = [
        "A chosen session is no longer proposed",
        "A chosen session is no longer proposed",
        "Tick the sessions to book",
        "A chosen session is no longer proposed",
        "Choose one of the times offered",
        "Choose one of the times offered",
    ]
    before = {s.id: s.starts_at for s in sessions_of(app, desk)[SessionStatus.PROPOSED]}
    for (action, data), message in zip(cases, messages, strict=True):
        answer = client.post(
            f"{page_of(desk)}/{action}", data={"csrf_token": token, **data}, headers=EN
        )
        assert answer.status_code == 422, (action, data)
        assert message in answer.text, (action, data)
    rows = sessions_of(app, desk)
    assert SessionStatus.BOOKED not in rows
    assert {s.id: s.starts_at for s in rows[SessionStatus.PROPOSED]} == before


def test_forms_without_a_valid_csrf_token_are_refused(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    colliding, alternatives = collision_row(html)
    for action, data in [
        ("accept", {"action": "all"}),
        ("propose", {}),
        ("move", {"session_id": colliding, "start": alternatives[0]}),
    ]:
        answer = client.post(
            f"{page_of(desk)}/{action}", data={"csrf_token": "forged", **data}, headers=EN
        )
        assert answer.status_code == 422 and "The form expired" in answer.text
    rows = sessions_of(app, desk)
    assert list(rows) == [SessionStatus.PROPOSED] and len(rows[SessionStatus.PROPOSED]) == 6


def test_another_supervisor_and_a_participant_are_refused(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    proposed(client, desk)
    other = app.test_client()
    sign_in_with_password(other, desk.other_email, language="en")
    assert other.get(page_of(desk)).status_code == 404
    token = csrf_token(other.get("/account").text)
    assert other.post(f"{page_of(desk)}/propose", data={"csrf_token": token}).status_code == 404
    answer = other.post(f"{page_of(desk)}/accept", data={"csrf_token": token, "action": "all"})
    assert answer.status_code == 404
    participant = app.test_client()
    sign_in(participant, desk.participant, language="en")
    assert participant.get(page_of(desk)).status_code == 403
    anonymous = app.test_client().get(page_of(desk))
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    assert SessionStatus.BOOKED not in sessions_of(app, desk)
    listing = other.get("/supervisor/processes", headers=EN)
    assert f"/supervisor/processes/{desk.process_id}/series" not in listing.text


def test_proposing_before_the_agreement_binds_or_when_all_are_booked_is_explained(
    app: Flask, client: FlaskClient, desk: SeriesDesk
) -> None:
    html = proposed(client, desk)
    listing = client.get("/supervisor/processes", headers=EN)
    assert f'href="{page_of(desk)}"' in listing.text
    client.post(f"{page_of(desk)}/accept", data={"csrf_token": csrf_token(html), "action": "all"})
    colliding, alternatives = collision_row(client.get(page_of(desk)).text)
    client.post(
        f"{page_of(desk)}/move",
        data={"csrf_token": csrf_token(html), "session_id": colliding, "start": alternatives[0]},
    )
    client.post(f"{page_of(desk)}/accept", data={"csrf_token": csrf_token(html), "action": "all"})
    assert len(sessions_of(app, desk)[SessionStatus.BOOKED]) == 6
    before = outbox_count(app)
    full = client.post(
        f"{page_of(desk)}/propose", data={"csrf_token": csrf_token(html)}, headers=EN
    )
    assert (
        full.status_code == 422 and "Every session of the agreement is already booked" in full.text
    )
    with app.app_context():
        db.session.get(SupervisionProcess, desk.process_id).status = ProcessStatus.AGREEMENT_SENT
        db.session.commit()
    early = client.post(
        f"{page_of(desk)}/propose", data={"csrf_token": csrf_token(html)}, headers=EN
    )
    assert early.status_code == 422
    assert "once every party has accepted the agreement" in early.text
    assert outbox_count(app) == before
    assert SessionStatus.PROPOSED not in sessions_of(app, desk)
