"""The booking journeys on the days a supervision calendar finds hardest.

Each journey runs with "today" set to each hard day, on both databases: free times
asked through the API, a session booked, moved and cancelled free, another cancelled
late and charged, a reminder mailed a day ahead (through the worker to a real SMTP
server), and the agreement's series proposed and booked from the supervisor's page.
Every answer is checked against the rules themselves (holidays, weekends, working
hours in local time, notice, the cadence), so a day that breaks one of them fails here.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from service import clock
from service.cli import cli
from service.extensions import db
from service.models import Person, Role, SessionStatus, SupervisionProcess, SupervisionSession
from service.services.accounts.tokens import create_token
from tests import builders
from tests.fixtures.gunicorn import get_json, gunicorn
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.hard_days import (  # noqa: F401
    ENGLISH,
    FREE_UNTIL,
    HARD_DAYS,
    HELSINKI,
    HOUR,
    MIN_GAP,
    NOTICE,
    WEEK,
    assert_bookable,
    fixture_hard_day,
)
from tests.outbox.helpers import deliver_all, mail_settings
from tests.web.pages import csrf_token, sign_in_with_password, with_password


@dataclass
class Desk:
    process_id: uuid.UUID
    client: dict[str, str]
    supervisor_email: str


@pytest.fixture
def desk(app: Flask, hard_day: dt.datetime) -> Desk:
    """A supervisor (Monday to Friday 8-16 in Helsinki, a day's notice) and an individual
    process whose agreement started today: free until 48 hours before, then charged."""
    today = hard_day.astimezone(HELSINKI).date()
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        process = builders.process(
            profile,
            starts_on=today,
            planned_end_on=today + dt.timedelta(days=365),
            session_count=6,
            min_gap_days=7,
            max_gap_days=28,
            preferred_weekday=2,
            preferred_start=dt.time(10),
        )
        person = db.session.get(Person, process.participants[0].person_id)
        _, plaintext = create_token(person, "hard days", ("read", "write"))
        return Desk(process.id, {"Authorization": f"Bearer {plaintext}"}, profile.person.email)


def free_times(client: FlaskClient, desk: Desk, days: int = 28) -> list[dt.datetime]:
    now = clock.now()
    answer = client.get(
        "/api/v1/slots",
        query_string={
            "process": str(desk.process_id),
            "from": now.isoformat(),
            "to": (now + dt.timedelta(days=days)).isoformat(),
        },
        headers=desk.client,
    )
    assert answer.status_code == 200, answer.json
    return [dt.datetime.fromisoformat(slot["start"]) for slot in answer.json]


def test_free_times_keep_every_rule(client: FlaskClient, desk: Desk, hard_day: dt.datetime) -> None:
    offered = free_times(client, desk)
    assert len(offered) >= 20, "four weeks hold at least a few free working days"
    assert offered == sorted(offered) and len(set(offered)) == len(offered)
    for start in offered:
        assert_bookable(start, hard_day)


def test_book_move_and_cancel_free_then_late(
    app: Flask, client: FlaskClient, desk: Desk, hard_day: dt.datetime
) -> None:
    offered = free_times(client, desk)
    first = next(start for start in offered if start - hard_day > FREE_UNTIL + HOUR)
    booked = client.post(
        "/api/v1/bookings",
        json={"process_id": str(desk.process_id), "starts_at": first.isoformat()},
        headers=desk.client,
    )
    assert booked.status_code == 201, booked.json
    url = f"/api/v1/bookings/{booked.json['id']}"

    later = next(start for start in offered if start - first >= dt.timedelta(days=3))
    moved = client.patch(
        url,
        json={"starts_at": later.isoformat()},
        headers={**desk.client, "If-Match": booked.headers["ETag"]},
    )
    assert moved.status_code == 200, moved.json
    assert dt.datetime.fromisoformat(moved.json["starts_at"]) == later
    assert moved.json["sequence"] == 1

    after_move = free_times(client, desk)
    assert later not in after_move
    for start in after_move:
        assert abs(start - later) >= MIN_GAP, f"{start} breaks the cadence around {later}"

    cancelled = client.post(
        f"{url}/cancel", json={"reason": "schedule_conflict"}, headers=desk.client
    )
    assert cancelled.status_code == 200, cancelled.json
    assert (cancelled.json["status"], cancelled.json["charge_percent"]) == ("cancelled", 0)

    again = client.post(
        "/api/v1/bookings",
        json={"process_id": str(desk.process_id), "starts_at": later.isoformat()},
        headers=desk.client,
    )
    assert again.status_code == 201, again.json
    with time_machine.travel(later - FREE_UNTIL + HOUR, tick=True):
        late = client.post(
            f"/api/v1/bookings/{again.json['id']}/cancel",
            json={"reason": "schedule_conflict"},
            headers=desk.client,
        )
    assert late.status_code == 200, late.json
    assert late.json["charge_percent"] == 100


def test_a_reminder_comes_a_day_ahead(
    app: Flask, client: FlaskClient, desk: Desk, smtp_server: SMTPServer
) -> None:
    app.config.update(mail_settings(smtp_server, REMINDERS_EVERY_SECONDS=300))
    start = free_times(client, desk)[0]
    booked = client.post(
        "/api/v1/bookings",
        json={"process_id": str(desk.process_id), "starts_at": start.isoformat()},
        headers=desk.client,
    )
    assert booked.status_code == 201, booked.json
    with app.app_context():
        deliver_all(app)
    confirmations = len(smtp_server.messages)
    assert confirmations == 2, "the supervisee and the supervisor are told of the booking"

    with time_machine.travel(start - dt.timedelta(hours=23), tick=True), app.app_context():
        deliver_all(app)
        deliver_all(app)
    reminders = smtp_server.messages[confirmations:]
    assert len(reminders) == 2, [m.message["Subject"] for m in reminders]
    local = start.astimezone(HELSINKI)
    for received in reminders:
        message = received.message
        assert f" {local.day}.{local.month}." in message["Subject"]
        assert f"{local.hour}.{local.minute:02d}" in message.get_body(("plain",)).get_content()


def test_the_series_is_proposed_and_booked_from_the_page(
    app: Flask, client: FlaskClient, desk: Desk, hard_day: dt.datetime
) -> None:
    page = f"/supervisor/processes/{desk.process_id}/series"
    assert sign_in_with_password(client, desk.supervisor_email, language="en").status_code == 302
    empty = client.get(page, headers=ENGLISH)
    assert empty.status_code == 200
    proposed = client.post(
        f"{page}/propose", data={"csrf_token": csrf_token(empty.text)}, headers=ENGLISH
    )
    assert proposed.status_code == 302
    review = client.get(page, headers=ENGLISH)
    assert "6 sessions are proposed" in review.text
    booked = client.post(
        f"{page}/accept",
        data={"csrf_token": csrf_token(review.text), "action": "all"},
        headers=ENGLISH,
    )
    assert booked.status_code == 200, booked.text

    with app.app_context():
        sessions = db.session.scalars(
            select(SupervisionSession)
            .where(SupervisionSession.process_id == desk.process_id)
            .order_by(SupervisionSession.starts_at)
        ).all()
        starts = [s.starts_at for s in sessions if s.status is SessionStatus.BOOKED]
    assert len(starts) == 6, "every occurrence fits an empty calendar"
    for start in starts:
        assert_bookable(start, hard_day)
        local = start.astimezone(HELSINKI)
        assert local.time() == dt.time(10), f"{local}: the agreed 10.00 in local time"
    for earlier, later in itertools.pairwise(starts):
        assert dt.timedelta(days=7) <= later - earlier <= dt.timedelta(days=28)


@pytest.mark.sqlite_only
def test_a_server_the_tests_start_runs_on_their_day(
    app: Flask, database_url: str, tmp_path: Path, service_clock: time_machine.Traveller
) -> None:
    """gunicorn, in its own processes, offers times from the test's day, not the machine's."""
    day = HARD_DAYS["28-february-leap-year"]
    service_clock.move_to(day)
    with app.app_context():
        slug = builders.supervisor().slug
    window = urlencode(
        {"supervisor": slug, "from": day.isoformat(), "to": (day + WEEK).isoformat()}
    )
    with gunicorn(database_url, tmp_path, workers=1) as base:
        status, slots = get_json(f"{base}/api/v1/slots?{window}")
    assert status == 200, slots
    starts = [dt.datetime.fromisoformat(slot["start"]) for slot in slots]
    assert starts, "a week of working days has free times"
    assert starts[0] - day < NOTICE + HOUR, "the first time is the first past the notice"
    assert starts[0].astimezone(HELSINKI).date() == dt.date(2028, 2, 29)
    for start in starts:
        assert_bookable(start, day, minutes=60)


@pytest.mark.sqlite_only
def test_the_demo_loads_on_every_hard_day(
    app: Flask, runner: FlaskCliRunner, hard_day: dt.datetime
) -> None:
    """The demo is built through the use cases at the moments each step would be taken:
    on no day of the year does a rule refuse one of them."""
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupervisionProcess)) == 4
