"""Every operation of the OpenAPI document against every role: allowed, denied (401 or
403: no token, the wrong scope, or a party who may not do this), hidden (404: the
object does not exist for them), or for lists, allowed but without the world's object.

A write that was allowed changed the world, so the next role gets a fresh one; a
denied or hidden write must have changed nothing (the next role still sees it as it was).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.world import ROLES, ApiWorld, build_world
from tests.builders import upcoming

ALLOW, DENY, HIDDEN, WITHOUT = "allow", "deny", "hidden", "without"
OUTCOME_OF_STATUS = {401: DENY, 403: DENY, 404: HIDDEN}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    shows: str | None = None  # for lists: the id whose presence means "allowed"


def window_around(start: dt.datetime) -> dict[str, str]:
    return {
        "from": (start - dt.timedelta(days=1)).isoformat(),
        "to": (start + dt.timedelta(days=1)).isoformat(),
    }


LATER = {"weeks": 4}  # two weeks after the world's booking: within the agreement's cadence
ANY_VERSION = {"If-Match": "*"}


def calls() -> dict[str, Callable[[ApiWorld], Call]]:
    return {
        "GET /api/v1/supervisors/{slug}": lambda w: Call("GET", f"/api/v1/supervisors/{w.slug}"),
        "GET /api/v1/me": lambda w: Call("GET", "/api/v1/me"),
        "GET /api/v1/slots": lambda w: Call(
            "GET",
            "/api/v1/slots",
            {"process": str(w.process_id), **window_around(upcoming(2, 10, **LATER))},
        ),
        "POST /api/v1/bookings": lambda w: Call(
            "POST",
            "/api/v1/bookings",
            json={
                "process_id": str(w.process_id),
                "starts_at": upcoming(2, 10, **LATER).isoformat(),
            },
        ),
        "GET /api/v1/bookings/{booking_id}": lambda w: Call(
            "GET", f"/api/v1/bookings/{w.session_id}"
        ),
        "PATCH /api/v1/bookings/{booking_id}": lambda w: Call(
            "PATCH",
            f"/api/v1/bookings/{w.session_id}",
            json={"starts_at": upcoming(2, 10, **LATER).isoformat()},
        ),
        "POST /api/v1/bookings/{booking_id}/cancel": lambda w: Call(
            "POST", f"/api/v1/bookings/{w.session_id}/cancel", json={"reason": "schedule_conflict"}
        ),
        "GET /api/v1/processes": lambda w: Call(
            "GET", "/api/v1/processes", shows=str(w.process_id)
        ),
        "GET /api/v1/processes/{process_id}": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}"
        ),
        "GET /api/v1/processes/{process_id}/agreement/versions": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}/agreement/versions"
        ),
        "GET /api/v1/processes/{process_id}/agreement/versions/{number}": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}/agreement/versions/2"
        ),
        "POST /api/v1/processes/{process_id}/agreement/versions/{number}/accept": lambda w: Call(
            "POST",
            f"/api/v1/processes/{w.process_id}/agreement/versions/2/accept",
            headers=ANY_VERSION,
        ),
        "GET /api/v1/sessions": lambda w: Call(
            "GET",
            "/api/v1/sessions",
            {"process": str(w.process_id), **window_around(upcoming(2, 10))},
        ),
        "GET /api/v1/sessions/{session_id}/attendance": lambda w: Call(
            "GET", f"/api/v1/sessions/{w.past_session_id}/attendance"
        ),
        "PUT /api/v1/sessions/{session_id}/attendance": lambda w: Call(
            "PUT",
            f"/api/v1/sessions/{w.past_session_id}/attendance",
            json={
                "attendance": [{"participant_id": str(w.participant_ids[0]), "status": "present"}]
            },
            headers=ANY_VERSION,
        ),
        "GET /api/v1/processes/{process_id}/report": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}/report"
        ),
        "GET /api/v1/processes/{process_id}/invoicing": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}/invoicing"
        ),
        "GET /api/v1/processes/{process_id}/invoicing.csv": lambda w: Call(
            "GET", f"/api/v1/processes/{w.process_id}/invoicing.csv"
        ),
        "GET /api/v1/rooms": lambda w: Call("GET", "/api/v1/rooms", shows=str(w.room_id)),
        "POST /api/v1/webhooks": lambda w: Call(
            "POST",
            "/api/v1/webhooks",
            json={
                "url": "https://hooks.example.test/other",
                "events": ["booking.created"],
                "organisation_id": str(w.organisation_id),
            },
        ),
        "GET /api/v1/webhooks": lambda w: Call("GET", "/api/v1/webhooks", shows=str(w.webhook_id)),
        "GET /api/v1/webhooks/{webhook_id}": lambda w: Call(
            "GET", f"/api/v1/webhooks/{w.webhook_id}"
        ),
        "PATCH /api/v1/webhooks/{webhook_id}": lambda w: Call(
            "PATCH", f"/api/v1/webhooks/{w.webhook_id}", json={"active": False}
        ),
        "DELETE /api/v1/webhooks/{webhook_id}": lambda w: Call(
            "DELETE", f"/api/v1/webhooks/{w.webhook_id}"
        ),
        "GET /api/v1/webhooks/{webhook_id}/deliveries": lambda w: Call(
            "GET", f"/api/v1/webhooks/{w.webhook_id}/deliveries"
        ),
        "POST /api/v1/feeds": lambda w: Call(
            "POST", "/api/v1/feeds", json={"kind": "participant", "name": "Puhelin"}
        ),
        "GET /api/v1/feeds": lambda w: Call("GET", "/api/v1/feeds", shows=str(w.feed_id)),
        "DELETE /api/v1/feeds/{feed_id}": lambda w: Call("DELETE", f"/api/v1/feeds/{w.feed_id}"),
        "GET /api/v1/room-reservations": lambda w: Call(
            "GET", "/api/v1/room-reservations", window_around(upcoming(2, 10)), shows=str(w.room_id)
        ),
        "POST /api/v1/processes": lambda w: Call(
            "POST", "/api/v1/processes", json={"mode": "group"}
        ),
        "POST /api/v1/processes/{process_id}/inquiry/accept": lambda w: Call(
            "POST", f"/api/v1/processes/{w.inquiry_process_id}/inquiry/accept"
        ),
        "POST /api/v1/processes/{process_id}/inquiry/decline": lambda w: Call(
            "POST",
            f"/api/v1/processes/{w.inquiry_process_id}/inquiry/decline",
            json={"reason": "not_a_fit"},
        ),
        "POST /api/v1/processes/{process_id}/assessment-held": lambda w: Call(
            "POST", f"/api/v1/processes/{w.forming_process_id}/assessment-held"
        ),
        "GET /api/v1/processes/{process_id}/participants": lambda w: Call(
            "GET", f"/api/v1/processes/{w.forming_process_id}/participants"
        ),
        "POST /api/v1/processes/{process_id}/participants": lambda w: Call(
            "POST",
            f"/api/v1/processes/{w.forming_process_id}/participants",
            json={"name": "Uusi Jäsen", "email": "uusi.jasen@example.test"},
        ),
        "PATCH /api/v1/processes/{process_id}/participants/{participant_id}": lambda w: Call(
            "PATCH",
            f"/api/v1/processes/{w.forming_process_id}/participants/{w.forming_participant_id}",
            json={"is_manager": True, "is_group_contact": True},
        ),
        "DELETE /api/v1/processes/{process_id}/participants/{participant_id}": lambda w: Call(
            "DELETE",
            f"/api/v1/processes/{w.forming_process_id}/participants/{w.forming_participant_id}",
        ),
        "PUT /api/v1/processes/{process_id}/orderer": lambda w: Call(
            "PUT",
            f"/api/v1/processes/{w.forming_process_id}/orderer",
            json={
                "organisation_name": "Uusi Oy",
                "contact_name": "Tilaaja",
                "contact_email": "tilaaja@uusi.example.test",
            },
        ),
        "DELETE /api/v1/processes/{process_id}/orderer": lambda w: Call(
            "DELETE", f"/api/v1/processes/{w.forming_process_id}/orderer"
        ),
        "POST /api/v1/processes/{process_id}/close": lambda w: Call(
            "POST", f"/api/v1/processes/{w.process_id}/close"
        ),
        "POST /api/v1/processes/{process_id}/end": lambda w: Call(
            "POST", f"/api/v1/processes/{w.process_id}/end", json={"reason": "funding_ended"}
        ),
        "POST /api/v1/sessions/{session_id}/scaling": lambda w: Call(
            "POST", f"/api/v1/sessions/{w.past_session_id}/scaling"
        ),
    }


def row(*outcomes: str) -> dict[str, str]:
    assert len(outcomes) == len(ROLES)
    return dict(zip(ROLES, outcomes, strict=True))


A, D, H, W = ALLOW, DENY, HIDDEN, WITHOUT
# Roles:         anonymous supervisee other_supervisee supervisor other_supervisor
#                orderer_contact orderer_token other_org_token read_only
PUBLIC = row(A, A, A, A, A, A, A, A, A)
ANY_TOKEN = row(D, A, A, A, A, A, A, A, A)
PARTIES_AND_ORDERER = row(D, A, H, A, H, A, A, H, A)
BOOKERS_READ = row(D, A, H, A, H, D, D, H, A)
BOOKERS_WRITE = row(D, A, H, A, H, D, D, H, D)
VISIBLE_LIST = row(D, A, W, A, W, A, A, W, A)
SIGNERS = row(D, A, H, A, H, A, D, H, D)
SUPERVISOR_READ = row(D, D, H, A, H, D, D, H, A)
SUPERVISOR_WRITE = row(D, D, H, A, H, D, D, H, D)
REPORT_READERS = row(D, D, H, A, H, A, A, H, A)
ORGANISATION_LIST = row(D, W, W, W, W, A, A, W, W)
ORGANISATION_READ = row(D, H, H, H, H, A, A, H, H)
ORGANISATION_WRITE = row(D, H, H, H, H, A, A, H, D)
PERSONAL_WRITE = row(D, A, A, A, A, A, D, D, D)
OWN_LIST = row(D, A, W, W, W, W, W, W, W)
OWN_WRITE = row(D, A, H, H, H, H, H, H, D)
SUPERVISORS_WRITE = row(D, D, D, A, A, D, D, D, D)
FORMING_READ = row(D, H, H, A, H, H, H, H, A)
FORMING_WRITE = row(D, H, H, A, H, H, H, H, D)

MATRIX: dict[str, dict[str, str]] = {
    "GET /api/v1/supervisors/{slug}": PUBLIC,
    "GET /api/v1/me": ANY_TOKEN,
    "GET /api/v1/slots": BOOKERS_READ,
    "POST /api/v1/bookings": BOOKERS_WRITE,
    "GET /api/v1/bookings/{booking_id}": PARTIES_AND_ORDERER,
    "PATCH /api/v1/bookings/{booking_id}": BOOKERS_WRITE,
    "POST /api/v1/bookings/{booking_id}/cancel": BOOKERS_WRITE,
    "GET /api/v1/processes": VISIBLE_LIST,
    "GET /api/v1/processes/{process_id}": PARTIES_AND_ORDERER,
    "GET /api/v1/processes/{process_id}/agreement/versions": PARTIES_AND_ORDERER,
    "GET /api/v1/processes/{process_id}/agreement/versions/{number}": PARTIES_AND_ORDERER,
    "POST /api/v1/processes/{process_id}/agreement/versions/{number}/accept": SIGNERS,
    "GET /api/v1/sessions": PARTIES_AND_ORDERER,
    "GET /api/v1/sessions/{session_id}/attendance": SUPERVISOR_READ,
    "PUT /api/v1/sessions/{session_id}/attendance": SUPERVISOR_WRITE,
    "GET /api/v1/processes/{process_id}/report": REPORT_READERS,
    "GET /api/v1/processes/{process_id}/invoicing": REPORT_READERS,
    "GET /api/v1/processes/{process_id}/invoicing.csv": REPORT_READERS,
    "GET /api/v1/rooms": ORGANISATION_LIST,
    "GET /api/v1/room-reservations": ORGANISATION_LIST,
    "POST /api/v1/webhooks": ORGANISATION_WRITE,
    "GET /api/v1/webhooks": ORGANISATION_LIST,
    "GET /api/v1/webhooks/{webhook_id}": ORGANISATION_READ,
    "PATCH /api/v1/webhooks/{webhook_id}": ORGANISATION_WRITE,
    "DELETE /api/v1/webhooks/{webhook_id}": ORGANISATION_WRITE,
    "GET /api/v1/webhooks/{webhook_id}/deliveries": ORGANISATION_READ,
    "POST /api/v1/feeds": PERSONAL_WRITE,
    "GET /api/v1/feeds": OWN_LIST,
    "DELETE /api/v1/feeds/{feed_id}": OWN_WRITE,
    "POST /api/v1/processes": SUPERVISORS_WRITE,
    "POST /api/v1/processes/{process_id}/inquiry/accept": FORMING_WRITE,
    "POST /api/v1/processes/{process_id}/inquiry/decline": FORMING_WRITE,
    "POST /api/v1/processes/{process_id}/assessment-held": FORMING_WRITE,
    "GET /api/v1/processes/{process_id}/participants": FORMING_READ,
    "POST /api/v1/processes/{process_id}/participants": FORMING_WRITE,
    "PATCH /api/v1/processes/{process_id}/participants/{participant_id}": FORMING_WRITE,
    "DELETE /api/v1/processes/{process_id}/participants/{participant_id}": FORMING_WRITE,
    "PUT /api/v1/processes/{process_id}/orderer": FORMING_WRITE,
    "DELETE /api/v1/processes/{process_id}/orderer": FORMING_WRITE,
    "POST /api/v1/processes/{process_id}/close": SUPERVISOR_WRITE,
    "POST /api/v1/processes/{process_id}/end": SUPERVISOR_WRITE,
    "POST /api/v1/sessions/{session_id}/scaling": SUPERVISOR_WRITE,
}


def outcome(client: FlaskClient, world: ApiWorld, call: Call, role: str) -> str:
    response = client.open(
        call.path,
        method=call.method,
        query_string=call.query,
        json=call.json,
        headers={**world.headers(role), **call.headers},
    )
    if response.status_code in OUTCOME_OF_STATUS:
        assert response.mimetype == "application/problem+json"
        return OUTCOME_OF_STATUS[response.status_code]
    assert response.status_code < 300, (role, response.status_code, response.get_data(True))
    if call.shows is not None and call.shows not in response.get_data(as_text=True):
        return WITHOUT
    return ALLOW


def spec_operations(client: FlaskClient) -> set[str]:
    spec = client.get("/api/v1/openapi.json").json
    return {
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method != "parameters"
    }


def test_the_matrix_covers_every_operation_in_the_spec(client: FlaskClient) -> None:
    assert spec_operations(client) == set(MATRIX) == set(calls())


@pytest.mark.parametrize("operation", list(MATRIX))
def test_operation_for_every_role(app: Flask, client: FlaskClient, operation: str) -> None:
    app.config["RATE_LIMIT_API"] = "10000 per minute"
    make_call = calls()[operation]
    writes = not operation.startswith("GET ")
    with app.app_context():
        world = build_world()
    found = {}
    for role in ROLES:
        found[role] = outcome(client, world, make_call(world), role)
        if writes and found[role] == ALLOW:
            with app.app_context():
                world = build_world()
    assert found == MATRIX[operation]
