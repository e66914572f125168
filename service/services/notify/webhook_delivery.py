"""The worker's handler of ``webhook`` messages: sign the event, POST it, log the attempt.

Each attempt is logged (status code or failure category, attempt number, duration,
time); anything but a 2xx answer raises, so the outbox retries with its backoff and
ends the message dead after OUTBOX_MAX_ATTEMPTS. Redirects are not followed: a
subscription's URL is the one place its events go. The connection goes through the
outward policy, so an address that resolves into an internal network now (DNS can
change after subscribing) is refused at each attempt and logged as "address refused".
"""

from __future__ import annotations

import http.client
import ssl
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from service import clock
from service.crypto import vault
from service.domain.webhooks import (
    EVENT_HEADER,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    BookingFacts,
    event_body,
    signature,
)
from service.extensions import db
from service.models import Person, WebhookDelivery, WebhookSubscription
from service.outward import AddressRefused, OutwardPolicy, outward_policy
from service.services.outbox.queue import Delivery
from service.services.transactions import end_read_transaction, write_transaction

USER_AGENT = "Ohjaamo-Webhooks/1"
# Enough of an answer to see it arrived; the rest is not read, let alone kept.
ANSWER_BYTES_READ = 4096


class WebhookFailed(RuntimeError):
    """The receiver did not take the event; the outbox tries again later."""


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int


def deliver_webhook(delivery: Delivery) -> None:
    payload = delivery.payload
    subscription = db.session.get(WebhookSubscription, uuid.UUID(payload["subscription_id"]))
    if (
        subscription is None
        or not subscription.active
        or payload["event"] not in subscription.events
    ):
        return
    subscription_id, url = subscription.id, subscription.url
    secret = vault().decrypt(subscription.secret_encrypted)
    names = subscription.supervisor_id is not None
    facts = BookingFacts(**payload["facts"])
    if names:
        facts = _with_names(facts, payload.get("participant_ids", []))
    end_read_transaction()

    body = event_body(
        payload["event"],
        uuid.UUID(payload["event_id"]),
        payload["occurred_at"],
        facts,
        names=names,
    )
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: payload["event"],
        EVENT_ID_HEADER: payload["event_id"],
        SIGNATURE_HEADER: signature(secret, int(clock.now().timestamp()), body),
    }
    timeout = float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"])
    outcome = post(url, body, headers, timeout, outward_policy())
    with write_transaction():
        db.session.add(
            WebhookDelivery(
                subscription_id=subscription_id,
                event_id=uuid.UUID(payload["event_id"]),
                event=payload["event"],
                attempt=delivery.attempts,
                status_code=outcome.status_code,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
                attempted_at=clock.now(),
            )
        )
    if outcome.error is not None:
        raise WebhookFailed(outcome.error)


def _with_names(facts: BookingFacts, person_ids: list[str]) -> BookingFacts:
    people = [db.session.get(Person, uuid.UUID(person_id)) for person_id in person_ids]
    names = [person.name for person in people if person is not None and person.erased_at is None]
    return BookingFacts(**{**facts.__dict__, "participant_names": names})


def post(
    url: str, body: bytes, headers: dict[str, str], timeout: float, outward: OutwardPolicy
) -> Outcome:
    """One POST; a failure comes back as a short category, never as the answer's text."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    connection = outward.http_connection(
        parts.scheme, parts.hostname or "", parts.port, timeout, ssl.create_default_context()
    )
    started = time.monotonic()
    status: int | None = None
    try:
        connection.request("POST", target, body=body, headers=headers)
        answer = connection.getresponse()
        status = answer.status
        answer.read(ANSWER_BYTES_READ)
    except AddressRefused:
        error: str | None = "address refused"
    except TimeoutError:
        error = "timeout"
    except ssl.SSLError:
        error = "tls error"
    except ConnectionRefusedError:
        error = "connection refused"
    except (OSError, http.client.HTTPException) as failure:
        error = f"connection failed ({type(failure).__name__})"
    else:
        error = None if 200 <= status < 300 else f"HTTP {status}"
    finally:
        connection.close()
    return Outcome(status, error, int((time.monotonic() - started) * 1000))
