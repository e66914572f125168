"""An orderer contact's rooms and the reservations Ohjaamo made in them."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.pagination import WindowQuerySchema, page_body, page_schema, window_of
from service.api.ratelimit import rate_limited
from service.models import ReservationStatus, Room
from service.services.accounts.tokens import READ
from service.services.rooms.orderer_view import reservations_for, rooms_for

bp = rate_limited(
    Blueprint(
        "rooms",
        __name__,
        url_prefix=API_PREFIX,
        description="Rooms of the orderer's organisation and Ohjaamo's reservations in them.",
    )
)

ORGANISATION = fields.UUID(
    metadata={"description": "Only this organisation's (one the token's person is a contact of)."}
)


class RoomQuerySchema(Schema):
    organisation = ORGANISATION


class ReservationQuerySchema(WindowQuerySchema):
    organisation = ORGANISATION


class RoomSchema(Schema):
    id = fields.UUID()
    organisation_id = fields.UUID()
    name = fields.String()
    capacity = fields.Integer()
    building = fields.String()
    floor = fields.String()
    accessible = fields.Boolean()
    equipment = fields.List(fields.String())
    bookable_from = fields.Time(allow_none=True)
    bookable_until = fields.Time(allow_none=True)
    is_active = fields.Boolean()


class ReservationSchema(Schema):
    """A reservation as the room system sees it: the neutral title, never names."""

    id = fields.UUID()
    room_id = fields.UUID()
    organisation_id = fields.UUID()
    starts_at = fields.AwareDateTime(metadata={"description": "Set-up time included."})
    ends_at = fields.AwareDateTime()
    status = fields.Enum(ReservationStatus, by_value=True)
    active = fields.Boolean(metadata={"description": "False once released."})
    title = fields.String(metadata={"description": "The neutral title, e.g. Työnohjaus TY-0001."})


ReservationPageSchema = page_schema(ReservationSchema, "ReservationPage")


@bp.get("/rooms")
@token_required(READ)
@bp.arguments(RoomQuerySchema, location="query")
@bp.response(200, RoomSchema(many=True))
@bp.alt_response(404, response="NOT_FOUND")
def list_rooms(query: dict[str, Any]) -> list[Room]:
    """Rooms

    The rooms of the organisations the token's person is a contact of (an
    organisation token: of its organisation), by name.
    """
    return rooms_for(current_principal(), query.get("organisation"))


@bp.get("/room-reservations")
@token_required(READ)
@bp.arguments(ReservationQuerySchema, location="query")
@bp.response(200, ReservationPageSchema)
@bp.alt_response(404, response="NOT_FOUND")
def list_reservations(query: dict[str, Any]) -> dict[str, Any]:
    """Room reservations in a window

    Reservations Ohjaamo made in those rooms overlapping `[from, to)`, in time order.
    """
    page = reservations_for(
        current_principal(),
        window_of(query),
        organisation_id=query.get("organisation"),
        after=query.get("cursor"),
        limit=query["limit"],
    )
    return page_body(page)
