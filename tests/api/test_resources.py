"""Processes, agreements, sessions, attendance, rooms, reservations and reports over
HTTP: pages, windows, ETags and If-Match, and what an orderer never sees."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service.extensions import db
from service.models import SupervisionProcess
from tests import builders
from tests.api.world import ApiWorld, build_world
from tests.builders import upcoming


@pytest.fixture
def world(app: Flask) -> ApiWorld:
    with app.app_context():
        return build_world()


def names_of_participants(app: Flask, world: ApiWorld) -> list[str]:
    with app.app_context():
        process = db.session.get(SupervisionProcess, world.process_id)
        return [p.person.name for p in process.participants]


def test_processes_come_a_page_at_a_time(app: Flask, client: FlaskClient, world) -> None:
    with app.app_context():
        supervisor = db.session.get(SupervisionProcess, world.process_id).supervisor
        added = {str(builders.process(supervisor).id) for _ in range(2)}
        own = {
            str(process_id)
            for process_id in db.session.scalars(
                select(SupervisionProcess.id).where(
                    SupervisionProcess.supervisor_id == supervisor.id
                )
            )
        }
    headers = world.headers("supervisor")

    pages: list[list[str]] = []
    cursor = None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        answer = client.get("/api/v1/processes", query_string=query, headers=headers)
        assert answer.status_code == 200, answer.json
        pages.append([p["id"] for p in answer.json["items"]])
        cursor = answer.json["next_cursor"]
        if cursor is None:
            break
    ids = [process_id for page in pages for process_id in page]
    assert all(len(page) == 2 for page in pages[:-1]) and 1 <= len(pages[-1]) <= 2
    assert len(ids) == len(set(ids)) and set(ids) == own
    assert added <= own and str(world.process_id) in ids
    assert str(world.other_process_id) not in ids


def test_the_orderer_sees_the_process_without_names(app: Flask, client: FlaskClient, world) -> None:
    response = client.get(
        f"/api/v1/processes/{world.process_id}", headers=world.headers("orderer_token")
    )
    assert response.status_code == 200
    assert response.json["role"] == "orderer"
    assert response.json["participant_count"] == 2
    body = response.get_data(as_text=True)
    assert all(name not in body for name in names_of_participants(app, world))
    listed = client.get("/api/v1/processes", headers=world.headers("orderer_contact")).json
    assert [p["id"] for p in listed["items"]] == [str(world.process_id)]


def test_accepting_a_version_needs_its_current_etag(client: FlaskClient, world) -> None:
    url = f"/api/v1/processes/{world.process_id}/agreement/versions"
    headers = world.headers("supervisee")
    versions = client.get(url, headers=headers).json
    assert [(v["number"], v["status"]) for v in versions] == [(2, "sent"), (1, "accepted")]
    read = client.get(f"{url}/2", headers=headers)
    etag = read.headers["ETag"]

    missing = client.post(f"{url}/2/accept", headers=headers)
    assert missing.status_code == 428
    wrong = client.post(f"{url}/2/accept", headers={**headers, "If-Match": '"other"'})
    assert wrong.status_code == 412
    accepted = client.post(f"{url}/2/accept", headers={**headers, "If-Match": etag})
    assert accepted.status_code == 200, accepted.json
    assert accepted.headers["ETag"] != etag
    assert [a["party"] for a in accepted.json["acceptances"]] == ["supervisee"]
    assert accepted.json["status"] == "sent"  # the others have not accepted yet

    supervisor = world.headers("supervisor")
    stale = client.post(f"{url}/2/accept", headers={**supervisor, "If-Match": etag})
    assert stale.status_code == 412
    refused = client.post(
        f"{url}/2/accept",
        headers={**world.headers("orderer_token"), "If-Match": accepted.headers["ETag"]},
    )
    assert refused.status_code == 403  # an organisation token is no party to sign


def test_sessions_in_a_window(client: FlaskClient, world) -> None:
    start = upcoming(2, 10)
    window = {
        "from": (start - dt.timedelta(days=1)).isoformat(),
        "to": (start + dt.timedelta(days=1)).isoformat(),
    }
    both = client.get("/api/v1/sessions", query_string=window, headers=world.headers("supervisee"))
    assert [s["id"] for s in both.json["items"]] == [str(world.session_id)]
    earlier = {"from": (start - dt.timedelta(days=30)).isoformat(), "to": start.isoformat()}
    past = client.get(
        "/api/v1/sessions",
        query_string={**earlier, "process": str(world.process_id)},
        headers=world.headers("orderer_token"),
    )
    assert [s["id"] for s in past.json["items"]] == [str(world.past_session_id)]
    backwards = client.get(
        "/api/v1/sessions",
        query_string={"from": window["to"], "to": window["from"]},
        headers=world.headers("supervisee"),
    )
    assert backwards.status_code == 422


def test_the_supervisor_records_attendance_with_if_match(client: FlaskClient, world) -> None:
    url = f"/api/v1/sessions/{world.past_session_id}/attendance"
    headers = world.headers("supervisor")
    read = client.get(url, headers=headers)
    assert read.status_code == 200 and read.json["attendance"] == []
    assert {p["participant_id"] for p in read.json["participants"]} == {
        str(i) for i in world.participant_ids
    }
    body = {
        "attendance": [
            {"participant_id": str(world.participant_ids[0]), "status": "present"},
            {"participant_id": str(world.participant_ids[1]), "status": "absent"},
        ]
    }
    assert client.put(url, json=body, headers=headers).status_code == 428
    recorded = client.put(url, json=body, headers={**headers, "If-Match": read.headers["ETag"]})
    assert recorded.status_code == 200, recorded.json
    assert recorded.json["status"] == "held" and len(recorded.json["attendance"]) == 2
    again = client.put(url, json=body, headers={**headers, "If-Match": read.headers["ETag"]})
    assert again.status_code == 412
    assert client.get(url, headers=world.headers("supervisee")).status_code == 403


def test_orderer_rooms_and_reservations_carry_no_names(
    app: Flask, client: FlaskClient, world
) -> None:
    headers = world.headers("orderer_token")
    rooms = client.get("/api/v1/rooms", headers=headers)
    assert [r["id"] for r in rooms.json] == [str(world.room_id)]
    start = upcoming(2, 10)
    window = {
        "from": (start - dt.timedelta(days=1)).isoformat(),
        "to": (start + dt.timedelta(days=1)).isoformat(),
    }
    reservations = client.get("/api/v1/room-reservations", query_string=window, headers=headers)
    assert reservations.status_code == 200
    [reservation] = reservations.json["items"]
    assert reservation["room_id"] == str(world.room_id)
    assert reservation["title"].startswith("Työnohjaus TY-")
    body = reservations.get_data(as_text=True)
    assert all(name not in body for name in names_of_participants(app, world))
    other = client.get("/api/v1/rooms", headers=world.headers("other_org_token"))
    assert other.status_code == 200 and str(world.room_id) not in other.get_data(as_text=True)
    foreign = client.get(
        "/api/v1/rooms",
        query_string={"organisation": str(world.organisation_id)},
        headers=world.headers("other_org_token"),
    )
    assert foreign.status_code == 404


def test_report_and_invoicing_for_the_orderer(client: FlaskClient, world) -> None:
    headers = world.headers("orderer_contact")
    base = f"/api/v1/processes/{world.process_id}"
    report = client.get(f"{base}/report", headers=headers)
    assert report.status_code == 200, report.json
    assert report.json["sessions_agreed"] == 20
    assert report.json["sessions_upcoming"] == 1
    assert report.json["invoicing"]["price_cents"] == 15000
    assert report.json["goal_averages"] == []
    invoicing = client.get(f"{base}/invoicing", headers=headers)
    assert invoicing.status_code == 200
    # The past session, not recorded, counts as held and is charged in full.
    [month] = invoicing.json["months"]
    assert (month["sessions_charged"], month["net_cents"]) == (1, 15000)
    csv = client.get(
        f"{base}/invoicing.csv", query_string={"month": month["month"]}, headers=headers
    )
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).splitlines()[1].endswith(",1,150.00,38.25,188.25")
    assert client.get(f"{base}/report", headers=world.headers("supervisee")).status_code == 403


def test_each_token_has_its_own_rate_limit(app: Flask, client: FlaskClient, world) -> None:
    app.config["RATE_LIMIT_API"] = "3 per minute"
    first, second = world.headers("supervisor"), world.headers("supervisee")
    assert [client.get("/api/v1/me", headers=first).status_code for _ in range(3)] == [200] * 3
    limited = client.get("/api/v1/processes", headers=first)
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert int(limited.headers["Retry-After"]) > 0
    assert client.get("/api/v1/me", headers=second).status_code == 200
