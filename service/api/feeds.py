"""Private calendar feeds: make a subscription URL for your calendar app, list, revoke.

The feed itself is served at the URL (`/feeds/<secret>.ics`, service/web/calendars/feeds.py),
without a token: the secret in the address is the credential.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, ValidationError, fields, validate

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.links import created
from service.api.ratelimit import rate_limited
from service.models import CalendarFeed, FeedKind
from service.services.accounts.tokens import READ, WRITE
from service.services.calendars import feeds

bp = rate_limited(
    Blueprint(
        "feeds",
        __name__,
        url_prefix=f"{API_PREFIX}/feeds",
        description="Private iCalendar subscription URLs of your sessions.",
    )
)


def storable(text: str) -> None:
    """Text every database keeps: no NUL and no unpaired surrogate."""
    if "\x00" in text:
        raise ValidationError("Must not contain NUL characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError("Must be valid Unicode text.") from None


class FeedCreateSchema(Schema):
    kind = fields.Enum(
        FeedKind,
        by_value=True,
        load_default=FeedKind.PARTICIPANT,
        metadata={
            "description": "`participant`: the sessions you take part in; `supervisor`: "
            "every session you supervise."
        },
    )
    name = fields.String(
        load_default="",
        validate=[validate.Length(max=200), storable],
        metadata={"description": "Your own label, to tell feeds apart."},
    )


class FeedSchema(Schema):
    """A feed; its URL is shown only when it is made."""

    id = fields.UUID()
    kind = fields.Enum(FeedKind, by_value=True)
    name = fields.String()
    created_at = fields.AwareDateTime()
    revoked_at = fields.AwareDateTime(allow_none=True)


class FeedCreatedSchema(FeedSchema):
    url = fields.String(
        metadata={
            "description": "The private address to subscribe to in a calendar app; it is "
            "not stored and never shown again. Anyone with it sees the times and places."
        }
    )


@bp.post("")
@token_required(WRITE)
@bp.arguments(FeedCreateSchema)
@bp.response(201, FeedCreatedSchema)
@bp.alt_response(403, response="FORBIDDEN")
def create_feed(body: dict[str, Any]) -> Response:
    """Make a calendar feed

    The iCalendar feed lists your sessions (times, place, video link) under the neutral
    title; never names or notes. Personal tokens only.
    """
    feed, url = feeds.create_feed(current_principal(), body["kind"], body["name"])
    return created(
        FeedCreatedSchema().dump({**_fields(feed), "url": url}), f"{bp.url_prefix}/{feed.id}"
    )


@bp.get("")
@token_required(READ)
@bp.response(200, FeedSchema(many=True))
def list_feeds() -> list[CalendarFeed]:
    """Your calendar feeds, revoked ones included"""
    return feeds.feeds(current_principal())


@bp.delete("/<uuid:feed_id>")
@token_required(WRITE)
@bp.response(204)
@bp.alt_response(404, response="NOT_FOUND")
def revoke_feed(feed_id: uuid.UUID) -> tuple[str, int]:
    """Revoke a calendar feed

    Its address answers 404 from now on; make a new feed for a new address.
    """
    feeds.revoke_feed(current_principal(), feed_id, now=clock.now())
    return "", 204


def _fields(feed: CalendarFeed) -> dict[str, Any]:
    return {name: getattr(feed, name) for name in FeedSchema().fields}
