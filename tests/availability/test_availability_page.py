"""The availability settings page: the working week, dates that differ and limits,
each checked by the rules slot search uses; a bad value is named and writes nothing;
nobody edits another supervisor's dates."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.extensions import db
from service.models import AvailabilityOverride, Role, SupervisorProfile, WorkingHours
from tests import builders
from tests.web.pages import csrf_token, sign_in, sign_in_with_password, with_password

EN = {"Accept-Language": "en"}


@pytest.fixture
def supervisor(app: Flask) -> tuple[str, object]:
    with app.app_context():
        profile = builders.supervisor()
        with_password(profile.person_id, Role.SUPERVISOR)
        return profile.person.email, profile.id


def hours(app: Flask, profile_id) -> list[tuple[int, dt.time, dt.time]]:
    with app.app_context():
        rows = db.session.scalars(
            select(WorkingHours).where(WorkingHours.supervisor_id == profile_id)
        )
        return sorted((r.weekday, r.starts, r.ends) for r in rows)


def profile_of(app: Flask, profile_id) -> SupervisorProfile:
    with app.app_context():
        profile = db.session.get(SupervisorProfile, profile_id)
        db.session.expunge(profile)
        return profile


def week_form(token: str, **days: tuple[str, str]) -> dict[str, str]:
    data = {"csrf_token": token}
    for day in range(7):
        starts, ends = days.get(f"d{day}", ("", ""))
        data[f"starts_{day}"], data[f"ends_{day}"] = starts, ends
    return data


def test_the_working_week_is_replaced_and_a_bad_day_writes_nothing(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, profile_id = supervisor
    sign_in_with_password(client, email, language="en")
    page = client.get("/supervisor/availability", headers=EN)
    assert page.status_code == 200 and 'value="08:00"' in page.text
    before = hours(app, profile_id)
    bad = client.post(
        "/supervisor/availability/week",
        data=week_form(csrf_token(page.text), d0=("16:00", "08:00"), d1=("09:00", "")),
        headers=EN,
    )
    assert bad.status_code == 422
    assert "The end must come after the start" in bad.text
    assert "Give both the start and the end" in bad.text
    assert hours(app, profile_id) == before
    good = client.post(
        "/supervisor/availability/week",
        data=week_form(csrf_token(page.text), d1=("09:00", "15:30"), d5=("10:00", "14:00")),
    )
    assert good.status_code == 302
    assert hours(app, profile_id) == [
        (1, dt.time(9), dt.time(15, 30)),
        (5, dt.time(10), dt.time(14)),
    ]


def test_limits_follow_the_booking_rules(app: Flask, client: FlaskClient, supervisor) -> None:
    email, profile_id = supervisor
    sign_in_with_password(client, email, language="en")
    page = client.get("/supervisor/availability", headers=EN)
    limits = {
        "csrf_token": csrf_token(page.text),
        "slot_step_minutes": "7",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "15",
        "default_travel_minutes": "45",
        "min_notice_hours": "48",
        "max_advance_days": "120",
        "max_sessions_per_day": "0",
        "max_sessions_per_week": "",
    }
    bad = client.post("/supervisor/availability/limits", data=limits, headers=EN)
    assert bad.status_code == 422
    assert "must divide a day evenly" in bad.text
    no_limit = client.post(
        "/supervisor/availability/limits", data={**limits, "slot_step_minutes": "30"}, headers=EN
    )
    assert no_limit.status_code == 422 and "leave it empty for no limit" in no_limit.text
    assert profile_of(app, profile_id).default_travel_minutes == 30
    not_a_number = client.post(
        "/supervisor/availability/limits", data={**limits, "slot_step_minutes": "x"}, headers=EN
    )
    assert not_a_number.status_code == 422 and "give a number" in not_a_number.text
    good = client.post(
        "/supervisor/availability/limits",
        data={**limits, "slot_step_minutes": "15", "max_sessions_per_day": "3"},
    )
    assert good.status_code == 302
    saved = profile_of(app, profile_id)
    assert (saved.slot_step_minutes, saved.default_travel_minutes) == (15, 45)
    assert (saved.min_notice_minutes, saved.max_sessions_per_day) == (48 * 60, 3)
    assert saved.max_sessions_per_week is None


def test_dates_that_differ_are_added_and_removed_by_their_owner_only(
    app: Flask, client: FlaskClient, supervisor
) -> None:
    email, _ = supervisor
    sign_in_with_password(client, email, language="en")
    page = client.get("/supervisor/availability", headers=EN)
    token = csrf_token(page.text)
    no_hours = client.post(
        "/supervisor/availability/dates",
        data={"csrf_token": token, "on_date": "2026-12-28", "kind": "replace", "label": ""},
        headers=EN,
    )
    assert no_hours.status_code == 422 and "Give both the start and the end" in no_hours.text
    added = client.post(
        "/supervisor/availability/dates",
        data={"csrf_token": token, "on_date": "2026-12-28", "kind": "off", "label": "Loma"},
    )
    assert added.status_code == 302
    listed = client.get("/supervisor/availability", headers=EN)
    assert "Loma" in listed.text and "Day off" in listed.text
    with app.app_context():
        override_id = db.session.scalar(select(AvailabilityOverride.id))
        other = builders.supervisor()
        with_password(other.person_id, Role.SUPERVISOR)
        other_email = other.person.email
        participant = builders.process(other).participants[0].person_id
    intruder = app.test_client()
    sign_in_with_password(intruder, other_email, language="en")
    token_of_intruder = csrf_token(intruder.get("/supervisor/availability").text)
    refused = intruder.post(
        f"/supervisor/availability/dates/{override_id}/delete",
        data={"csrf_token": token_of_intruder},
    )
    assert refused.status_code == 404
    client_of_someone = app.test_client()
    sign_in(client_of_someone, participant, language="en")
    assert client_of_someone.get("/supervisor/availability").status_code == 403
    removed = client.post(
        f"/supervisor/availability/dates/{override_id}/delete", data={"csrf_token": token}
    )
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AvailabilityOverride.id)) is None
