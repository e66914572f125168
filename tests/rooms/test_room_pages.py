"""The organisation's rooms pages with the Flask test client: who finds them, what they
show (never people), rooms and closed periods kept in Ohjaamo with bad input answered
in the reader's language and nothing written, and another room for a session."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from service.extensions import db
from service.models import AuditEvent, ReservationStatus, Room, RoomClosure, SupervisionSession
from tests.rooms.scenes import RoomScene, live_reservations, room_count, room_scene
from tests.web.pages import csrf_token, speaks
from tests.web.test_supervisee_pages import EN, FI, signed_in

GOOD_ROOM = {
    "name": "Neuvotteluhuone Koivu",
    "capacity": "12",
    "building": "Talo B",
    "floor": "3",
    "accessible": "y",
    "equipment": "näyttö, videoneuvottelu",
    "bookable_from": "08:00",
    "bookable_until": "17:30",
    "max_advance_days": "120",
    "max_length_minutes": "240",
    "is_active": "y",
}


@pytest.fixture
def scene(app: Flask) -> RoomScene:
    with app.app_context():
        return room_scene(4, 10, 3)


def rooms_url(scene: RoomScene, rest: str = "") -> str:
    return f"/organisation/{scene.organisation_id}/rooms{rest}"


def test_only_the_organisations_contacts_find_its_rooms(app: Flask, scene: RoomScene) -> None:
    room = scene.rooms["Huone 10"]
    paths = [
        rooms_url(scene),
        rooms_url(scene, "/new"),
        rooms_url(scene, f"/{room}"),
        f"/organisation/{scene.organisation_id}/sessions/{scene.session_id}/room",
    ]
    for who in (scene.client, scene.supervisor, scene.stranger):
        client = signed_in(app, who.person_id)
        for path in paths:
            assert client.get(path, headers=EN).status_code == 404, path
        token = csrf_token(client.get("/my", headers=EN).text)
        answer = client.post(rooms_url(scene, "/new"), data={**GOOD_ROOM, "csrf_token": token})
        assert answer.status_code == 404
    with app.app_context():
        assert room_count(scene.organisation_id) == 3


def test_the_contact_sees_rooms_and_reservations_but_no_people(
    app: Flask, scene: RoomScene
) -> None:
    client = signed_in(app, scene.contact.person_id)
    assert client.get("/organisation/rooms").location == rooms_url(scene)
    assert rooms_url(scene) in client.get("/organisation", headers=EN).text
    page = client.get(rooms_url(scene), headers=EN)
    assert page.status_code == 200
    for name in ("Huone 4", "Huone 10", "Huone 3"):
        assert name in page.text
    with app.app_context():
        session = db.session.get(SupervisionSession, scene.session_id)
        code = session.process.code
    assert f"Huone 4 · {code} · confirmed" in page.text
    assert "Europe/Helsinki" not in page.text and "Change the room" in page.text
    for name in scene.names:
        assert name not in page.text


def test_a_room_with_bad_input_is_not_added_and_the_reader_is_told_why(
    app: Flask, scene: RoomScene
) -> None:
    client = signed_in(app, scene.contact.person_id, "fi")
    token = csrf_token(client.get(rooms_url(scene, "/new"), headers=FI).text)
    bad = {
        **GOOD_ROOM,
        "capacity": "kaksitoista",
        "bookable_from": "18:00",
        "bookable_until": "08:00",
        "max_advance_days": "0",
    }
    answer = client.post(rooms_url(scene, "/new"), data={**bad, "csrf_token": token}, headers=FI)
    assert answer.status_code == 422
    assert "Anna kokonaisluku." in answer.text
    assert "Tilan täytyy aueta ennen kuin se sulkeutuu." in answer.text
    assert 'aria-invalid="true"' in answer.text
    with app.app_context():
        assert room_count(scene.organisation_id) == 3
    speaks(client, scene.contact.person_id, "en")
    no_token = client.post(rooms_url(scene, "/new"), data=GOOD_ROOM, headers=EN)
    assert no_token.status_code == 422 and "The form expired" in no_token.text
    good = client.post(rooms_url(scene, "/new"), data={**GOOD_ROOM, "csrf_token": token})
    assert good.status_code == 302
    with app.app_context():
        room = db.session.scalar(select(Room).where(Room.name == "Neuvotteluhuone Koivu"))
        assert (room.capacity, room.building, room.floor) == (12, "Talo B", "3")
        assert room.accessible and room.is_active
        assert room.equipment == ["näyttö", "videoneuvottelu"]
        assert (room.bookable_from, room.bookable_until) == (dt.time(8), dt.time(17, 30))
        assert (room.max_advance_days, room.max_length_minutes) == (120, 240)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "room.added"))


def test_a_room_is_edited_and_taken_out_of_use(app: Flask, scene: RoomScene) -> None:
    client = signed_in(app, scene.contact.person_id)
    room_id = scene.rooms["Huone 10"]
    page = client.get(rooms_url(scene, f"/{room_id}"), headers=EN)
    assert 'value="Huone 10"' in page.text and 'value="10"' in page.text
    token = csrf_token(page.text)
    changed = {**GOOD_ROOM, "name": "Huone 10", "capacity": "0", "csrf_token": token}
    answer = client.post(rooms_url(scene, f"/{room_id}"), data=changed, headers=EN)
    assert answer.status_code == 422 and "from 1 to 500" in answer.text
    with app.app_context():
        assert db.session.get(Room, room_id).capacity == 10
    changed.update(capacity="9")
    del changed["is_active"]
    assert client.post(rooms_url(scene, f"/{room_id}"), data=changed).status_code == 302
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert (room.capacity, room.is_active) == (9, False)
    assert "Not in use" in client.get(rooms_url(scene), headers=EN).text


def test_closed_periods_are_whole_local_days(app: Flask, scene: RoomScene) -> None:
    client = signed_in(app, scene.contact.person_id, "fi")
    room_id = scene.rooms["Huone 10"]
    token = csrf_token(client.get(rooms_url(scene, f"/{room_id}"), headers=EN).text)
    closures = rooms_url(scene, f"/{room_id}/closures")
    backwards = {"starts_on": "2031-07-10", "ends_on": "2031-07-01", "csrf_token": token}
    answer = client.post(closures, data=backwards, headers=FI)
    assert answer.status_code == 422
    assert "Viimeinen suljettu päivä ei voi olla ennen ensimmäistä." in answer.text
    speaks(client, scene.contact.person_id, "en")
    answer = client.post(closures, data={"starts_on": "1.7.", "csrf_token": token}, headers=EN)
    assert "Give the date as day, month and year." in answer.text
    assert "This field is required." in answer.text
    with app.app_context():
        assert db.session.scalars(select(RoomClosure)).all() == []
    summer = {"starts_on": "2031-07-01", "ends_on": "2031-07-31", "reason": "Remontti"}
    assert client.post(closures, data={**summer, "csrf_token": token}).status_code == 302
    with app.app_context():
        closure = db.session.scalar(select(RoomClosure))
        helsinki = ZoneInfo("Europe/Helsinki")
        assert closure.starts_at == dt.datetime(2031, 7, 1, tzinfo=helsinki)
        assert closure.ends_at == dt.datetime(2031, 8, 1, tzinfo=helsinki)
        closure_id = closure.id
    page = client.get(rooms_url(scene, f"/{room_id}"), headers=EN)
    assert "Remontti" in page.text and "31 Jul 2031" in page.text
    remove = rooms_url(scene, f"/{room_id}/closures/{closure_id}/remove")
    assert client.post(remove, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(RoomClosure)).all() == []


def test_the_session_moves_to_another_free_room_kept_in_ohjaamo(
    app: Flask, scene: RoomScene
) -> None:
    client = signed_in(app, scene.contact.person_id)
    path = f"/organisation/{scene.organisation_id}/sessions/{scene.session_id}/room"
    page = client.get(path, headers=EN)
    assert page.status_code == 200
    assert "Huone 10" in page.text and "Huone 3 " not in page.text  # three people + supervisor
    token = csrf_token(page.text)
    answer = client.post(path, data={"csrf_token": token}, headers=EN)
    assert answer.status_code == 422 and "Choose one of the free rooms." in answer.text
    small = client.post(path, data={"room": str(scene.rooms["Huone 3"]), "csrf_token": token})
    assert small.status_code == 422
    with app.app_context():
        [kept] = live_reservations(scene.session_id)
        assert kept.room_id == scene.rooms["Huone 4"]
    moved = client.post(path, data={"room": str(scene.rooms["Huone 10"]), "csrf_token": token})
    assert moved.status_code == 302
    with app.app_context():
        [now_held] = live_reservations(scene.session_id)
        assert now_held.room_id == scene.rooms["Huone 10"]
        assert now_held.status is ReservationStatus.CONFIRMED
        session = db.session.get(SupervisionSession, scene.session_id)
        assert session.room_id == scene.rooms["Huone 10"] and session.sequence == 1
    back = client.get(path, headers=EN)
    assert "Huone 4" in back.text  # free again


def test_when_no_other_room_fits_the_page_says_so(app: Flask, scene: RoomScene) -> None:
    with app.app_context():
        db.session.get(Room, scene.rooms["Huone 10"]).is_active = False
        db.session.commit()
    client = signed_in(app, scene.contact.person_id)
    path = f"/organisation/{scene.organisation_id}/sessions/{scene.session_id}/room"
    page = client.get(path, headers=EN)
    assert "No other room with space for 4 people is free at this time." in page.text
    answer = client.post(
        path,
        data={"room": str(scene.rooms["Huone 10"]), "csrf_token": csrf_token(page.text)},
        headers=EN,
    )
    assert answer.status_code == 422 and "no longer free" in answer.text
