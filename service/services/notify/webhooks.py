"""Webhook subscriptions: who may subscribe, list and delete, and the outbox messages a
booking change writes for them in its own transaction.

An organisation's contact (or a token acting for it) subscribes the organisation and
hears about its processes' sessions; a supervisor subscribes themself and hears about
every session they supervise. One outbox message is written per subscription and event,
keyed by both, so a change is delivered once to each. Deliveries: webhook_delivery.py.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Table, or_, select

from service import clock
from service.crypto import vault
from service.domain.webhooks import (
    ROOM_CONFIRMED,
    BookingFacts,
    InvalidWebhook,
    check_events,
    check_url,
    event_id,
)
from service.extensions import db
from service.models import (
    Organisation,
    OrganisationContact,
    ReservationStatus,
    Room,
    RoomReservation,
    SupervisionSession,
    SupervisorProfile,
    WebhookDelivery,
    WebhookSubscription,
)
from service.outward import AddressRefused, outward_policy
from service.services.auth import Principal
from service.services.errors import AccessDenied, NotFound
from service.services.outbox import queue as outbox
from service.services.transactions import write_transaction

WEBHOOK = "webhook"
# Starts every signing secret, so a leaked one is recognisable.
SECRET_MARKER = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32
MAX_LOG_ROWS = 100


def create_subscription(
    principal: Principal,
    url: str,
    events: Iterable[str],
    organisation_id: uuid.UUID | None = None,
) -> tuple[WebhookSubscription, str]:
    """Subscribe, returning the subscription and its signing secret (shown this once)."""
    outward = outward_policy()
    url = check_url(url, plain_http_to=outward.named)
    try:
        outward.check_url(url)
    except AddressRefused:
        raise InvalidWebhook(
            "The URL leads into an internal network, where deliveries do not go.", field="url"
        ) from None
    chosen = check_events(events)
    plaintext = SECRET_MARKER + secrets.token_urlsafe(SECRET_BYTES)
    with write_transaction():
        subscription = WebhookSubscription(
            url=url,
            events=chosen,
            secret_encrypted=vault().encrypt(plaintext),
            created_by_id=principal.person_id,
        )
        organisation_id = organisation_id or principal.organisation_id
        if organisation_id is not None:
            subscription.organisation_id = _organisation_of(principal, organisation_id).id
        else:
            subscription.supervisor_id = _supervisor_of(principal).id
        db.session.add(subscription)
    return subscription, plaintext


def _organisation_of(principal: Principal, organisation_id: uuid.UUID) -> Organisation:
    if principal.organisation_id not in (None, organisation_id):
        raise NotFound()
    organisation = db.session.get(Organisation, organisation_id)
    contact = db.session.get(
        OrganisationContact, {"organisation_id": organisation_id, "person_id": principal.person_id}
    )
    if organisation is None or contact is None:
        raise NotFound()
    return organisation


def _supervisor_of(principal: Principal) -> SupervisorProfile:
    profile = db.session.scalar(
        select(SupervisorProfile).where(SupervisorProfile.person_id == principal.person_id)
    )
    if profile is None:
        raise AccessDenied(
            "Only supervisors subscribe for themselves; an organisation's contact names "
            "the organisation."
        )
    return profile


def subscriptions(principal: Principal) -> list[WebhookSubscription]:
    """What the principal manages: an organisation token its organisation's; a person
    their own as supervisor and those of the organisations they are a contact of."""
    if principal.organisation_id is not None:
        owned = WebhookSubscription.organisation_id == principal.organisation_id
    else:
        supervised = select(SupervisorProfile.id).where(
            SupervisorProfile.person_id == principal.person_id
        )
        contact_of = select(OrganisationContact.organisation_id).where(
            OrganisationContact.person_id == principal.person_id
        )
        owned = or_(
            WebhookSubscription.supervisor_id.in_(supervised),
            WebhookSubscription.organisation_id.in_(contact_of),
        )
    query = select(WebhookSubscription).where(owned).order_by(WebhookSubscription.created_at)
    return list(db.session.scalars(query))


def subscription(principal: Principal, subscription_id: uuid.UUID) -> WebhookSubscription:
    found = next((s for s in subscriptions(principal) if s.id == subscription_id), None)
    if found is None:
        raise NotFound()
    return found


def set_active(
    principal: Principal, subscription_id: uuid.UUID, active: bool
) -> WebhookSubscription:
    with write_transaction():
        found = subscription(principal, subscription_id)
        found.active = active
    return found


def delete_subscription(principal: Principal, subscription_id: uuid.UUID) -> None:
    """Delete it with its log; messages already written for it are dropped at delivery."""
    with write_transaction():
        db.session.delete(subscription(principal, subscription_id))


def delivery_log(
    principal: Principal, subscription_id: uuid.UUID, limit: int = 50
) -> list[WebhookDelivery]:
    """The newest attempts first."""
    found = subscription(principal, subscription_id)
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == found.id)
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id)
        .limit(min(max(limit, 1), MAX_LOG_ROWS))
    )
    return list(db.session.scalars(query))


def enqueue_booking_event(
    session: SupervisionSession, event: str, previous_start: str | None = None
) -> int:
    """Inside the booking transaction: one message per listening subscription, and a
    ``room.confirmed`` one when the change left the session with a confirmed room."""
    written = _enqueue(session, event, session.id, session.sequence, previous_start, room=None)
    if event != "booking.cancelled":
        reservation = db.session.scalar(
            select(RoomReservation).where(
                RoomReservation.session_id == session.id,
                RoomReservation.active.is_(True),
                RoomReservation.status == ReservationStatus.CONFIRMED,
            )
        )
        if reservation is not None:
            written += enqueue_room_confirmed(session, reservation)
    return written


def enqueue_room_confirmed(session: SupervisionSession, reservation: RoomReservation) -> int:
    """Inside the transaction that confirmed the reservation (also for room systems
    that confirm later, from their worker handler)."""
    room = db.session.get(Room, reservation.room_id)
    details = {
        "id": str(reservation.room_id),
        "name": room.name if room is not None else "",
        "reservation_id": str(reservation.id),
        "starts_at": reservation.starts_at.isoformat(),
        "ends_at": reservation.ends_at.isoformat(),
    }
    return _enqueue(session, ROOM_CONFIRMED, reservation.id, 0, None, room=details)


def _enqueue(
    session: SupervisionSession,
    event: str,
    subject: uuid.UUID,
    sequence: int,
    previous_start: str | None,
    *,
    room: dict[str, str] | None,
) -> int:
    listening = [s for s in _listeners(session) if event in s.events]
    if not listening:
        return 0
    event_uuid = event_id(event, subject, sequence)
    day = session.starts_at.date()
    participants = [
        p.person_id for p in session.process.participants if p.left_on is None or p.left_on >= day
    ]
    facts = BookingFacts(
        session_id=str(session.id),
        process_id=str(session.process_id),
        process_code=session.process.code,
        kind=str(session.kind),
        status=str(session.status),
        starts_at=session.starts_at.isoformat(),
        ends_at=session.ends_at.isoformat(),
        place_kind=str(session.place_kind),
        sequence=session.sequence,
        participant_count=len(participants),
        location_id=str(session.location_id) if session.location_id else None,
        room_id=str(session.room_id) if session.room_id else None,
        previous_starts_at=previous_start,
        cancellation_reason=str(session.cancellation_reason)
        if session.cancellation_reason
        else None,
        charge_percent=session.charge_percent,
        room=room,
    )
    payload = {
        "event": event,
        "event_id": str(event_uuid),
        "occurred_at": clock.now().isoformat(),
        "facts": asdict(facts),
        "participant_ids": [str(person_id) for person_id in participants],
    }
    for listener in listening:
        outbox.enqueue(
            WEBHOOK,
            {"subscription_id": str(listener.id), **payload},
            f"{WEBHOOK}:{listener.id}:{event_uuid}",
        )
    return len(listening)


def _listeners(session: SupervisionSession) -> list[WebhookSubscription]:
    process = session.process
    owners = [WebhookSubscription.supervisor_id == process.supervisor_id]
    if process.orderer_organisation_id is not None:
        owners.append(WebhookSubscription.organisation_id == process.orderer_organisation_id)
    query = select(WebhookSubscription).where(WebhookSubscription.active.is_(True), or_(*owners))
    return list(db.session.scalars(query))


def purge_delivery_log(now: dt.datetime) -> int:
    """Delete log rows older than WEBHOOK_LOG_DAYS (a periodic job of the worker)."""
    cutoff = now - dt.timedelta(days=int(current_app.config["WEBHOOK_LOG_DAYS"]))
    with write_transaction():
        # the declarative base types __table__ as any FromClause; a model's is its Table
        table = cast(Table, WebhookDelivery.__table__)
        result = db.session.execute(table.delete().where(WebhookDelivery.attempted_at < cutoff))
    # Session.execute is typed as giving a Result; for UPDATE and DELETE it is a CursorResult
    return int(cast(CursorResult[Any], result).rowcount or 0)
