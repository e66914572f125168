"""Marshmallow schemas of the API's bodies; they also become the OpenAPI components."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import INCLUDE, Schema, ValidationError, fields, validates_schema

from service.domain.cancellation import CancellationCategory
from service.domain.errors import Reason
from service.domain.localtime import EARLIEST_INSTANT, LATEST_INSTANT
from service.domain.rules import PlaceKind, SessionKind
from service.models import ProcessMode, SessionStatus


def _sensible(instant: dt.datetime) -> None:
    if not EARLIEST_INSTANT <= instant <= LATEST_INSTANT:
        raise ValidationError("Give a time between the years 2000 and 2200.")


def instant(**kwargs: Any) -> fields.AwareDateTime:
    """An RFC 3339 instant with its offset, between the years 2000 and 2200."""
    return fields.AwareDateTime(validate=_sensible, **kwargs)


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
    code = fields.String(
        metadata={"description": "The rule that refused the request, for programs to branch on."}
    )
    field = fields.String(metadata={"description": "The input the problem is about."})
    fields_ = fields.Dict(
        data_key="fields",
        metadata={"description": "Codes of the problems, by field name."},
    )
    reasons = fields.List(
        fields.String(metadata={"enum": [reason.value for reason in Reason]}),
        metadata={"description": "Why a time cannot be booked (409): every rule it breaks."},
    )
    alternatives = fields.List(
        fields.Dict(), metadata={"description": "The next free times, each a start and an end."}
    )

    class Meta:
        # RFC 9457 lets a problem carry extension members; clients ignore unknown ones.
        unknown = INCLUDE


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


class SlotQuerySchema(Schema):
    """Which free times to list: a supervisor's initial assessments, or a process's next
    sessions (then a token of someone who may book for the process is needed)."""

    supervisor = fields.String(metadata={"description": "The supervisor's address (slug)."})
    process = fields.UUID(metadata={"description": "The process whose next session is booked."})
    start = instant(
        required=True, data_key="from", metadata={"description": "Window start (RFC 3339)."}
    )
    end = instant(required=True, data_key="to", metadata={"description": "Window end (RFC 3339)."})
    zone = fields.String(
        load_default="Europe/Helsinki",
        metadata={"description": "IANA zone the local times are shown in."},
    )
    place = fields.Enum(PlaceKind, by_value=True, metadata={"description": "Where it is held."})

    @validates_schema
    def one_subject(self, data: dict, **_: object) -> None:
        if ("supervisor" in data) == ("process" in data):
            raise ValidationError("Give either `supervisor` or `process`.", "_schema")
        if data["end"] <= data["start"]:
            raise ValidationError("`to` must come after `from`.", "to")
        try:
            ZoneInfo(data["zone"])
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError("Not an IANA time zone.", "zone") from error


class SlotSchema(Schema):
    start = fields.AwareDateTime(metadata={"description": "Start, UTC."})
    end = fields.AwareDateTime(metadata={"description": "End, UTC."})
    local_start = fields.String(metadata={"description": "Start in the asked zone (ISO 8601)."})
    local_end = fields.String(metadata={"description": "End in the asked zone (ISO 8601)."})
    zone = fields.String()


class BookingCreateSchema(Schema):
    process_id = fields.UUID(required=True)
    starts_at = instant(required=True, metadata={"description": "RFC 3339 start."})
    place_kind = fields.Enum(PlaceKind, by_value=True)
    location_id = fields.UUID()
    video_url = fields.URL(load_default="", schemes={"https"})


class BookingMoveSchema(Schema):
    starts_at = instant(required=True, metadata={"description": "New start."})


class CancellationSchema(Schema):
    reason = fields.Enum(
        CancellationCategory,
        by_value=True,
        required=True,
        metadata={"description": "A category; free text is never asked."},
    )


class BookingSchema(Schema):
    """A booked session as its parties see it: times, place and state, never content."""

    id = fields.UUID()
    process_id = fields.UUID()
    kind = fields.Enum(SessionKind, by_value=True)
    status = fields.Enum(SessionStatus, by_value=True)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    place_kind = fields.Enum(PlaceKind, by_value=True)
    location_id = fields.UUID(allow_none=True)
    room_id = fields.UUID(allow_none=True)
    video_url = fields.String()
    sequence = fields.Integer(metadata={"description": "Raised on every change."})
    revision = fields.Integer(metadata={"description": "The version sent as the ETag."})
    cancellation_reason = fields.Enum(CancellationCategory, by_value=True, allow_none=True)
    charge_percent = fields.Integer(allow_none=True)
