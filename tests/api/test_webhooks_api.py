"""The webhook endpoints: who may subscribe what, bad input as problems, the log."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service import clock
from service.crypto import vault
from service.extensions import db
from service.models import WebhookDelivery, WebhookSubscription
from tests.api.helpers import bearer, make_contact, make_person, make_supervisor, token_for

HOOK = "https://hooks.example.fi/ohjaamo"


@pytest.fixture
def people(app: Flask) -> dict[str, str]:
    with app.app_context():
        supervisor = make_supervisor()
        contact = make_person()
        organisation = make_contact(contact)
        outsider = make_person("ulla.ulkopuolinen@example.test", "Ulla")
        other_org = make_contact(outsider, "Toinen Oy")
        return {
            "supervisor": token_for(supervisor.person, "read", "write"),
            "contact": token_for(contact, "read", "write"),
            "org": token_for(contact, "read", "write", organisation=organisation),
            "org_read": token_for(contact, "read", organisation=organisation),
            "outsider_org": token_for(outsider, "read", "write", organisation=other_org),
            "organisation": str(organisation.id),
        }


def create(client: FlaskClient, token: str, **body: object) -> tuple[int, dict]:
    answer = client.post(
        "/api/v1/webhooks",
        json={"url": HOOK, "events": ["booking.created"], **body},
        headers=bearer(token),
    )
    return answer.status_code, answer.get_json()


def test_a_supervisor_subscribes_and_sees_the_secret_once(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    status, made = create(client, people["supervisor"], events=["booking.moved", "room.confirmed"])
    assert status == 201
    assert made["secret"].startswith("whsec_")
    assert made["supervisor_id"] and made["organisation_id"] is None
    assert made["events"] == ["booking.moved", "room.confirmed"]
    listed = client.get("/api/v1/webhooks", headers=bearer(people["supervisor"])).get_json()
    assert [item["id"] for item in listed] == [made["id"]]
    assert "secret" not in listed[0]
    one = client.get(f"/api/v1/webhooks/{made['id']}", headers=bearer(people["supervisor"]))
    assert one.status_code == 200 and "secret" not in one.get_json()
    with app.app_context():
        stored = db.session.get(WebhookSubscription, uuid.UUID(made["id"]))
        assert made["secret"].encode() not in stored.secret_encrypted
        assert vault().decrypt(stored.secret_encrypted) == made["secret"]


def test_an_organisation_token_subscribes_its_organisation_only(
    client: FlaskClient, people: dict[str, str]
) -> None:
    status, made = create(client, people["org"])
    assert status == 201 and made["organisation_id"] == people["organisation"]
    status, _ = create(client, people["contact"], organisation_id=people["organisation"])
    assert status == 201
    status, refused = create(client, people["outsider_org"], organisation_id=people["organisation"])
    assert status == 404 and refused["status"] == 404
    outsider_list = client.get("/api/v1/webhooks", headers=bearer(people["outsider_org"]))
    assert outsider_list.get_json() == []
    gone = client.delete(f"/api/v1/webhooks/{made['id']}", headers=bearer(people["outsider_org"]))
    assert gone.status_code == 404
    assert (
        client.post(
            "/api/v1/webhooks",
            json={"url": HOOK, "events": ["booking.created"]},
            headers=bearer(people["org_read"]),
        ).status_code
        == 403
    )


def test_a_person_who_is_neither_supervisor_nor_names_an_organisation_is_refused(
    client: FlaskClient, people: dict[str, str]
) -> None:
    status, problem = create(client, people["contact"])
    assert status == 403
    assert "supervisor" in problem["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.example.fi/x"}, "url"),
        ({"url": "https://exämple.fi/"}, "url"),
        ({"url": ""}, "url"),
        ({"events": []}, "events"),
        ({"events": ["booking.deleted"]}, "events"),
        ({"organisation_id": "not-a-uuid"}, "organisation_id"),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(
    app: Flask, client: FlaskClient, people: dict[str, str], body: dict, field: str
) -> None:
    answer = client.post(
        "/api/v1/webhooks",
        json={"url": HOOK, "events": ["booking.created"], **body},
        headers=bearer(people["supervisor"]),
    )
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert field in str(problem.get("errors", {})) or problem.get("field") == field
    with app.app_context():
        assert db.session.query(WebhookSubscription).count() == 0


def test_pause_delete_and_the_delivery_log(
    app: Flask, client: FlaskClient, people: dict[str, str]
) -> None:
    _, made = create(client, people["supervisor"])
    auth = bearer(people["supervisor"])
    paused = client.patch(f"/api/v1/webhooks/{made['id']}", json={"active": False}, headers=auth)
    assert paused.status_code == 200 and paused.get_json()["active"] is False
    with app.app_context():
        for attempt, status in ((1, 500), (2, 200)):
            db.session.add(
                WebhookDelivery(
                    subscription_id=uuid.UUID(made["id"]),
                    event_id=uuid.uuid4(),
                    event="booking.created",
                    attempt=attempt,
                    status_code=status,
                    error=None if status == 200 else "HTTP 500",
                    duration_ms=12,
                    attempted_at=clock.now(),
                )
            )
        db.session.commit()
    log = client.get(f"/api/v1/webhooks/{made['id']}/deliveries?limit=1", headers=auth)
    assert log.status_code == 200
    assert [(row["attempt"], row["status_code"]) for row in log.get_json()] == [(2, 200)]
    bad_limit = client.get(f"/api/v1/webhooks/{made['id']}/deliveries?limit=0", headers=auth)
    assert bad_limit.status_code == 422
    assert client.delete(f"/api/v1/webhooks/{made['id']}", headers=auth).status_code == 204
    assert client.get(f"/api/v1/webhooks/{made['id']}", headers=auth).status_code == 404
    with app.app_context():
        assert db.session.query(WebhookDelivery).count() == 0
