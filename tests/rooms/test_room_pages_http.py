"""The rooms page against the reference room API server (docs/room-api.md, real HTTP on
loopback): settings tested before they are kept, a room without a capacity put in use,
and a session moved to another room through the outbox."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from service.extensions import db
from service.models import (
    Organisation,
    OrganisationContact,
    ReservationStatus,
    Room,
    RoomReservation,
    SessionStatus,
)
from service.services.auth import Principal
from service.services.rooms.change import change_room
from tests import builders
from tests.builders import NOW
from tests.fixtures.room_api import TOKEN, RoomAPI, fixture_room_api  # noqa: F401
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.outbox.helpers import calendar_parts, mail_settings, the_event
from tests.rooms.helpers import book_group, external_organisation, room_named, run_worker
from tests.rooms.helpers import session_of as reread
from tests.web.pages import csrf_token, speaks
from tests.web.test_supervisee_pages import EN, FI, signed_in


@pytest.fixture
def ctx(app: Flask, smtp_server: SMTPServer, room_api: RoomAPI):
    app.config.update(mail_settings(smtp_server, ROOM_RESERVE_MAX_ATTEMPTS=2))
    room_api.add_room("A1", "Aalto", 8)
    room_api.add_room("C3", "Saarinen", None)
    with app.app_context():
        yield app


def contact_of(organisation_id: uuid.UUID) -> Principal:
    person = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=organisation_id, person_id=person.id))
    db.session.commit()
    return builders.principal(person)


@pytest.fixture
def served(app: Flask, room_api: RoomAPI) -> Flask:
    """No application context around the test: Flask-WTF keeps a request's CSRF token in
    `g`, which an outer context would share between the client's requests."""
    room_api.add_room("A1", "Aalto", 8)
    room_api.add_room("C3", "Saarinen", None)
    return app


def test_settings_that_do_not_work_are_not_saved_and_the_reason_is_translated(
    served: Flask, room_api: RoomAPI
) -> None:
    with served.app_context():
        organisation_id = builders.organisation(4).organisation.id
        contact = contact_of(organisation_id)
    client = signed_in(served, contact.person_id, "fi")
    path = f"/organisation/{organisation_id}/rooms"
    token = csrf_token(client.get(path, headers=FI).text)
    wrong = {"system": "http", "url": room_api.url, "secret": "wrong", "csrf_token": token}
    answer = client.post(f"{path}/system", data=wrong, headers=FI)
    assert answer.status_code == 422
    assert "Tilavarausjärjestelmä ei hyväksynyt tunnuksia." in answer.text
    speaks(client, contact.person_id, "en")
    no_url = client.post(f"{path}/system", data={**wrong, "url": "palvelin"}, headers=EN)
    assert no_url.status_code == 422 and "starting with https://" in no_url.text
    with served.app_context():
        kept = db.session.get(Organisation, organisation_id)
        assert (kept.room_system, kept.room_system_secret_encrypted) == ("ohjaamo", None)
    right = {**wrong, "secret": TOKEN}
    assert client.post(f"{path}/system", data=right).status_code == 302
    with served.app_context():
        saved = db.session.get(Organisation, organisation_id)
        assert saved.room_system == "http"
        assert saved.room_system_settings["base_url"] == room_api.url
        assert TOKEN.encode() not in saved.room_system_secret_encrypted

    assert client.post(f"{path}/sync", data={"csrf_token": token}).status_code == 302
    with served.app_context():
        mirrored = db.session.scalar(select(Room).where(Room.external_id == "C3"))
        assert mirrored is not None and not mirrored.is_active
    page = client.get(path, headers=EN)
    assert "Give the capacity to put the room in use." in page.text
    capacity = f"{path}/{mirrored.id}/capacity"
    speaks(client, contact.person_id, "fi")
    bad = client.post(capacity, data={"capacity": "kuusi", "csrf_token": token}, headers=FI)
    assert bad.status_code == 422 and "Anna kokonaisluku." in bad.text
    with served.app_context():
        assert not db.session.get(Room, mirrored.id).is_active
    assert client.post(capacity, data={"capacity": "6", "csrf_token": token}).status_code == 302
    with served.app_context():
        room = db.session.get(Room, mirrored.id)
        assert (room.capacity, room.is_active) == (6, True)
    assert client.post(f"{path}/sync", data={"csrf_token": token}).status_code == 302
    with served.app_context():
        assert db.session.get(Room, mirrored.id).is_active  # the capacity stays through a sync


def test_a_session_moves_to_another_room_of_the_room_system(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    org, process = external_organisation("http", {"base_url": room_api.url, "attempts": 1}, TOKEN)
    room_named(org, "Saarinen").capacity, room_named(org, "Saarinen").is_active = 8, True
    db.session.commit()
    outcome = book_group(process)
    run_worker(ctx)
    assert reread(outcome).status is SessionStatus.BOOKED
    contact = contact_of(org.organisation.id)
    [first] = room_api.live()
    aalto = first.room_id
    target = room_named(org, "Saarinen" if aalto == "A1" else "Aalto")
    db.session.rollback()
    before = len(smtp_server.messages)
    change_room(contact, org.organisation.id, outcome.session_id, target.id, now=NOW)
    assert reread(outcome).status is SessionStatus.WAITING_FOR_ROOM
    run_worker(ctx)
    session = reread(outcome)
    assert session.status is SessionStatus.BOOKED and session.room_id == target.id
    [remote] = room_api.live()
    assert remote.room_id == target.external_id and remote.room_id != aalto
    held = db.session.scalars(
        select(RoomReservation).where(RoomReservation.session_id == outcome.session_id)
    ).all()
    assert sorted(str(r.status) for r in held) == [
        str(ReservationStatus.CONFIRMED),
        str(ReservationStatus.RELEASED),
    ]
    told = [received.message for received in smtp_server.messages[before:]]
    recipients = [address.addr_spec for m in told for address in m["To"].addresses]
    assert len(told) == len(process.participants) + 1 == len(set(recipients))
    for message in told:
        inline, attached = calendar_parts(message)
        event = the_event(inline)
        assert inline["METHOD"] == "REQUEST" == attached["METHOD"]
        assert target.name in str(event["LOCATION"])
        assert int(event["SEQUENCE"]) == session.sequence
