"""Sessions by process and time window, and attendance, which the supervisor records."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.etags import IF_MATCH_REQUIRED, require_if_match, session_etag
from service.api.links import links
from service.api.pagination import WindowQuerySchema, page_body, page_schema, window_of
from service.api.ratelimit import rate_limited
from service.api.schemas import BookingSchema
from service.extensions import db
from service.models import AttendanceStatus, SessionStatus, SupervisionSession
from service.services.accounts.tokens import READ, WRITE
from service.services.processes.evaluations import open_session_evaluation
from service.services.processes.lists import visible_sessions
from service.services.processes.session_records import attendance_of, record_attendance

bp = rate_limited(
    Blueprint(
        "sessions",
        __name__,
        url_prefix=f"{API_PREFIX}/sessions",
        description="Sessions of processes, and their attendance.",
    )
)


class SessionQuerySchema(WindowQuerySchema):
    process = fields.UUID(metadata={"description": "Only this process's sessions."})


SessionPageSchema = page_schema(BookingSchema, "SessionPage")
FIRST = {"session_id": "$response.body#/items/0/id"}


class AttendeeSchema(Schema):
    participant_id = fields.UUID(required=True)
    status = fields.Enum(AttendanceStatus, by_value=True, required=True)


class ParticipantSchema(Schema):
    participant_id = fields.UUID()
    name = fields.String()
    is_manager = fields.Boolean()


class AttendanceSchema(Schema):
    """Who came to a session, as its supervisor recorded it."""

    session_id = fields.UUID()
    status = fields.Enum(SessionStatus, by_value=True)
    charge_percent = fields.Integer(allow_none=True)
    participants = fields.List(
        fields.Nested(ParticipantSchema), metadata={"description": "The process's participants."}
    )
    attendance = fields.List(fields.Nested(AttendeeSchema))


class AttendanceUpdateSchema(Schema):
    attendance = fields.List(
        fields.Nested(AttendeeSchema),
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "One entry per participant recorded."},
    )


@bp.get("")
@token_required(READ)
@bp.arguments(SessionQuerySchema, location="query")
@bp.doc(
    **links(
        200,
        booking=("/bookings/{booking_id}", "get", {"booking_id": "$response.body#/items/0/id"}),
        attendance=("/sessions/{session_id}/attendance", "get", FIRST),
        record=("/sessions/{session_id}/attendance", "put", FIRST),
    )
)
@bp.response(200, SessionPageSchema)
@bp.alt_response(404, response="NOT_FOUND")
def list_sessions(query: dict[str, Any]) -> dict[str, Any]:
    """Sessions in a window

    Sessions overlapping `[from, to)`, in time order: of one process, or of every
    process the token may see. Times, places and states only.
    """
    page = visible_sessions(
        current_principal(),
        window_of(query),
        process_id=query.get("process"),
        after=query.get("cursor"),
        limit=query["limit"],
    )
    return page_body(page)


def _attendance(session: SupervisionSession) -> Response:
    body = {
        "session_id": session.id,
        "status": session.status,
        "charge_percent": session.charge_percent,
        "participants": [
            {
                "participant_id": p.id,
                "name": p.person.name,
                "is_manager": p.is_manager,
            }
            for p in session.process.participants
        ],
        "attendance": [
            {"participant_id": row.participant_id, "status": row.status}
            for row in session.attendance
        ],
    }
    response = Response(AttendanceSchema().dumps(body), mimetype="application/json")
    response.headers["ETag"] = session_etag(session)
    return response


@bp.get("/<uuid:session_id>/attendance")
@token_required(READ)
@bp.response(200, AttendanceSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def get_attendance(session_id: uuid.UUID) -> Response:
    """A session's attendance

    For the session's supervisor: the participants and who came. The ETag header is
    what recording attendance sends as If-Match.
    """
    return _attendance(attendance_of(current_principal(), session_id))


@bp.put("/<uuid:session_id>/attendance")
@token_required(WRITE)
@bp.arguments(AttendanceUpdateSchema)
@bp.doc(parameters=[IF_MATCH_REQUIRED])
@bp.response(200, AttendanceSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The session has not begun.")
@bp.alt_response(412, response="PRECONDITION_FAILED")
@bp.alt_response(428, response="PRECONDITION_REQUIRED")
def put_attendance(body: dict[str, Any], session_id: uuid.UUID) -> Response:
    """Record attendance

    Someone present makes the session held; nobody present makes it a no-show,
    charged as the agreement's late cancellation.
    """
    session = attendance_of(current_principal(), session_id)
    require_if_match(session_etag(session))
    statuses = {row["participant_id"]: row["status"] for row in body["attendance"]}
    record_attendance(
        current_principal(),
        session_id,
        statuses,
        now=clock.now(),
        expected_revision=session.revision,
    )
    db.session.expire_all()
    return _attendance(attendance_of(current_principal(), session_id))


class ScalingSchema(Schema):
    round_id = fields.UUID(metadata={"description": "The evaluation round opened."})


@bp.post("/<uuid:session_id>/scaling")
@token_required(WRITE)
@bp.response(201, ScalingSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="Not a booked or held session.")
def open_scaling(session_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Ask the scaling question at a session

    The supervisor opens a scaling evaluation at a booked or held session of an active
    process: every participant places each goal on 0-10 (asking again returns the same
    round).
    """
    round_id = open_session_evaluation(current_principal(), session_id, now=clock.now())
    return {"round_id": round_id}
