"""Webhook subscriptions: subscribe a URL to booking events, list, pause, delete, and
read each subscription's delivery log. docs/webhooks.md tells receivers how to verify."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.links import created
from service.api.ratelimit import rate_limited
from service.domain.webhooks import EVENTS, MAX_URL_LENGTH
from service.models import WebhookDelivery, WebhookSubscription
from service.services.accounts.tokens import READ, WRITE
from service.services.notify import webhooks

bp = rate_limited(
    Blueprint(
        "webhooks",
        __name__,
        url_prefix=f"{API_PREFIX}/webhooks",
        description="Booking events sent, signed, to a URL of an organisation or a supervisor.",
    )
)


class WebhookCreateSchema(Schema):
    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_URL_LENGTH),
        metadata={"description": "Where deliveries are POSTed: an HTTPS address."},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENTS)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENTS)),
        metadata={"description": f"Events to receive: {', '.join(EVENTS)}."},
    )
    organisation_id = fields.UUID(
        metadata={
            "description": "Subscribe this organisation (you must be its contact); an "
            "organisation token subscribes its own. Without it, a supervisor subscribes "
            "themself."
        }
    )


class WebhookUpdateSchema(Schema):
    active = fields.Boolean(
        required=True, metadata={"description": "false pauses deliveries, true resumes them."}
    )


class WebhookSchema(Schema):
    """A subscription; its signing secret is shown only when it is created."""

    id = fields.UUID()
    url = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    organisation_id = fields.UUID(allow_none=True)
    supervisor_id = fields.UUID(allow_none=True)
    created_at = fields.AwareDateTime()


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(
        metadata={
            "description": "The signing secret (`whsec_…`): store it now, it is never shown again."
        }
    )


class DeliverySchema(Schema):
    """One attempt: no body is kept, the event id finds the event."""

    id = fields.UUID()
    event_id = fields.UUID()
    event = fields.String()
    attempt = fields.Integer(metadata={"description": "1 for the first try."})
    status_code = fields.Integer(
        allow_none=True, metadata={"description": "The receiver's HTTP status, if it answered."}
    )
    error = fields.String(
        allow_none=True,
        metadata={"description": "Why it failed (`HTTP 500`, `timeout`, ...); null on success."},
    )
    duration_ms = fields.Integer()
    attempted_at = fields.AwareDateTime()


class DeliveryQuerySchema(Schema):
    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(min=1, max=webhooks.MAX_LOG_ROWS),
        metadata={"description": "How many of the newest attempts."},
    )


@bp.post("")
@token_required(WRITE)
@bp.arguments(WebhookCreateSchema)
@bp.response(201, WebhookCreatedSchema)
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create_webhook(body: dict[str, Any]) -> Response:
    """Subscribe a URL

    Deliveries are POSTed as JSON with an `Ohjaamo-Signature` header (HMAC-SHA256 of
    the timestamp and body with the secret returned here, once). Orderers' deliveries
    never name participants; no delivery carries notes or answers.
    """
    subscription, secret = webhooks.create_subscription(
        current_principal(), body["url"], body["events"], body.get("organisation_id")
    )
    return created(
        WebhookCreatedSchema().dump({**_fields(subscription), "secret": secret}),
        f"{bp.url_prefix}/{subscription.id}",
    )


@bp.get("")
@token_required(READ)
@bp.response(200, WebhookSchema(many=True))
def list_webhooks() -> list[WebhookSubscription]:
    """Your subscriptions

    A supervisor's own and those of the organisations you are a contact of; with an
    organisation token, that organisation's.
    """
    return webhooks.subscriptions(current_principal())


@bp.get("/<uuid:webhook_id>")
@token_required(READ)
@bp.response(200, WebhookSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_webhook(webhook_id: uuid.UUID) -> WebhookSubscription:
    """A subscription"""
    return webhooks.subscription(current_principal(), webhook_id)


@bp.patch("/<uuid:webhook_id>")
@token_required(WRITE)
@bp.arguments(WebhookUpdateSchema)
@bp.response(200, WebhookSchema)
@bp.alt_response(404, response="NOT_FOUND")
def update_webhook(body: dict[str, Any], webhook_id: uuid.UUID) -> WebhookSubscription:
    """Pause or resume a subscription

    Events of a paused subscription are dropped, not kept for later.
    """
    return webhooks.set_active(current_principal(), webhook_id, body["active"])


@bp.delete("/<uuid:webhook_id>")
@token_required(WRITE)
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
def delete_webhook(webhook_id: uuid.UUID) -> tuple[str, int]:
    """Delete a subscription

    Its delivery log goes with it; deliveries not yet made are dropped.
    """
    webhooks.delete_subscription(current_principal(), webhook_id)
    return "", 204


@bp.get("/<uuid:webhook_id>/deliveries")
@token_required(READ)
@bp.arguments(DeliveryQuerySchema, location="query", as_kwargs=True)
@bp.response(200, DeliverySchema(many=True))
@bp.alt_response(404, response="NOT_FOUND")
def list_deliveries(webhook_id: uuid.UUID, limit: int) -> list[WebhookDelivery]:
    """The delivery log

    The newest attempts first: event, attempt number, the receiver's status code or
    why it failed, duration and time.
    """
    return webhooks.delivery_log(current_principal(), webhook_id, limit)


def _fields(subscription: WebhookSubscription) -> dict[str, Any]:
    return {name: getattr(subscription, name) for name in WebhookSchema().fields}
