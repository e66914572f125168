"""Bookings: create (with Idempotency-Key), read, move (with If-Match), cancel."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, request

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.errors import abort
from service.api.etags import session_etag
from service.api.links import links
from service.api.ratelimit import rate_limited
from service.api.schemas import (
    BookingCreateSchema,
    BookingMoveSchema,
    BookingSchema,
    CancellationSchema,
)
from service.extensions import db
from service.models import SupervisionSession
from service.services.accounts.tokens import READ, WRITE
from service.services.booking.changes import (
    BookSession,
    book_session,
    cancel_session,
    reschedule_session,
)
from service.services.booking.sessions import session_for

bp = rate_limited(
    Blueprint(
        "bookings", __name__, url_prefix=f"{API_PREFIX}/bookings", description="Booked sessions."
    )
)

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 200},
    "description": "Repeat the same request with the same key to get the same booking.",
}
CREATED = {"booking_id": "$response.body#/id"}
IF_MATCH_HEADER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "The booking's ETag: the move fails with 412 if it changed meanwhile.",
}


def _with_etag(session: SupervisionSession, status: int = 200) -> Response:
    response = Response(BookingSchema().dumps(session), status=status, mimetype="application/json")
    response.headers["ETag"] = session_etag(session)
    return response


def _reload(session_id: uuid.UUID) -> SupervisionSession:
    db.session.expire_all()
    return session_for(current_principal(), session_id)


@bp.post("")
@token_required(WRITE)
@bp.arguments(BookingCreateSchema)
@bp.doc(parameters=[IDEMPOTENCY_HEADER])
@bp.doc(
    **links(
        201,
        read=("/bookings/{booking_id}", "get", CREATED),
        move=("/bookings/{booking_id}", "patch", CREATED),
        cancel=("/bookings/{booking_id}/cancel", "post", CREATED),
    )
)
@bp.response(201, BookingSchema)
@bp.alt_response(200, schema=BookingSchema, description="A repeated request: the same booking.")
@bp.alt_response(409, response="CONFLICT", description="Taken: reasons and alternatives.")
@bp.alt_response(404, response="NOT_FOUND")
def create_booking(body: dict[str, Any]) -> Response:
    """Book a session

    Every rule of the agreement and the supervisor's availability is checked again in
    the booking transaction. A time taken meanwhile answers 409 with the reasons and
    the next free alternatives.
    """
    key = request.headers.get("Idempotency-Key") or None
    if key is not None and len(key) > 200:
        abort(422, message="The Idempotency-Key is longer than 200 characters.")
    command = BookSession(
        process_id=body["process_id"],
        starts_at=body["starts_at"],
        place_kind=body.get("place_kind"),
        location_id=body.get("location_id"),
        video_url=body.get("video_url", ""),
    )
    outcome = book_session(current_principal(), command, now=clock.now(), idempotency_key=key)
    response = _with_etag(_reload(outcome.session_id), 201 if outcome.created else 200)
    response.headers["Location"] = f"{bp.url_prefix}/{outcome.session_id}"
    return response


@bp.get("/<uuid:booking_id>")
@token_required(READ)
@bp.response(200, BookingSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_booking(booking_id: uuid.UUID) -> Response:
    """A booking

    Its times, place and state; the ETag header is what a move sends as If-Match.
    """
    return _with_etag(session_for(current_principal(), booking_id))


@bp.patch("/<uuid:booking_id>")
@token_required(WRITE)
@bp.arguments(BookingMoveSchema)
@bp.doc(parameters=[IF_MATCH_HEADER])
@bp.response(200, BookingSchema)
@bp.alt_response(409, response="CONFLICT")
@bp.alt_response(412, response="PRECONDITION_FAILED")
@bp.alt_response(404, response="NOT_FOUND")
def move_booking(body: dict[str, Any], booking_id: uuid.UUID) -> Response:
    """Move a booking

    Within the agreement's cancellation terms: after the free period only the
    supervisor may move it.
    """
    session = session_for(current_principal(), booking_id)
    expected = None
    if request.if_match and not request.if_match.star_tag:
        if not request.if_match.contains(session_etag(session).strip('"')):
            abort(412, message="The booking has changed since you read it; read it again.")
        expected = session.revision
    reschedule_session(
        current_principal(),
        booking_id,
        body["starts_at"],
        now=clock.now(),
        expected_revision=expected,
    )
    return _with_etag(_reload(booking_id))


@bp.post("/<uuid:booking_id>/cancel")
@token_required(WRITE)
@bp.arguments(CancellationSchema)
@bp.response(200, BookingSchema)
@bp.alt_response(404, response="NOT_FOUND")
def cancel_booking(body: dict[str, Any], booking_id: uuid.UUID) -> Response:
    """Cancel a booking

    The agreement's cancellation terms decide the charge, shown in `charge_percent`.
    """
    cancel_session(current_principal(), booking_id, body["reason"], now=clock.now())
    return _with_etag(_reload(booking_id))
