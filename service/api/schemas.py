"""Marshmallow schemas of the API's bodies; they also become the OpenAPI components."""

from __future__ import annotations

from marshmallow import Schema, fields

from service.models import ProcessMode


class ProblemSchema(Schema):
    """An error, as RFC 9457 describes it (`application/problem+json`)."""

    type = fields.String(
        metadata={"description": "A URI naming the kind of problem; `about:blank` for plain HTTP."}
    )
    title = fields.String(metadata={"description": "The HTTP status phrase."})
    status = fields.Integer(metadata={"description": "The HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong this time, for people."})
    errors = fields.Dict(
        metadata={
            "description": "Invalid fields (422 only): messages by location (json, query, "
            "headers) and field name."
        }
    )


class PublicProfileSchema(Schema):
    """What anyone may see of a supervisor."""

    slug = fields.String(metadata={"description": "The supervisor's address in URLs."})
    name = fields.String()
    title = fields.String(metadata={"description": "Professional title shown under the name."})
    introduction = fields.String(metadata={"description": "Free-text introduction."})
    timezone = fields.String(metadata={"description": "IANA time zone of the supervisor."})
    modes = fields.List(
        fields.Enum(ProcessMode, by_value=True),
        metadata={"description": "Kinds of supervision offered."},
    )
    accepts_inquiries = fields.Boolean(
        metadata={"description": "Whether new clients may send an inquiry."}
    )


class MeSchema(Schema):
    """The person the token acts as, and what the token allows."""

    id = fields.UUID()
    name = fields.String()
    email = fields.Email()
    language = fields.String(metadata={"description": "Preferred language: fi, sv or en."})
    organisation_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The organisation an organisation token acts for, else null."},
    )
    scopes = fields.List(fields.String(), metadata={"description": "read, write or both."})
