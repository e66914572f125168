"""A process's agreement: every version with its acceptances, and accepting one."""

from __future__ import annotations

import json
import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, fields

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.errors import abort
from service.api.etags import IF_MATCH_REQUIRED, etag_of, require_if_match
from service.api.links import links
from service.api.ratelimit import rate_limited
from service.domain.agreements import Party
from service.domain.rules import PlaceKind
from service.extensions import db
from service.models import GoalKind, VersionStatus
from service.services.accounts.tokens import READ, WRITE
from service.services.processes.agreements import VersionView, accept_agreement, agreement_history

bp = rate_limited(
    Blueprint(
        "agreements",
        __name__,
        url_prefix=f"{API_PREFIX}/processes/<uuid:process_id>/agreement",
        description="Agreement versions and their acceptance.",
    )
)


NEWEST = {"process_id": "$request.path.process_id", "number": "$response.body#/0/number"}


class GoalSchema(Schema):
    kind = fields.Enum(GoalKind, by_value=True)
    title = fields.String()
    owner_id = fields.UUID(allow_none=True, metadata={"description": "A personal goal's owner."})


class AcceptanceSchema(Schema):
    person_id = fields.UUID()
    party = fields.Enum(Party, by_value=True)
    accepted_at = fields.AwareDateTime()


class VersionSchema(Schema):
    """One version of the agreement: the checklist's every item, who accepted it, and
    whom a sent version still waits for."""

    number = fields.Integer()
    status = fields.Enum(VersionStatus, by_value=True)
    sent_at = fields.AwareDateTime(allow_none=True)
    accepted_at = fields.AwareDateTime(allow_none=True)
    starts_on = fields.Date()
    planned_end_on = fields.Date()
    session_count = fields.Integer()
    session_minutes = fields.Integer()
    min_gap_days = fields.Integer()
    max_gap_days = fields.Integer()
    preferred_weekday = fields.Integer(allow_none=True, metadata={"description": "0 = Monday."})
    preferred_start = fields.Time(allow_none=True)
    break_from = fields.String(allow_none=True, metadata={"description": "MM-DD, no sessions."})
    break_until = fields.String(allow_none=True, metadata={"description": "MM-DD."})
    place_kind = fields.Enum(PlaceKind, by_value=True)
    location_id = fields.UUID(allow_none=True)
    methods = fields.String()
    price_cents = fields.Integer(metadata={"description": "Per session, VAT excluded."})
    payer_description = fields.String()
    invoicing_terms = fields.String()
    free_cancellation_hours = fields.Integer()
    late_cancellation_charge_percent = fields.Integer()
    sickness_exception = fields.Boolean()
    early_termination_terms = fields.String()
    dissatisfaction_terms = fields.String()
    interim_evaluation_months = fields.Integer()
    confidentiality_clause = fields.String()
    report_items = fields.List(
        fields.String(), metadata={"description": "What the orderer's report shows."}
    )
    goals = fields.List(fields.Nested(GoalSchema))
    acceptances = fields.List(fields.Nested(AcceptanceSchema))
    waiting_for = fields.List(
        fields.UUID(), metadata={"description": "People whose acceptance is still missing."}
    )


def _body(view: VersionView) -> dict[str, Any]:
    version = view.version
    body = {name: getattr(version, name, None) for name in VersionSchema().fields}
    body["report_items"] = list(version.orderer_report_items)
    body["goals"] = [{**goal, "kind": GoalKind(goal["kind"])} for goal in version.goals_snapshot]
    body["acceptances"] = view.acceptances
    body["waiting_for"] = view.waiting_for
    return body


def _answer(view: VersionView) -> Response:
    text = VersionSchema().dumps(_body(view))
    response = Response(text, mimetype="application/json")
    response.headers["ETag"] = _etag(view)
    return response


def _etag(view: VersionView) -> str:
    """A digest of the whole representation: acceptances and the state included."""
    return etag_of(json.dumps(VersionSchema().dump(_body(view)), sort_keys=True))


def _version(process_id: uuid.UUID, number: int) -> VersionView:
    history = agreement_history(current_principal(), process_id)
    view = next((v for v in history if v.version.number == number), None)
    if view is None:
        abort(404, message="The agreement has no such version.")
    return view


@bp.get("/versions")
@token_required(READ)
@bp.doc(
    **links(
        200,
        read=("/processes/{process_id}/agreement/versions/{number}", "get", NEWEST),
        accept=("/processes/{process_id}/agreement/versions/{number}/accept", "post", NEWEST),
    )
)
@bp.response(200, VersionSchema(many=True))
@bp.alt_response(404, response="NOT_FOUND")
def list_versions(process_id: uuid.UUID) -> list[dict[str, Any]]:
    """Agreement versions

    Every version, newest first, with its acceptances.
    """
    return [_body(view) for view in agreement_history(current_principal(), process_id)]


@bp.get("/versions/<int:number>")
@token_required(READ)
@bp.response(200, VersionSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_version(process_id: uuid.UUID, number: int) -> Response:
    """An agreement version

    The ETag header is what accepting it sends as If-Match.
    """
    return _answer(_version(process_id, number))


@bp.post("/versions/<int:number>/accept")
@token_required(WRITE)
@bp.doc(parameters=[IF_MATCH_REQUIRED])
@bp.response(200, VersionSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The version is not waiting for acceptance.")
@bp.alt_response(412, response="PRECONDITION_FAILED")
@bp.alt_response(428, response="PRECONDITION_REQUIRED")
def accept_version(process_id: uuid.UUID, number: int) -> Response:
    """Accept an agreement version

    The token's person accepts the version they read (If-Match) in their role: the
    supervisor, a supervisee, the manager or the orderer contact. The last acceptance
    makes it bind: the process becomes active and its sessions are proposed.
    """
    view = _version(process_id, number)
    require_if_match(_etag(view))
    accept_agreement(current_principal(), view.version.id, now=clock.now())
    db.session.expire_all()
    return _answer(_version(process_id, number))
