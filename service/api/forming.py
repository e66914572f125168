"""A process's lifecycle for the supervisor's integrations: start one, answer its
inquiry, mark the assessment held, its participants and their roles, its orderer,
closing and ending early. The same use cases as the supervisor's process page."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from service import clock
from service.api import API_PREFIX
from service.api.auth import current_principal, token_required
from service.api.bodies import Blueprint
from service.api.processes import ProcessSchema
from service.api.ratelimit import rate_limited
from service.domain.processes import EndReason, ProcessMode
from service.extensions import db
from service.models import ProcessParticipant, SupervisionProcess
from service.services.access import supervised_process, visible_process
from service.services.accounts.tokens import READ, WRITE
from service.services.processes import lifecycle, parties
from service.services.processes.inquiries import accept_inquiry, decline_inquiry
from service.services.processes.lifecycle import NewParticipant
from service.services.processes.parties import OrdererChoice

bp = rate_limited(
    Blueprint(
        "forming",
        __name__,
        url_prefix=f"{API_PREFIX}/processes",
        description="A process's lifecycle, for its supervisor: forming, answering, ending.",
    )
)
LANGUAGES = ("fi", "sv", "en")


class StartSchema(Schema):
    mode = fields.Enum(ProcessMode, by_value=True, required=True)


class EndSchema(Schema):
    reason = fields.Enum(
        EndReason, by_value=True, required=True, metadata={"description": "A category only."}
    )


class MemberSchema(Schema):
    """A participant as their supervisor sees them."""

    id = fields.UUID()
    person_id = fields.UUID()
    name = fields.Function(lambda p: p.person.name, metadata={"type": "string"})
    email = fields.Function(lambda p: p.person.email, metadata={"type": "string"})
    organisation_id = fields.UUID(allow_none=True)
    is_manager = fields.Boolean()
    is_group_contact = fields.Boolean()


class NewMemberSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=320))
    language = fields.String(load_default="fi", validate=validate.OneOf(LANGUAGES))
    is_manager = fields.Boolean(load_default=False)
    is_group_contact = fields.Boolean(load_default=False)
    organisation_id = fields.UUID(load_default=None, allow_none=True)


class RolesSchema(Schema):
    is_manager = fields.Boolean(required=True)
    is_group_contact = fields.Boolean(required=True, metadata={"description": "Books for all."})


class OrdererSchema(Schema):
    """An existing organisation by id, or a new one by name; an existing contact of it by
    person id, or a new one by name and email."""

    organisation_id = fields.UUID(load_default=None, allow_none=True)
    organisation_name = fields.String(load_default="", validate=validate.Length(max=200))
    business_id = fields.String(load_default="", validate=validate.Length(max=16))
    premises_street = fields.String(load_default="", validate=validate.Length(max=200))
    premises_postal_code = fields.String(load_default="", validate=validate.Length(max=10))
    premises_city = fields.String(load_default="", validate=validate.Length(max=100))
    contact_id = fields.UUID(load_default=None, allow_none=True)
    contact_name = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.String(load_default="", validate=validate.Length(max=320))


def _process(process_id: uuid.UUID) -> SupervisionProcess:
    db.session.expire_all()
    return visible_process(current_principal(), process_id)


def _participant(process_id: uuid.UUID, participant_id: uuid.UUID) -> ProcessParticipant:
    db.session.expire_all()
    return parties.participant_of_process(current_principal(), process_id, participant_id)


@bp.post("")
@token_required(WRITE)
@bp.arguments(StartSchema)
@bp.response(201, ProcessSchema)
def start_process(body: dict[str, Any]) -> SupervisionProcess:
    """Start a process

    The token's person, a supervisor, forms a process without a public inquiry; it
    begins before its initial assessment, with no participants yet.
    """
    return _process(parties.start_process(current_principal(), body["mode"]))


@bp.post("/<uuid:process_id>/inquiry/accept")
@token_required(WRITE)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="No inquiry waits for an answer.")
def accept(process_id: uuid.UUID) -> SupervisionProcess:
    """Accept the inquiry

    The inquirer is told by email; the initial assessment goes ahead.
    """
    accept_inquiry(current_principal(), process_id, now=clock.now())
    return _process(process_id)


@bp.post("/<uuid:process_id>/inquiry/decline")
@token_required(WRITE)
@bp.arguments(EndSchema)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="No inquiry waits for an answer.")
def decline(body: dict[str, Any], process_id: uuid.UUID) -> SupervisionProcess:
    """Decline the inquiry

    The held assessment is cancelled and its time freed; the inquirer is told.
    """
    decline_inquiry(current_principal(), process_id, body["reason"], now=clock.now())
    return _process(process_id)


@bp.post("/<uuid:process_id>/assessment-held")
@token_required(WRITE)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="Not before the assessment.")
def assessment_held(process_id: uuid.UUID) -> SupervisionProcess:
    """Mark the initial assessment held

    After the inquiry is answered and the assessment has begun; the process is formed next.
    """
    lifecycle.mark_assessment_held(current_principal(), process_id, now=clock.now())
    return _process(process_id)


@bp.get("/<uuid:process_id>/participants")
@token_required(READ)
@bp.response(200, MemberSchema(many=True))
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
def list_participants(process_id: uuid.UUID) -> list[ProcessParticipant]:
    """Participants

    Who takes part, with names and addresses: for the process's supervisor only.
    """
    return parties.participants_of(current_principal(), process_id)


@bp.post("/<uuid:process_id>/participants")
@token_required(WRITE)
@bp.arguments(NewMemberSchema)
@bp.response(201, MemberSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The agreement is in force.")
def add_participant(body: dict[str, Any], process_id: uuid.UUID) -> ProcessParticipant:
    """Add a participant

    The person is found by email or created; a process has as many as its mode allows.
    """
    participant_id = lifecycle.add_participant(
        current_principal(), process_id, NewParticipant(**body)
    )
    return _participant(process_id, participant_id)


@bp.patch("/<uuid:process_id>/participants/<uuid:participant_id>")
@token_required(WRITE)
@bp.arguments(RolesSchema)
@bp.response(200, MemberSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The agreement is in force.")
def set_roles(
    body: dict[str, Any], process_id: uuid.UUID, participant_id: uuid.UUID
) -> ProcessParticipant:
    """Set a participant's roles

    The manager flag, and the group's contact (one a process: the member who books).
    """
    parties.set_participant_roles(current_principal(), process_id, participant_id, **body)
    return _participant(process_id, participant_id)


@bp.delete("/<uuid:process_id>/participants/<uuid:participant_id>")
@token_required(WRITE)
@bp.response(204)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The agreement is in force.")
def remove_participant(process_id: uuid.UUID, participant_id: uuid.UUID) -> Response:
    """Take a participant off

    While the process is formed, before its agreement binds.
    """
    parties.remove_participant(current_principal(), process_id, participant_id)
    return Response(status=204)


@bp.put("/<uuid:process_id>/orderer")
@token_required(WRITE)
@bp.arguments(OrdererSchema)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The agreement is in force.")
def name_orderer(body: dict[str, Any], process_id: uuid.UUID) -> SupervisionProcess:
    """Name the orderer

    An organisation the supervisor already works with, or a new one, and its contact.
    """
    parties.name_orderer(current_principal(), process_id, OrdererChoice(**body))
    return _process(process_id)


@bp.delete("/<uuid:process_id>/orderer")
@token_required(WRITE)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The agreement is in force.")
def clear_orderer(process_id: uuid.UUID) -> SupervisionProcess:
    """Remove the orderer

    The supervisee pays privately.
    """
    parties.clear_orderer(current_principal(), process_id)
    return _process(process_id)


@bp.post("/<uuid:process_id>/close")
@token_required(WRITE)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="Not before the final evaluation.")
def close(process_id: uuid.UUID) -> SupervisionProcess:
    """Close the process

    The planned end, once its final evaluation has opened; remaining sessions are cancelled.
    """
    lifecycle.close_process(current_principal(), process_id, now=clock.now())
    return _process(process_id)


@bp.post("/<uuid:process_id>/end")
@token_required(WRITE)
@bp.arguments(EndSchema)
@bp.response(200, ProcessSchema)
@bp.alt_response(403, response="FORBIDDEN")
@bp.alt_response(404, response="NOT_FOUND")
@bp.alt_response(409, response="CONFLICT", description="The process has ended already.")
def end(body: dict[str, Any], process_id: uuid.UUID) -> SupervisionProcess:
    """End the process early

    Before its agreement binds it is declined; after, it is ended early. Remaining
    sessions are cancelled under the agreement's terms, each with its notices.
    """
    principal = current_principal()
    if supervised_process(principal, process_id).status == "active":
        lifecycle.terminate_process(principal, process_id, body["reason"], now=clock.now())
    else:
        lifecycle.decline_process(principal, process_id, body["reason"], now=clock.now())
    return _process(process_id)
