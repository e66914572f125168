"""Group sessions at client premises with rooms in an HTTP room system: the reference
server of docs/room-api.md, real HTTP on loopback, the worker delivering."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from sqlalchemy import select

from service.domain.cancellation import CancellationCategory
from service.domain.webhooks import ROOM_CONFIRMED
from service.extensions import db
from service.models import (
    OrganisationContact,
    OutboxMessage,
    OutboxState,
    ReservationStatus,
    SessionStatus,
)
from service.services.auth import Principal
from service.services.notify import webhooks
from service.services.rooms.settings import RoomSettingsRejected, check_connection
from service.services.rooms.sync import sync_organisation_rooms
from tests import builders
from tests.builders import NOW
from tests.fixtures.room_api import TOKEN, RoomAPI, fixture_room_api  # noqa: F401
from tests.fixtures.smtp import SMTPServer, fixture_smtp_server  # noqa: F401
from tests.fixtures.webhook_receiver import WebhookReceiver, fixture_webhook_receiver  # noqa: F401
from tests.notify.webhook_helpers import verified
from tests.outbox.helpers import mail_settings
from tests.rooms.helpers import (
    SETUP,
    WEDNESDAY_10,
    book_group,
    external_organisation,
    reservation_of,
    room_named,
    run_worker,
    session_of,
)


@pytest.fixture
def ctx(app: Flask, smtp_server: SMTPServer, room_api: RoomAPI):
    app.config.update(mail_settings(smtp_server, ROOM_RESERVE_MAX_ATTEMPTS=2))
    room_api.add_room("A1", "Aalto", 8)
    room_api.add_room("B2", "Pieni", 3)
    with app.app_context():
        yield app


def organisation(api: RoomAPI):
    return external_organisation("http", {"base_url": api.url, "attempts": 1}, TOKEN)


def test_a_group_session_reserves_a_room_in_the_room_system(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    org, process = organisation(room_api)
    outcome = book_group(process)
    assert session_of(outcome).status is SessionStatus.WAITING_FOR_ROOM
    run_worker(ctx)
    assert session_of(outcome).status is SessionStatus.BOOKED
    reservation = reservation_of(outcome)
    assert reservation.status is ReservationStatus.CONFIRMED
    (remote,) = room_api.live()
    assert (remote.id, remote.room_id) == (reservation.external_id, "A1")
    assert remote.start == WEDNESDAY_10 - SETUP
    assert remote.title == f"Työnohjaus {process.code}"
    assert reservation.room_id == room_named(org, "Aalto").id
    sent = b"".join(raw for _method, _path, raw in room_api.requests).decode()
    people = [process.supervisor.person, *(p.person for p in process.participants)]
    for person in people:
        assert person.name not in sent and person.email not in sent


def test_a_room_taken_remotely_just_before_is_not_double_booked(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    _org, process = organisation(room_api)
    outcome = book_group(process)
    room_api.take("A1", WEDNESDAY_10, WEDNESDAY_10 + SETUP * 3)
    run_worker(ctx)
    session = session_of(outcome)
    assert session.status is SessionStatus.CANCELLED
    assert session.cancellation_reason is CancellationCategory.ROOM_UNAVAILABLE
    assert session.charge_percent == 0
    assert room_api.live() == []
    assert reservation_of(outcome).status is ReservationStatus.REJECTED
    room_mails = [m for m in smtp_server.messages if "ei saatu tilaa" in str(m.message["Subject"])]
    assert len(room_mails) == 5  # the supervisor and four participants, one each
    body = room_mails[0].message.get_body(("plain",)).get_content()
    assert body.count("Free time") == 3 or body.count("Vapaa aika") == 3


def test_pending_then_approved_books_the_session(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    room_api.approval_needed = True
    org, process = organisation(room_api)
    outcome = book_group(process)
    run_worker(ctx)
    assert session_of(outcome).status is SessionStatus.WAITING_FOR_ROOM
    room_api.approve(reservation_of(outcome).external_id)
    sync_organisation_rooms(org.organisation.id, NOW)
    assert session_of(outcome).status is SessionStatus.BOOKED


def test_accepted_then_declined_cancels_and_tells(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    org, process = organisation(room_api)
    outcome = book_group(process)
    run_worker(ctx)
    room_api.decline(reservation_of(outcome).external_id)
    report = sync_organisation_rooms(org.organisation.id, NOW)
    assert report.lost == [outcome.session_id]
    assert session_of(outcome).status is SessionStatus.CANCELLED


def test_a_room_deleted_remotely_is_found_at_refresh(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    org, process = organisation(room_api)
    outcome = book_group(process)
    run_worker(ctx)
    room_api.delete_room("A1")
    sync_organisation_rooms(org.organisation.id, NOW)
    assert session_of(outcome).status is SessionStatus.CANCELLED
    assert room_named(org, "Aalto").is_active is False


def test_unreachable_is_retried_then_the_session_is_told(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    _org, process = organisation(room_api)
    outcome = book_group(process)
    room_api.stop()
    ctx.config["OUTBOX_RETRY_BASE_SECONDS"] = 0
    run_worker(ctx)
    (message,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "room.reserve")
    ).all()
    assert (message.attempts, message.state) == (2, OutboxState.DELIVERED)
    session = session_of(outcome)
    assert session.status is SessionStatus.CANCELLED
    assert reservation_of(outcome).status is ReservationStatus.FAILED


def test_garbage_answer_does_not_book(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    _org, process = organisation(room_api)
    outcome = book_group(process)
    room_api.garbage = True
    run_worker(ctx)
    assert session_of(outcome).status is SessionStatus.CANCELLED
    assert reservation_of(outcome).status is ReservationStatus.FAILED


def test_cancelling_releases_the_remote_reservation(
    ctx: Flask, room_api: RoomAPI, smtp_server: SMTPServer
) -> None:
    from service.services.booking.changes import cancel_session
    from tests import builders

    _org, process = organisation(room_api)
    outcome = book_group(process)
    run_worker(ctx)
    cancel_session(
        builders.supervisor_principal(process),
        outcome.session_id,
        CancellationCategory.SCHEDULE_CONFLICT,
        now=NOW,
    )
    run_worker(ctx)
    assert room_api.live() == []


def test_bad_settings_are_refused_in_plain_words_and_nothing_is_kept(
    ctx: Flask, room_api: RoomAPI
) -> None:
    org, _process = organisation(room_api)
    from service.services.rooms.settings import save_room_system

    with pytest.raises(RoomSettingsRejected) as caught:
        save_room_system(org.organisation.id, "http", {"base_url": room_api.url}, "väärä")
    assert "credentials" in caught.value.message
    with pytest.raises(RoomSettingsRejected) as caught:
        save_room_system(org.organisation.id, "http", {"base_url": room_api.url + "x/"}, None)
    assert "address" in caught.value.message
    assert check_connection(org.organisation.id).ok
    room_api.delay_seconds = 1.5
    ctx.config["ROOM_SYSTEM_TEST_TIMEOUT_SECONDS"] = 0.5
    assert "in time" in check_connection(org.organisation.id).message


def test_the_token_is_stored_encrypted(ctx: Flask, room_api: RoomAPI) -> None:
    org, _process = organisation(room_api)
    from service.extensions import db
    from service.models import Organisation

    stored = db.session.get(Organisation, org.organisation.id)
    assert TOKEN.encode() not in (stored.room_system_secret_encrypted or b"")
    assert TOKEN not in json.dumps(stored.room_system_settings)


def test_a_room_confirmed_later_by_the_room_system_reaches_the_orderers_webhook(
    ctx: Flask, room_api: RoomAPI, webhook_receiver: WebhookReceiver
) -> None:
    org, process = organisation(room_api)
    contact = builders.person("Tilaaja")
    db.session.add(OrganisationContact(organisation_id=org.organisation.id, person_id=contact.id))
    db.session.commit()
    orderer = Principal(person_id=contact.id, organisation_id=org.organisation.id)
    _subscription, secret = webhooks.create_subscription(
        orderer, webhook_receiver.url, (ROOM_CONFIRMED,)
    )
    outcome = book_group(process)
    assert webhook_receiver.received == []  # waiting for the room: nothing confirmed yet
    run_worker(ctx)
    (delivery,) = webhook_receiver.received
    room = verified(delivery, secret)["data"]["room"]
    assert (room["name"], room["reservation_id"]) == ("Aalto", str(reservation_of(outcome).id))
    sync_organisation_rooms(org.organisation.id, NOW)  # a refresh confirms nothing twice
    run_worker(ctx)
    assert len(webhook_receiver.received) == 1
