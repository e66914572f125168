"""Processes the token's person takes part in, supervises or orders."""

from __future__ import annotations

import uuid
from typing import Any

from marshmallow import Schema, fields

from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.links import links
from service.api.pagination import PageQuerySchema, page_body, page_schema
from service.api.ratelimit import rate_limited
from service.domain.agreements import Party
from service.domain.processes import EndReason, ProcessMode
from service.models import ProcessStatus, SupervisionProcess
from service.services.access import role_in, visible_process
from service.services.accounts.tokens import READ
from service.services.processes.lists import visible_processes

bp = rate_limited(
    Blueprint(
        "processes",
        __name__,
        url_prefix=f"{API_PREFIX}/processes",
        description="Supervision processes.",
    )
)


class ProcessSchema(Schema):
    """A process as every party and the orderer may see it: stages and dates, no names."""

    id = fields.UUID()
    code = fields.String(metadata={"description": "The short code in neutral titles."})
    mode = fields.Enum(ProcessMode, by_value=True)
    status = fields.Enum(ProcessStatus, by_value=True)
    supervisor = fields.Function(
        lambda process: process.supervisor.slug,
        metadata={"type": "string", "description": "The supervisor's address (slug)."},
    )
    orderer_organisation_id = fields.UUID(allow_none=True)
    participant_count = fields.Function(
        lambda process: len(process.participants), metadata={"type": "integer"}
    )
    role = fields.Function(
        lambda process: _role(process),
        metadata={
            "type": ["string", "null"],
            "enum": [*map(str, Party), None],
            "description": "The token's role in the process.",
        },
    )
    created_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    end_reason = fields.Enum(EndReason, by_value=True, allow_none=True)


def _role(process: SupervisionProcess) -> str | None:
    role = role_in(current_principal(), process)
    return str(role) if role is not None else None


class ProcessQuerySchema(PageQuerySchema):
    status = fields.Enum(ProcessStatus, by_value=True, metadata={"description": "Only these."})


ProcessPageSchema = page_schema(ProcessSchema, "ProcessPage")
FIRST = {"process_id": "$response.body#/items/0/id"}


@bp.get("")
@token_required(READ)
@bp.arguments(ProcessQuerySchema, location="query")
@bp.doc(
    **links(
        200,
        read=("/processes/{process_id}", "get", FIRST),
        versions=("/processes/{process_id}/agreement/versions", "get", FIRST),
        report=("/processes/{process_id}/report", "get", FIRST),
        invoicing=("/processes/{process_id}/invoicing", "get", FIRST),
    )
)
@bp.response(200, ProcessPageSchema)
def list_processes(query: dict[str, Any]) -> dict[str, Any]:
    """Processes

    Every process the token may see (as supervisor, participant or orderer), oldest
    first, a page at a time.
    """
    page = visible_processes(
        current_principal(),
        status=query.get("status"),
        after=query.get("cursor"),
        limit=query["limit"],
    )
    return page_body(page)


@bp.get("/<uuid:process_id>")
@token_required(READ)
@bp.response(200, ProcessSchema)
@bp.alt_response(404, response="NOT_FOUND")
def get_process(process_id: uuid.UUID) -> SupervisionProcess:
    """A process

    Its mode, stage, supervisor, orderer and number of participants.
    """
    return visible_process(current_principal(), process_id)
