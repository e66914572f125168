"""Webhook rules: which events exist, which URLs may receive them, what a delivery says
and how it is signed. Pure: no Flask, no database, the time passed in.

The signature follows the common "timestamp.body" scheme: ``Ohjaamo-Signature:
t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, so a receiver can refuse a
replayed delivery by its age. docs/webhooks.md shows how to verify it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from service.domain.errors import DomainError

BOOKING_CREATED = "booking.created"
BOOKING_MOVED = "booking.moved"
BOOKING_CANCELLED = "booking.cancelled"
ROOM_CONFIRMED = "room.confirmed"
EVENTS = (BOOKING_CREATED, BOOKING_MOVED, BOOKING_CANCELLED, ROOM_CONFIRMED)

SIGNATURE_HEADER = "Ohjaamo-Signature"
EVENT_HEADER = "Ohjaamo-Event"
EVENT_ID_HEADER = "Ohjaamo-Event-Id"
SIGNATURE_VERSION = "v1"
# Namespace of event ids: one event has one id in every subscription's delivery.
EVENT_NAMESPACE = uuid.UUID("6b1c4f0e-93f5-4c54-9a57-1f0f5d7b9e21")
MAX_URL_LENGTH = 2000


class InvalidWebhook(DomainError, ValueError):
    """A subscription cannot be made as asked; ``field`` names the culprit."""

    code = "invalid_webhook"
    default_message = "The webhook subscription is not valid."


def check_url(url: str, *, plain_http_to: Callable[[str], bool]) -> str:
    """The URL if a delivery may go there: https with a host, no credentials or fragment;
    plain http only to a host for which ``plain_http_to`` says yes (one the operator
    named on the practice's own network). Where its host resolves to is the outward
    policy's to judge, at subscribing and at each delivery."""
    if not url.isascii():
        raise InvalidWebhook(
            "Write the URL in ASCII (punycode for international domain names).", field="url"
        )
    if len(url) > MAX_URL_LENGTH:
        raise InvalidWebhook(f"The URL is longer than {MAX_URL_LENGTH} characters.", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError:
        raise InvalidWebhook("The URL cannot be read.", field="url") from None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise InvalidWebhook("Give an https:// address with a host name.", field="url")
    if parts.username or parts.password:
        raise InvalidWebhook("The URL must not carry a user name or password.", field="url")
    if parts.fragment:
        raise InvalidWebhook("The URL must not have a #fragment.", field="url")
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise InvalidWebhook("The URL must not contain spaces or control characters.", field="url")
    if parts.scheme == "http" and not plain_http_to(host):
        raise InvalidWebhook("Deliveries go over https only.", field="url")
    return url


def check_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen:
        raise InvalidWebhook("Subscribe to at least one event.", field="events")
    unknown = [event for event in chosen if event not in EVENTS]
    if unknown:
        raise InvalidWebhook(
            f"Unknown event {', '.join(unknown)}; choose from {', '.join(EVENTS)}.",
            field="events",
        )
    return chosen


def event_id(event: str, subject: uuid.UUID, sequence: int) -> uuid.UUID:
    """Deterministic: the same change always has the same id (receivers deduplicate)."""
    return uuid.uuid5(EVENT_NAMESPACE, f"{event}:{subject}:{sequence}")


@dataclass(frozen=True)
class BookingFacts:
    """What a webhook may say about a session: times, place and state, never content.

    ``participant_names`` is filled for the supervisor's own subscriptions only.
    """

    session_id: str
    process_id: str
    process_code: str
    kind: str
    status: str
    starts_at: str
    ends_at: str
    place_kind: str
    sequence: int
    participant_count: int
    location_id: str | None = None
    room_id: str | None = None
    previous_starts_at: str | None = None
    cancellation_reason: str | None = None
    charge_percent: int | None = None
    room: dict[str, Any] | None = None
    participant_names: list[str] = field(default_factory=list)


def event_body(
    event: str, event_uuid: uuid.UUID, occurred_at: str, facts: BookingFacts, *, names: bool
) -> bytes:
    """The JSON body of one delivery, in a stable key order."""
    booking: dict[str, object] = {
        "id": facts.session_id,
        "process_id": facts.process_id,
        "process_code": facts.process_code,
        "kind": facts.kind,
        "status": facts.status,
        "starts_at": facts.starts_at,
        "ends_at": facts.ends_at,
        "previous_starts_at": facts.previous_starts_at,
        "place_kind": facts.place_kind,
        "location_id": facts.location_id,
        "room_id": facts.room_id,
        "sequence": facts.sequence,
        "cancellation_reason": facts.cancellation_reason,
        "charge_percent": facts.charge_percent,
        "participant_count": facts.participant_count,
    }
    if names:
        booking["participants"] = list(facts.participant_names)
    data: dict[str, Any] = {"booking": booking}
    if event == ROOM_CONFIRMED and facts.room is not None:
        data["room"] = facts.room
    document = {"id": str(event_uuid), "type": event, "occurred_at": occurred_at, "data": data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Ohjaamo-Signature`` header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(
        secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},{SIGNATURE_VERSION}={digest}"


def verify_signature(
    secret: str, header: str, body: bytes, *, now: dt.datetime, tolerance: dt.timedelta
) -> bool:
    """What a receiver does: the digest matches and the timestamp is recent."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        return False
    expected = signature(secret, timestamp, body).rsplit("=", 1)[1]
    return hmac.compare_digest(expected, fields.get(SIGNATURE_VERSION, ""))
