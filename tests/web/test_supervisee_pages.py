"""The supervisee's pages with the Flask test client: what each person may reach, what
the pages show before a change, and that bad input or a missing CSRF token writes
nothing and answers in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from service import clock
from service.extensions import db
from service.models import (
    AgreementVersion,
    EvaluationAnswer,
    SessionStatus,
    SupervisionSession,
    VersionStatus,
)
from service.services.accounts.sign_in import sign_in_token
from tests import builders
from tests.web import client_scenes
from tests.web.client_scenes import ClientScene
from tests.web.pages import csrf_token, sign_in

EN = {"Accept-Language": "en"}
FI = {"Accept-Language": "fi"}


@pytest.fixture
def scene(app: Flask) -> ClientScene:
    with app.app_context():
        return client_scenes.client_process()


def signed_in(app: Flask, person_id: uuid.UUID, language: str = "en") -> FlaskClient:
    """A client signed in as a person who reads ``language`` (the pages follow it)."""
    client = app.test_client()
    sign_in(client, person_id, language)
    return client


def sessions_of(app: Flask, process_id: uuid.UUID) -> list[SupervisionSession]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(SupervisionSession).where(SupervisionSession.process_id == process_id)
            )
        )


def test_signing_in_lands_on_my_processes(app: Flask, scene: ClientScene) -> None:
    client = app.test_client()
    with app.app_context():
        token = sign_in_token(scene.client.person_id, now=clock.now())
    page = client.get(f"/sign-in/{token}")
    answer = client.post(f"/sign-in/{token}", data={"csrf_token": csrf_token(page.text)})
    assert answer.location == "/my"
    home = client.get("/my", headers=EN)  # the person's own language, not the browser's
    assert home.status_code == 200
    assert "Omat prosessit" in home.text and "Yksilötyönohjaus" in home.text
    assert "Varaa seuraava tapaaminen" in home.text  # straight from the landing page
    assert 'aria-current="page"' in home.text


def test_the_weeks_offered_are_those_the_agreement_s_cadence_allows(
    app: Flask, scene: ClientScene
) -> None:
    """Between 7 and 60 days after the last session (tests/builders.py's agreement):
    every week from the landing page and the booking page's last week lie there."""
    with app.app_context():
        client_scenes.session(scene.process_id, dt.timedelta(days=4))
        last = clock.now() + dt.timedelta(days=4)
    local = last.astimezone(ZoneInfo("Europe/Helsinki")).date()
    earliest, latest = local + dt.timedelta(days=7), local + dt.timedelta(days=60)
    client = signed_in(app, scene.client.person_id)
    home = client.get("/my", headers=EN)
    weeks = [dt.date.fromisoformat(w) for w in re.findall(r"book\?week=([0-9-]+)", home.text)]
    assert weeks[0] == earliest - dt.timedelta(days=earliest.weekday())
    assert weeks[-1] == latest - dt.timedelta(days=latest.weekday())
    assert weeks == [weeks[0] + dt.timedelta(weeks=n) for n in range(len(weeks))]
    far = client.get(f"/my/processes/{scene.process_id}/book?week=2099-01-05", headers=EN)
    assert f"Week {weeks[-1].isocalendar()[1]}" in far.text and 'rel="next"' not in far.text


def test_pages_ask_to_sign_in(client: FlaskClient, scene: ClientScene) -> None:
    for path in ("/my", f"/my/processes/{scene.process_id}", "/my/data", "/organisation"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/sign-in" in answer.location


def test_the_process_page_shows_sessions_with_their_zone(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        client_scenes.session(scene.process_id, dt.timedelta(days=10))
        client_scenes.session(scene.process_id, -dt.timedelta(days=20), SessionStatus.HELD)
    page = signed_in(app, scene.client.person_id).get(
        f"/my/processes/{scene.process_id}", headers=EN
    )
    assert page.status_code == 200
    assert "Europe/Helsinki" not in page.text  # the reader's own zone is not named
    assert page.text.count("Cancelling is free until") == 1  # the upcoming session's terms
    assert "Upcoming sessions" in page.text and "Held" in page.text
    assert "Book the next session" in page.text and ".ics" in page.text


def test_pages_shown_to_a_signed_in_reader_are_never_stored(
    app: Flask, client: FlaskClient, scene: ClientScene
) -> None:
    reader = signed_in(app, scene.client.person_id)
    for path in (
        "/my",
        f"/my/processes/{scene.process_id}",
        f"/my/processes/{scene.process_id}/book",
    ):
        answer = reader.get(path)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store", path
    assert "Cache-Control" not in client.get("/sign-in").headers


def test_other_peoples_processes_do_not_exist(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        own = client_scenes.session(scene.process_id, dt.timedelta(days=10))
    stranger = signed_in(app, scene.stranger.person_id)
    for path in (
        f"/my/processes/{scene.process_id}",
        f"/my/processes/{scene.process_id}/book",
        f"/my/sessions/{own}/move",
        f"/my/sessions/{own}/cancel",
        f"/my/sessions/{own}.ics",
    ):
        answer = stranger.get(path, headers=EN)
        assert answer.status_code == 404 and "Page not found" in answer.text, path
    client = signed_in(app, scene.client.person_id)
    answer = client.get(f"/my/processes/{scene.other_process_id}", headers=EN)
    assert answer.status_code == 404
    assert stranger.get("/organisation", headers=EN).status_code == 403


def test_booking_a_slot_writes_one_session(app: Flask, scene: ClientScene) -> None:
    client = signed_in(app, scene.client.person_id)
    path = f"/my/processes/{scene.process_id}/book"
    form = client.get(path, headers=EN)
    assert form.status_code == 200 and "Next free time:" in form.text and "Week " in form.text
    slot = form.text.split('name="slot" id="slot-1-1" value="')[1].split('"')[0]
    key = form.text.split('id="key" name="key" type="hidden" value="')[1].split('"')[0]
    data = {"csrf_token": csrf_token(form.text), "slot": slot, "key": key}
    review = client.post(path, data=data, headers=EN)
    assert review.status_code == 200 and "Check and confirm" in review.text
    for term in ("90 min", "Remote", "€150.00 plus VAT", "Cancellation"):
        assert term in review.text
    assert sessions_of(app, scene.process_id) == []  # nothing is booked before confirming
    data["step"] = "confirm"
    answer = client.post(path, data=data, headers=EN)
    assert answer.status_code == 302
    again = client.post(path, data=data, headers=EN)  # a double submit
    assert again.status_code == 302
    booked = sessions_of(app, scene.process_id)
    assert [s.starts_at for s in booked] == [dt.datetime.fromisoformat(slot)]
    page = client.get(answer.location, headers=EN)
    assert "The session is booked" in page.text


def test_a_time_not_offered_or_a_missing_token_books_nothing(
    app: Flask, scene: ClientScene
) -> None:
    client = signed_in(app, scene.client.person_id, "fi")
    path = f"/my/processes/{scene.process_id}/book"
    form = client.get(path, headers=FI)
    today = clock.now().astimezone(builders.HELSINKI).date()
    sunday = today + dt.timedelta(days=7 + (6 - today.weekday()) % 7)
    sunday_night = builders.helsinki(sunday.year, sunday.month, sunday.day, 1, 7).isoformat()
    token = csrf_token(form.text)
    answer = client.post(path, data={"csrf_token": token, "slot": sunday_night}, headers=FI)
    assert answer.status_code == 422 and "Valitse toinen aika" in answer.text
    answer = client.post(path, data={"csrf_token": token, "slot": "huomenna"}, headers=FI)
    assert answer.status_code == 422 and "Aika ei ole enää vapaana" in answer.text
    answer = client.post(path, data={"csrf_token": token}, headers=FI)
    assert answer.status_code == 422 and "Valitse jokin tarjotuista ajoista" in answer.text
    slot = form.text.split('name="slot" id="slot-1-1" value="')[1].split('"')[0]
    answer = client.post(path, data={"slot": slot}, headers=FI)
    assert answer.status_code == 422 and "Lomake vanheni" in answer.text
    assert sessions_of(app, scene.process_id) == []


def test_moving_offers_times_and_moves(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=9))
    client = signed_in(app, scene.client.person_id)
    path = f"/my/sessions/{session_id}/move"
    form = client.get(path, headers=EN)
    assert form.status_code == 200 and "Move the session" in form.text and "Now:" in form.text
    slot = form.text.split('name="slot" id="slot-1-1" value="')[1].split('"')[0]
    answer = client.post(
        path, data={"csrf_token": csrf_token(form.text), "slot": slot, "step": "confirm"}
    )
    assert answer.status_code == 302
    [moved] = sessions_of(app, scene.process_id)
    assert moved.starts_at == dt.datetime.fromisoformat(slot) and moved.sequence == 1


def set_terms(app: Flask, process_id: uuid.UUID, **terms: object) -> None:
    with app.app_context():
        version = db.session.scalar(
            select(AgreementVersion)
            .join(AgreementVersion.agreement)
            .filter_by(process_id=process_id)
        )
        for name, value in terms.items():
            setattr(version, name, value)
        db.session.commit()


def test_used_up_sessions_are_said_plainly_and_moving_stays_open(
    app: Flask, scene: ClientScene
) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=9))
        client_scenes.session(scene.process_id, -dt.timedelta(days=20), SessionStatus.HELD)
    set_terms(app, scene.process_id, session_count=2)
    client = signed_in(app, scene.client.person_id)
    book = client.get(f"/my/processes/{scene.process_id}/book", headers=EN)
    assert book.status_code == 200 and 'name="slot"' not in book.text
    assert "All the agreement's 2 sessions are booked or used" in book.text
    home = client.get("/my", headers=EN)
    assert "All the agreement's 2 sessions are booked or used" in home.text
    assert "Book the next session" not in home.text
    own = client.get(f"/my/processes/{scene.process_id}", headers=EN)
    assert "booked or used" in own.text and "Book the next session" not in own.text
    move = client.get(f"/my/sessions/{session_id}/move", headers=EN)
    assert 'name="slot"' in move.text and "booked or used" not in move.text
    finnish = signed_in(app, scene.client.person_id, "fi")
    book = finnish.get(f"/my/processes/{scene.process_id}/book", headers=FI)
    assert "Sopimuksen kaikki 2 tapaamista on varattu tai käytetty" in book.text


def test_an_agreement_past_its_end_is_said_plainly(app: Flask, scene: ClientScene) -> None:
    today = clock.now().astimezone(builders.HELSINKI).date()
    set_terms(
        app,
        scene.process_id,
        starts_on=today - dt.timedelta(days=200),
        planned_end_on=today - dt.timedelta(days=1),
    )
    client = signed_in(app, scene.client.person_id)
    book = client.get(f"/my/processes/{scene.process_id}/book", headers=EN)
    assert book.status_code == 200 and 'name="slot"' not in book.text
    assert "The agreement covers sessions until" in book.text
    assert "no time before then can be booked" in book.text


def test_the_weeks_offered_begin_on_the_agreement_s_first_day(
    app: Flask, scene: ClientScene
) -> None:
    today = clock.now().astimezone(builders.HELSINKI).date()
    first_day = today + dt.timedelta(days=30)
    set_terms(app, scene.process_id, starts_on=first_day)
    client = signed_in(app, scene.client.person_id)
    book = client.get(f"/my/processes/{scene.process_id}/book", headers=EN)
    offered = re.findall(r'name="slot" id="[^"]+" value="([^"]+)"', book.text)
    assert offered
    days = {dt.datetime.fromisoformat(v).astimezone(builders.HELSINKI).date() for v in offered}
    assert min(days) >= first_day


def test_a_late_cancellation_shows_its_charge_first(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(hours=5))
    client = signed_in(app, scene.client.person_id)
    path = f"/my/sessions/{session_id}/cancel"
    page = client.get(path, headers=EN)
    assert "The free cancellation period has passed." in page.text
    assert "charged 100 % (€150.00)" in page.text and "Sickness — free of charge" in page.text
    process_page = client.get(f"/my/processes/{scene.process_id}", headers=EN)
    assert f"/my/sessions/{session_id}/cancel" in process_page.text
    assert f"/my/sessions/{session_id}/move" not in process_page.text  # too late to move
    token = csrf_token(page.text)
    bad = client.post(path, data={"csrf_token": token, "reason": "process_ended"}, headers=EN)
    assert bad.status_code == 422 and "Choose the reason for cancelling" in bad.text
    assert sessions_of(app, scene.process_id)[0].status is SessionStatus.BOOKED
    done = client.post(path, data={"csrf_token": token, "reason": "schedule_conflict"})
    assert done.status_code == 302
    [cancelled] = sessions_of(app, scene.process_id)
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.charge_percent == 100


def test_an_early_cancellation_is_free(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=8))
    client = signed_in(app, scene.client.person_id)
    path = f"/my/sessions/{session_id}/cancel"
    page = client.get(path, headers=EN)
    assert "charged" not in page.text.split("Why do you cancel?")[1]
    client.post(path, data={"csrf_token": csrf_token(page.text), "reason": "work_situation"})
    [cancelled] = sessions_of(app, scene.process_id)
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.charge_percent == 0


def test_a_group_member_reports_absence_but_does_not_book(app: Flask) -> None:
    with app.app_context():
        scene = client_scenes.client_process(client_scenes.ProcessMode.GROUP, participants=3)
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=6))
        from service.models import SupervisionProcess

        process = db.session.get(SupervisionProcess, scene.process_id)
        member = next(p.person_id for p in process.participants if not p.is_group_contact)
    client = signed_in(app, member)
    page = client.get(f"/my/processes/{scene.process_id}", headers=EN)
    assert "Book the next session" not in page.text and "Report absence" in page.text
    assert client.get(f"/my/processes/{scene.process_id}/book").status_code == 403
    assert client.get(f"/my/sessions/{session_id}/cancel").status_code == 403
    answer = client.post(
        f"/my/sessions/{session_id}/absence",
        data={"csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert answer.status_code == 302
    after = client.get(answer.location, headers=EN)
    assert "your absence is noted" in after.text and "You have reported absence" in after.text


def test_the_calendar_file_carries_the_neutral_title_only(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=4))
        from service.models import Person

        name = db.session.get(Person, scene.client.person_id).name
    answer = signed_in(app, scene.client.person_id).get(f"/my/sessions/{session_id}.ics")
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    assert "attachment" in answer.headers["Content-Disposition"]
    body = answer.data.decode()
    assert "METHOD:PUBLISH" in body and f"UID:ohjaamo-session-{session_id}" in body
    assert "SUMMARY:Työnohjaus TY-" in body and name not in body and "ATTENDEE" not in body


def test_accepting_the_agreement_as_two_parties(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        number = client_scenes.sent_version(scene.process_id)
    path = f"/processes/{scene.process_id}/agreement/{number}"
    client = signed_in(app, scene.client.person_id)
    home = client.get(f"/my/processes/{scene.process_id}", headers=EN)
    assert "waits for your acceptance" in home.text
    page = client.get(path, headers=EN)
    assert "I accept the agreement" in page.text
    assert client.post(f"{path}/accept", data={}, headers=EN).status_code == 302  # no token
    page = client.get(path, headers=EN)
    assert "The form expired" in page.text and "I accept the agreement" in page.text
    client.post(f"{path}/accept", data={"csrf_token": csrf_token(page.text)})
    assert "I accept the agreement" not in client.get(path, headers=EN).text
    for who in (scene.orderer, scene.supervisor):
        other = signed_in(app, who.person_id)
        page = other.get(path, headers=EN)
        other.post(f"{path}/accept", data={"csrf_token": csrf_token(page.text)}, headers=EN)
    assert "the agreement is now in force" in other.get(path, headers=EN).text
    with app.app_context():
        version = db.session.scalar(select(AgreementVersion).where(AgreementVersion.number == 2))
        assert version.status is VersionStatus.ACCEPTED and len(version.acceptances) == 3
    stranger = signed_in(app, scene.stranger.person_id)
    assert stranger.post(f"{path}/accept", data={}).status_code == 404


def answers_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvaluationAnswer))


def test_answering_an_evaluation(app: Flask, scene: ClientScene) -> None:
    with app.app_context():
        round_id = client_scenes.open_evaluation(scene.process_id, "Jaksaminen", "Rajat")
    client = signed_in(app, scene.client.person_id, "fi")
    process_page = client.get(f"/my/processes/{scene.process_id}", headers=EN)
    assert "Vastaa arviointiin" in process_page.text
    path = f"/my/evaluations/{round_id}"
    form = client.get(path, headers=FI)
    assert form.status_code == 200 and "Jaksaminen" in form.text
    goals = [part.split('"')[0] for part in form.text.split('name="scale-')[1::11]]
    token = csrf_token(form.text)
    half = {"csrf_token": token, f"scale-{goals[0]}": "7"}
    answer = client.post(path, data=half, headers=FI)
    assert answer.status_code == 422 and "Vastaa kokonaisluvulla 0–10" in answer.text
    assert 'value="7" checked' in answer.text  # what was given stays on the form
    answer = client.post(path, data={**half, f"scale-{goals[1]}": "12"}, headers=FI)
    assert answer.status_code == 422 and answers_count(app) == 0
    full = {**half, f"scale-{goals[1]}": "4", f"step-{goals[1]}": "Sanon ei"}
    answer = client.post(path, data=full, headers=EN)
    assert answer.status_code == 302 and answer.location.endswith("/goals")
    assert answers_count(app) == 2
    chart = client.get(answer.location, headers=EN)
    assert "Vastauksesi on tallennettu" in chart.text
    assert "<td>7,0</td>" in chart.text and "<td>4,0</td>" in chart.text  # Finnish decimals
    again = client.get(path, headers=FI)
    assert "Vastauksesi: 7." in again.text and 'value="7" checked' in again.text
    orderer = signed_in(app, scene.orderer.person_id)
    assert orderer.get(path).status_code == 409


@pytest.mark.parametrize(
    "slot",
    ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00", "2300-01-01T10:00:00+02:00"],
)
def test_a_time_at_the_edge_of_the_calendar_is_no_time_on_booking_or_moving(
    app: Flask, scene: ClientScene, slot: str
) -> None:
    with app.app_context():
        session_id = client_scenes.session(scene.process_id, dt.timedelta(days=9))
    client = signed_in(app, scene.client.person_id, "fi")
    for path in (f"/my/processes/{scene.process_id}/book", f"/my/sessions/{session_id}/move"):
        form = client.get(path, headers=FI)
        answer = client.post(
            path, data={"csrf_token": csrf_token(form.text), "slot": slot}, headers=FI
        )
        assert answer.status_code == 422, (path, answer.status_code)
        assert "Aika ei ole enää vapaana" in answer.text
