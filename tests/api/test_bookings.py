"""Slots and bookings through HTTP: the same use cases as the pages, as problem
documents when something is wrong."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.extensions import db
from service.models import Person
from service.services.accounts.tokens import create_token
from tests import builders

HELSINKI = ZoneInfo("Europe/Helsinki")


def token(person_id, *scopes: str) -> dict[str, str]:
    person = db.session.get(Person, person_id)
    _, plaintext = create_token(person, "test", scopes or ("read", "write"))
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def world(app: Flask):
    with app.app_context():
        profile = builders.supervisor()
        first, second = builders.process(profile), builders.process(profile)
        yield {
            "slug": profile.slug,
            "first": first.id,
            "second": second.id,
            "client": token(first.participants[0].person_id),
            "other_client": token(second.participants[0].person_id),
            "supervisor": token(profile.person_id),
        }


def book(client: FlaskClient, world, start: dt.datetime, who="client", process="first", **headers):
    return client.post(
        "/api/v1/bookings",
        json={"process_id": str(world[process]), "starts_at": start.isoformat()},
        headers={**world[who], **headers},
    )


def test_public_assessment_slots_in_the_asker_zone(client: FlaskClient, world) -> None:
    start = builders.upcoming(2, 0)
    response = client.get(
        "/api/v1/slots",
        query_string={
            "supervisor": world["slug"],
            "from": start.isoformat(),
            "to": (start + dt.timedelta(days=1)).isoformat(),
            "zone": "America/New_York",
        },
    )
    assert response.status_code == 200, response.json
    slots = response.json
    assert slots, "a working Wednesday has slots"
    first = slots[0]
    local = dt.datetime.fromisoformat(first["local_start"])
    assert local.utcoffset() in (dt.timedelta(hours=-5), dt.timedelta(hours=-4))
    assert local == dt.datetime.fromisoformat(first["start"])
    assert dt.datetime.fromisoformat(first["start"]).astimezone(HELSINKI).hour == 8


def test_process_slots_need_a_token_of_a_party(client: FlaskClient, world) -> None:
    start = builders.upcoming(2, 0)
    query = {
        "process": str(world["first"]),
        "from": start.isoformat(),
        "to": (start + dt.timedelta(days=1)).isoformat(),
    }
    assert client.get("/api/v1/slots", query_string=query).status_code == 401
    hidden = client.get("/api/v1/slots", query_string=query, headers=world["other_client"])
    assert hidden.status_code == 404
    assert hidden.mimetype == "application/problem+json"
    allowed = client.get("/api/v1/slots", query_string=query, headers=world["client"])
    assert allowed.status_code == 200 and allowed.json


def test_book_read_replay_and_conflict(client: FlaskClient, world) -> None:
    start = builders.upcoming(2, 10)
    created = book(client, world, start, **{"Idempotency-Key": "abc-1"})
    assert created.status_code == 201, created.json
    booking = created.json
    assert created.headers["Location"].endswith(booking["id"])
    assert booking["status"] == "booked"
    assert dt.datetime.fromisoformat(booking["starts_at"]) == start

    replay = book(client, world, start, **{"Idempotency-Key": "abc-1"})
    assert (replay.status_code, replay.json["id"]) == (200, booking["id"])
    misuse = book(client, world, start + dt.timedelta(hours=2), **{"Idempotency-Key": "abc-1"})
    assert misuse.status_code == 422
    assert misuse.json["code"] == "idempotency_key_reused"

    taken = book(client, world, start, who="other_client", process="second")
    assert taken.status_code == 409
    assert taken.mimetype == "application/problem+json"
    assert taken.json["reasons"] == ["session_conflict"]
    assert len(taken.json["alternatives"]) == 3

    read = client.get(f"/api/v1/bookings/{booking['id']}", headers=world["client"])
    assert read.status_code == 200 and read.headers["ETag"]
    hidden = client.get(f"/api/v1/bookings/{booking['id']}", headers=world["other_client"])
    assert hidden.status_code == 404


def test_move_with_if_match_and_cancel(client: FlaskClient, world) -> None:
    booking = book(client, world, builders.upcoming(2, 10))
    etag = booking.headers["ETag"]
    url = f"/api/v1/bookings/{booking.json['id']}"
    later = builders.upcoming(3, 13)
    stale = client.patch(
        url,
        json={"starts_at": later.isoformat()},
        headers={**world["client"], "If-Match": '"stale"'},
    )
    assert stale.status_code == 412
    moved = client.patch(
        url, json={"starts_at": later.isoformat()}, headers={**world["client"], "If-Match": etag}
    )
    assert moved.status_code == 200, moved.json
    assert moved.json["sequence"] == 1
    assert moved.headers["ETag"] != etag
    cancelled = client.post(
        f"{url}/cancel", json={"reason": "schedule_conflict"}, headers=world["client"]
    )
    assert cancelled.status_code == 200
    assert (cancelled.json["status"], cancelled.json["charge_percent"]) == ("cancelled", 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "2030-01-01T10:00:00+00:00"}, "process_id"),
        ({"process_id": "not-a-uuid", "starts_at": "2030-01-01T10:00:00+00:00"}, "process_id"),
        (
            {"process_id": "00000000-0000-0000-0000-000000000000", "starts_at": "tomorrow"},
            "starts_at",
        ),
        (
            {
                "process_id": "00000000-0000-0000-0000-000000000000",
                "starts_at": "2030-01-01T10:00:00",
            },
            "starts_at",
        ),
    ],
)
def test_bad_booking_bodies_are_422_problems(client: FlaskClient, world, body, field) -> None:
    response = client.post("/api/v1/bookings", json=body, headers=world["client"])
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]["json"]


def test_a_read_token_cannot_book(client: FlaskClient, world, app: Flask) -> None:
    with app.app_context():
        from service.models import SupervisionProcess

        process = db.session.get(SupervisionProcess, world["first"])
        reader = token(process.participants[0].person_id, "read")
    response = client.post(
        "/api/v1/bookings",
        headers=reader,
        json={"process_id": str(world["first"]), "starts_at": builders.upcoming(2, 10).isoformat()},
    )
    assert response.status_code == 403
    anonymous = client.post(
        "/api/v1/bookings",
        json={"process_id": str(world["first"]), "starts_at": builders.upcoming(2, 10).isoformat()},
    )
    assert anonymous.status_code == 401
